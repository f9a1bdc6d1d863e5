"""Reports from the public of accounts that pretend to be the municipality's (impostors)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .channels import Channel

# Size limits of the public form (an abuse protection as much as a data rule).
REPORT_NOTE_MAX = 2000
REPORT_CONTACT_MAX = 200
REPORT_URL_MAX = 600


class ImpostorReport(models.Model):
    """A citizen's report that an address pretends to be an official channel, and how the web team settled it.

    The report is received without sign-in; what it resembled (the lookalike channels of the
    public list at that moment) is kept as a text snapshot and as links to the channels.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", _("not yet settled")
        REPORTED = "reported", _("reported to the platform")
        NOT_IMPOSTOR = "not_impostor", _("not an impostor")
        DUPLICATE = "duplicate", _("duplicate")

    url = models.CharField(_("reported address"), max_length=REPORT_URL_MAX)
    platform = models.CharField(_("platform"), max_length=40, blank=True)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    note = models.TextField(_("what the reporter wrote"), max_length=REPORT_NOTE_MAX, blank=True)
    contact = models.CharField(_("the reporter's contact"), max_length=REPORT_CONTACT_MAX, blank=True)
    resembles = models.ManyToManyField(
        Channel, blank=True, related_name="impostor_reports", verbose_name=_("official channels it resembles")
    )
    resembles_text = models.TextField(
        _("resembled when reported"), blank=True, help_text=_("The lookalike match as it was when the report came in.")
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("duplicate of")
    )
    settled_note = models.TextField(_("note on the outcome"), max_length=2000, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settled by"),
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("impostor report")
        verbose_name_plural = _("impostor reports")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["outcome", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="open", settled_at__isnull=True) | Q(~Q(outcome="open"), settled_at__isnull=False),
                name="impostorreport_settled_when_not_open",
            ),
            models.CheckConstraint(
                condition=Q(outcome="duplicate", duplicate_of__isnull=False) | Q(duplicate_of__isnull=True),
                name="impostorreport_duplicate_of_only_for_duplicates",
            ),
        ]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("registry:impostor_report_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN
