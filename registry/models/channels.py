"""Units, the platform catalogue, channels and proposed changes of a channel's address."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left, Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from norsjo.paths import path_for_pk

from ..platforms import LOOKALIKE_KEY_LENGTH, LOOKALIKE_STEM_LENGTH, lookalike_key_expression
from ..querysets import ChannelChangeQuerySet, ChannelQuerySet, UnitQuerySet


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
    registrar_email = models.EmailField(
        _("registrar's e-mail"),
        blank=True,
        help_text=_(
            "Where inquiries concerning the unit are sent for registration. "
            "Empty: the municipality's registrar (the setting REGISTRAR_EMAIL)."
        ),
    )
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
        return self.label(self.name, str(self.platform))

    def get_absolute_url(self):
        return path_for_pk("registry:channel_detail", self.pk)

    @staticmethod
    def label(name: str, platform_name: str) -> str:
        """How a channel is named in lists and choices: its name and platform."""
        return f"{name} ({platform_name})"

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
    decision_reason = models.TextField(pgettext_lazy("decision", "reason"), blank=True, max_length=2000)

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
