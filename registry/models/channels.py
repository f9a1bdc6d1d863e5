"""The register of the municipality's official social-media channels."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Right
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import history
from .history import ACTION_LABELS  # noqa: F401 - re-exported for existing callers
from .platforms import LOOKALIKE_KEY_LENGTH, LOOKALIKE_STEM_LENGTH, lookalike_key_expression
from .querysets import (
    ChannelChangeQuerySet,
    ChannelQuerySet,
    ChannelReviewQuerySet,
    DocumentationQuerySet,
    MandateQuerySet,
    PoliticianLinkQuerySet,
    UnitQuerySet,
)


class Unit(models.Model):
    """An organisational unit (verksamhet, förvaltning) that owns channels and employs staff."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True, help_text=_("Used in addresses and the API."))
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        related_name="managed_units",
        blank=True,
        help_text=_("Managers (chefer) may propose channels for the unit and grant mandates to its staff."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Part of the public list's validators (ETag, Last-Modified): a renamed unit changes the list.
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Platform(models.Model):
    """A social-media platform; the catalogue is seeded by a data migration."""

    slug = models.SlugField(_("identifier"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    # Part of the public list's validators (ETag, Last-Modified): a renamed platform changes the list.
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Channel(models.Model):
    """One official account or page on one platform, owned by a unit."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", _("closed")
        REJECTED = "rejected", _("rejected")

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="channels", verbose_name=_("platform")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("The account's name as shown on the platform."))
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_("The channel's web address; it is normalised so that each channel has exactly one."),
    )
    handle = models.CharField(
        _("handle"), max_length=200, blank=True, help_text=_("The account name, e.g. @norsjokommun.")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="channels", verbose_name=_("unit"))
    purpose = models.TextField(
        _("purpose"), max_length=2000, help_text=_("Why the channel exists (guidelines section 2: a clear purpose).")
    )
    audience = models.TextField(_("audience"), max_length=1000, help_text=_("Whom the channel is for."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    is_published = models.BooleanField(
        _("on the public list"), default=False, help_text=_("Shown on the public list of channels (4:4).")
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # The handle's lookalike key and its two stems, computed by the database from the handle
    # (registry.platforms.lookalike_key), so no path can leave them stale: "is this really
    # you?" finds lookalikes through their indexes without comparing every channel.
    lookalike_key = models.GeneratedField(
        expression=lookalike_key_expression("handle"),
        output_field=models.CharField(max_length=LOOKALIKE_KEY_LENGTH),
        db_persist=True,
        verbose_name=_("lookalike key"),
    )
    lookalike_head = models.GeneratedField(
        expression=Left(lookalike_key_expression("handle"), LOOKALIKE_STEM_LENGTH),
        output_field=models.CharField(max_length=LOOKALIKE_STEM_LENGTH),
        db_persist=True,
        verbose_name=_("start of the lookalike key"),
    )
    lookalike_tail = models.GeneratedField(
        expression=Right(lookalike_key_expression("handle"), LOOKALIKE_STEM_LENGTH),
        output_field=models.CharField(max_length=LOOKALIKE_STEM_LENGTH),
        db_persist=True,
        verbose_name=_("end of the lookalike key"),
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]
        constraints = [
            # A rejected proposal does not block the address; any other channel does.
            models.UniqueConstraint(fields=["url"], condition=~Q(status="rejected"), name="channel_url_unique"),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="active"), name="channel_published_active"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="channel_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="channel_rejected_has_reason"
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="channel_purpose_required"),
            models.CheckConstraint(condition=~Q(audience=""), name="channel_audience_required"),
        ]
        indexes = [
            models.Index(fields=["status", "is_published"]),
            # MAX(updated_at) is one of the public list's validators (ETag, Last-Modified).
            models.Index(fields=["updated_at"], name="channel_updated_at_idx"),
            # "Is this really you?": lookalike candidates (registry.selectors.verify_url).
            models.Index(fields=["lookalike_key"], name="channel_lookalike_key_idx"),
            models.Index(fields=["lookalike_head"], name="channel_lookalike_head_idx"),
            models.Index(fields=["lookalike_tail"], name="channel_lookalike_tail_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.platform})"

    def get_absolute_url(self):
        return reverse("registry:channel_detail", kwargs={"pk": self.pk})

    # Mandates are granted on channels in use (not proposed, closed or rejected).
    ACCEPTS_MANDATES = (Status.ACTIVE, Status.PAUSED)

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.REJECTED)


class ChannelChange(models.Model):
    """A proposed change of an official channel's address, platform or handle (issue 10, item 7).

    An active or paused channel's address is official: the verify API and the public list
    answer for it. A manager's change of it waits here for the web team; the channel keeps
    its approved address until the change is approved (``services.channel_change_approve``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the web team's approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # The fields of a channel that say which account it is; changing them needs approval.
    FIELDS = ("platform", "url", "handle")

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="address_changes", verbose_name=_("channel")
    )
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+", verbose_name=_("platform"))
    url = models.URLField(_("address"), max_length=500, help_text=_("The proposed address, normalised."))
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)

    objects = ChannelChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change of address")
        verbose_name_plural = _("proposed changes of address")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One open proposal per channel, and one open claim on an address.
            models.UniqueConstraint(
                fields=["channel"], condition=Q(status="pending"), name="channelchange_one_pending_per_channel"
            ),
            models.UniqueConstraint(fields=["url"], condition=Q(status="pending"), name="channelchange_url_pending"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="channelchange_decision_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""), name="channelchange_rejected_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.channel.name}: {self.url}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class GuidelineVersion(models.Model):
    """One version of the guidelines text, identified by its SHA-256, as first seen by the application.

    Each acknowledgement of a mandate records the version the employee accepted (4:2).
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    text = models.TextField(_("text"))
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("guidelines version")
        verbose_name_plural = _("guidelines versions")
        ordering = ["-first_seen", "-id"]

    def __str__(self):
        return f"{self.sha256[:12]} ({self.first_seen:%Y-%m-%d})"

    @property
    def short(self) -> str:
        return self.sha256[:12]

    @property
    def number(self) -> int:
        """Return the version's number: 1 for the first text the application saw, and so on."""
        earlier = Q(first_seen__lt=self.first_seen) | Q(first_seen=self.first_seen, pk__lt=self.pk)
        return GuidelineVersion.objects.filter(earlier).count() + 1

    @property
    def label(self) -> str:
        """Name the version for a person: its number and the day it came into use (never its hash)."""
        return _("version %(number)s, in use since %(date)s") % {
            "number": self.number,
            "date": formats.date_format(timezone.localtime(self.first_seen), "DATE_FORMAT"),
        }


class Mandate(models.Model):
    """A manager's written assignment to an employee to use one channel in service (4:2).

    Its state is never stored: it follows from the dates, the acknowledgement and the
    revocation (see ``state_on``).
    """

    class Role(models.TextChoices):
        WRITER = "writer", _("writer")
        MODERATOR = "moderator", _("moderator")
        ACCOUNT_ADMIN = "account_admin", _("account administrator")

    class State(models.TextChoices):
        AWAITING_ACKNOWLEDGEMENT = "awaiting", _("awaiting acknowledgement")
        NOT_STARTED = "not_started", _("not yet in force")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("employee")
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("channel"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WRITER)
    scope = models.TextField(
        _("reason and scope"), max_length=2000, help_text=_("What the employee is to do on the channel, and why.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), help_text=_("Every mandate ends; it can be renewed."))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"),
        null=True,
        blank=True,
        help_text=_("When the employee confirmed acting as an employee and not as a private person (4:2)."),
    )
    acknowledged_version = models.ForeignKey(
        GuidelineVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acknowledgements",
        verbose_name=_("guidelines version accepted"),
        help_text=_("The version of the guidelines the employee read when acknowledging."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, max_length=2000)
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renewal of"),
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="mandate_period_ordered"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revocation_reason="")
                | (Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revocation_reason="")),
                name="mandate_revocation_complete",
            ),
            models.CheckConstraint(condition=~Q(scope=""), name="mandate_scope_required"),
            models.CheckConstraint(
                condition=Q(acknowledged_version__isnull=True) | Q(acknowledged_at__isnull=False),
                name="mandate_version_acknowledged",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "valid_until"]),
            models.Index(fields=["employee", "valid_until"]),
        ]

    def __str__(self):
        return f"{self.employee} – {self.channel} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("mandates:detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        raise TypeError("Mandates are records; revoke them with registry.services.mandate_revoke.")

    def state_on(self, day) -> "Mandate.State":
        """Return the state on *day* (a date in the municipality's time zone)."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        if day > self.valid_until:
            return self.State.EXPIRED
        if self.acknowledged_at is None:
            return self.State.AWAITING_ACKNOWLEDGEMENT
        if day < self.valid_from:
            return self.State.NOT_STARTED
        return self.State.ACTIVE

    @property
    def state(self) -> "Mandate.State":
        from django.utils import timezone

        return self.state_on(timezone.localdate())

    def is_active_on(self, day) -> bool:
        return self.state_on(day) == self.State.ACTIVE


class PoliticianLink(models.Model):
    """A politician's own blog or party site, linked from the public list by decision (4:5).

    The views there are the politician's own, not the municipality's; the public list says so.
    A link is never deleted: it is withdrawn, and stays with its decision and history.
    """

    class Kind(models.TextChoices):
        BLOG = "blog", _("blog")
        PARTY_SITE = "party_site", _("party website")
        OTHER = "other", _("other")

    politician = models.CharField(_("politician"), max_length=200, help_text=_("The politician's name."))
    party = models.CharField(_("party"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=500, help_text=_("Normalised as channel addresses are."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BLOG)
    decided_by = models.CharField(
        _("decided by"),
        max_length=200,
        help_text=_("Who decided to link (the person responsible for the website), name and title."),
    )
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("reference number"), max_length=60, blank=True, help_text=_("Diarienummer."))
    is_published = models.BooleanField(_("on the public list"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = PoliticianLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("politician's link")
        verbose_name_plural = _("politicians' links")
        ordering = ["politician", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=Q(withdrawn_at__isnull=True), name="politicianlink_url_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(withdrawn_at__isnull=True),
                name="politicianlink_withdrawn_unpublished",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="politicianlink_withdrawal_complete",
            ),
            models.CheckConstraint(condition=~Q(politician=""), name="politicianlink_politician_required"),
            models.CheckConstraint(condition=~Q(decided_by=""), name="politicianlink_decided_by_required"),
        ]

    def __str__(self):
        return f"{self.politician} ({self.party})" if self.party else self.politician

    def get_absolute_url(self):
        return reverse("registry:politician_detail", kwargs={"pk": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Documentation(models.Model):
    """Screenshots of a channel saved once a year or before a big change (4:8)."""

    class Reason(models.TextChoices):
        YEARLY = "yearly", _("yearly documentation")
        BEFORE_CHANGE = "before_change", _("before a change")
        BEFORE_CLOSING = "before_closing", _("before closing")

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="documentation", verbose_name=_("channel")
    )
    documented_on = models.DateField(_("date of the screenshots"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.YEARLY)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects = DocumentationQuerySet.as_manager()

    class Meta:
        verbose_name = _("documentation")
        verbose_name_plural = _("documentation")
        ordering = ["-documented_on", "-pk"]
        indexes = [models.Index(fields=["channel", "-documented_on"])]

    def __str__(self):
        return f"{self.channel} {self.documented_on:%Y-%m-%d}"


def _documentation_path(instance, filename):
    # The stored name never comes from the uploader: a random name with the checked extension.
    extension = DocumentationFile.EXTENSIONS[instance.content_type][0]
    return f"documentation/{instance.documentation.channel_id}/{uuid.uuid4().hex}{extension}"


class DocumentationFile(models.Model):
    """One screenshot file (PNG, JPEG or PDF) kept under MEDIA_ROOT, never at a public URL."""

    # Content type -> accepted extensions (the first is used for the stored name).
    EXTENSIONS = {
        "image/png": (".png",),
        "image/jpeg": (".jpg", ".jpeg"),
        "application/pdf": (".pdf",),
    }

    documentation = models.ForeignKey(
        Documentation, on_delete=models.PROTECT, related_name="files", verbose_name=_("documentation")
    )
    file = models.FileField(_("file"), upload_to=_documentation_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)

    class Meta:
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/png", "image/jpeg", "application/pdf"]),
                name="documentationfile_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("registry:documentation_file", kwargs={"pk": self.pk})


class ChannelReview(models.Model):
    """A unit's yearly review of one of its channels: still needed, purpose and writers right?"""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("channel"))
    reviewed_on = models.DateField(_("reviewed on"))
    still_needed = models.BooleanField(_("the channel is still needed"))
    purpose_ok = models.BooleanField(_("the purpose and audience are still right"))
    writers_ok = models.BooleanField(_("the appointed writers are still right"))
    note = models.TextField(
        _("note"), blank=True, max_length=2000, help_text=_("Required when something is not right.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ChannelReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["channel", "-reviewed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(still_needed=True) & Q(purpose_ok=True) & Q(writers_ok=True)) | ~Q(note=""),
                name="channelreview_note_when_not_ok",
            ),
        ]

    def __str__(self):
        return f"{self.channel} {self.reviewed_on:%Y-%m-%d}"

    @property
    def all_ok(self) -> bool:
        return self.still_needed and self.purpose_ok and self.writers_ok


class HistoryEntry(models.Model):
    """One event in the life of a record: who did what, when and why. Never changed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the system acted (e.g. a mandate expired)."),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self):
        return history.ACTION_LABELS.get(self.action, self.action)

    @property
    def actor_name(self) -> str:
        """Name who acted: the person, or the system (the daily job records expiries without an actor)."""
        if self.actor is None:
            return _("the system")
        return self.actor.get_full_name() or self.actor.get_username()

    def change_lines(self) -> list[history.ChangeLine]:
        """Return the recorded changes as the reader reads them (labels, display values, their language)."""
        return history.describe_changes(self)


class ReminderSent(models.Model):
    """One reminder e-mailed to one person, kept so that a daily run never sends it twice.

    ``kind`` names the reminder (see ``registry.reminders``); ``key`` names what it is about
    (e.g. ``mandate:12``), so later kinds (yearly reviews, ...) reuse the same table.
    """

    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("about"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient}"
