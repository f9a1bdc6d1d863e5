"""The archive's models (4:7, 4:6): disposal decisions, holds, disposal runs and requests for public records.

Re-exported by ``moderation.models``; kept apart from the log (``models/log.py``) so that
the records and their archival handling can be read on their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .log import Category


class DisposalDecision(models.Model):
    """A recorded disposal decision (gallringsbeslut, 4:7): without one in force, nothing is disposed of."""

    reference = models.CharField(
        _("reference number"), max_length=100, unique=True, help_text=_("The decision's diarienummer.")
    )
    deciding_body = models.CharField(
        _("deciding body"), max_length=200, help_text=_("E.g. Kommunstyrelsen or the archive authority.")
    )
    decided_on = models.DateField(_("decided on"))
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("Empty while the decision is in force until further notice."),
    )
    scope = models.TextField(
        _("what it covers"),
        max_length=4000,
        help_text=_("The records the decision covers, as written in the decision."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disposal decision")
        verbose_name_plural = _("disposal decisions")
        ordering = ["-in_force_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reference=""), name="disposaldecision_reference_required"),
            models.CheckConstraint(condition=~Q(deciding_body=""), name="disposaldecision_body_required"),
            models.CheckConstraint(condition=~Q(scope=""), name="disposaldecision_scope_required"),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=F("in_force_from")),
                name="disposaldecision_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.deciding_body})"

    def get_absolute_url(self):
        return reverse("moderation:decision_detail", kwargs={"pk": self.pk})

    def is_in_force_on(self, day) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


# The retention "category" of inquiries received on private accounts or channels (section 5),
# beside the removal reasons a-h/other: disposed of under the same decision (4:7).
INQUIRY_RETENTION = "inquiry"
INQUIRY_RETENTION_LABEL = _("Inquiries received on private accounts or channels (section 5)")


class RetentionPeriod(models.Model):
    """How long records of one category are kept under a decision; a category without one is not covered.

    The category is a removal reason (a-h, other), counted from the day the comment was
    removed, or ``inquiry``, counted from the day the inquiry was registered.
    """

    decision = models.ForeignKey(
        DisposalDecision, on_delete=models.PROTECT, related_name="retention_periods", verbose_name=_("decision")
    )
    category = models.CharField(_("reason"), max_length=10)
    months = models.PositiveIntegerField(
        _("retention in months"), help_text=_("Counted from the day the comment was removed (Europe/Stockholm).")
    )

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["decision", "category"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "category"], name="retentionperiod_one_per_category"),
            models.CheckConstraint(
                condition=Q(category__in=["a", "b", "c", "d", "e", "f", "g", "h", "other", INQUIRY_RETENTION]),
                name="retentionperiod_known_category",
            ),
        ]

    def __str__(self):
        return f"{self.decision.reference}: {self.category_label} {self.months}"

    @property
    def category_label(self) -> str:
        """The reason's label (or the inquiries'), never its code."""
        if self.category == INQUIRY_RETENTION:
            return str(INQUIRY_RETENTION_LABEL)
        return Category.label_of(self.category)


class Hold(models.Model):
    """A hold (a pending request, a police report, a complaint): held records are never disposed of."""

    class Kind(models.TextChoices):
        RECORDS = "records", _("chosen records")
        CHANNEL = "channel", _("a channel")
        PERIOD = "period", _("a period")
        INQUIRIES = "inquiries", _("chosen inquiries")

    kind = models.CharField(_("what is held"), max_length=10, choices=Kind.choices)
    records = models.ManyToManyField(
        "moderation.RemovedComment", blank=True, related_name="holds", verbose_name=_("records")
    )
    inquiries = models.ManyToManyField(
        "inquiries.Inquiry", blank=True, related_name="holds", verbose_name=_("inquiries")
    )
    channel = models.ForeignKey(
        "registry.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("channel")
    )
    period_from = models.DateField(_("removed from"), null=True, blank=True)
    period_until = models.DateField(_("removed until"), null=True, blank=True)
    reason = models.TextField(
        pgettext_lazy("hold", "reason"),
        max_length=2000,
        help_text=_("E.g. a pending request for public records, a police report."),
    )
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="hold_reason_required"),
            models.CheckConstraint(
                condition=~Q(kind="channel") | Q(channel__isnull=False), name="hold_channel_has_channel"
            ),
            models.CheckConstraint(
                condition=~Q(kind="period")
                | Q(period_from__isnull=False, period_until__isnull=False, period_until__gte=F("period_from")),
                name="hold_period_complete",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="hold_lifting_complete",
            ),
        ]
        indexes = [models.Index(fields=["lifted_at", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reason[:60]}"

    def get_absolute_url(self):
        return reverse("moderation:hold_list")

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class DisposalRun(models.Model):
    """One execution of disposal under one decision: what was destroyed, when, by whom."""

    class Source(models.TextChoices):
        SCREEN = "screen", _("confirmed on screen")
        COMMAND = "command", _("scheduled command")

    decision = models.ForeignKey(
        DisposalDecision, on_delete=models.PROTECT, related_name="runs", verbose_name=_("decision")
    )
    as_of = models.DateField(_("as of"), help_text=_("The day (Europe/Stockholm) the retention was counted to."))
    executed_at = models.DateTimeField(_("executed at"))
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices)
    record_count = models.PositiveIntegerField(_("records"))
    inquiry_count = models.PositiveIntegerField(_("inquiries"), default=0)
    file_count = models.PositiveIntegerField(_("files"))

    class Meta:
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")
        ordering = ["-executed_at", "-id"]

    def __str__(self):
        return f"{self.decision.reference} {self.executed_at:%Y-%m-%d %H:%M} ({self.record_count})"


class DisclosureRequest(models.Model):
    """A request for public records (begäran om utlämnande av allmän handling) and the copy it produced."""

    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    requester = models.CharField(
        _("requester"),
        max_length=200,
        blank=True,
        help_text=_("Optional: anyone may ask for public records without saying who they are."),
    )
    description = models.TextField(_("what was asked for"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request for public records")
        verbose_name_plural = _("requests for public records")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(description=""), name="disclosure_description_required")]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("moderation:disclosure_detail", kwargs={"pk": self.pk})


class DisclosureItem(models.Model):
    """One record selected for a request; a confidential one needs a recorded review decision."""

    class Decision(models.TextChoices):
        RELEASED = "released", _("released")
        RELEASED_IN_PART = "partial", _("released in part")
        WITHHELD = "withheld", _("withheld")

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.PROTECT, related_name="items", verbose_name=_("request")
    )
    record = models.ForeignKey(
        "moderation.RemovedComment", on_delete=models.PROTECT, related_name="+", verbose_name=_("record")
    )
    decision = models.CharField(_("review decision"), max_length=10, choices=Decision.choices, blank=True)
    redacted_text = models.TextField(
        _("text as released"), blank=True, help_text=_("For release in part: the comment with the secret parts masked.")
    )
    redaction_note = models.TextField(
        _("grounds and redactions"),
        max_length=4000,
        blank=True,
        help_text=_("What was masked or withheld, and the provision of the Public Access and Secrecy Act applied."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("requested record")
        verbose_name_plural = _("requested records")
        ordering = ["request", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "record"], name="disclosureitem_once_per_request"),
            models.CheckConstraint(
                condition=Q(decision="", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(decision="") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="disclosureitem_decision_complete",
            ),
            models.CheckConstraint(
                condition=~Q(decision="partial") | (~Q(redacted_text="") & ~Q(redaction_note="")),
                name="disclosureitem_partial_has_redactions",
            ),
            models.CheckConstraint(
                condition=~Q(decision="withheld") | ~Q(redaction_note=""), name="disclosureitem_withheld_has_grounds"
            ),
        ]

    def __str__(self):
        return f"{self.request} #{self.record_id}"
