"""Mandates (uppdrag, 4:2) and the guidelines versions their acknowledgements accept."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from norsjo.paths import path_for_pk

from ..querysets import MandateQuerySet
from .channels import Channel


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
        return path_for_pk("mandates:detail", self.pk)

    def delete(self, *args, **kwargs):
        raise TypeError("Mandates are records; revoke them with registry.services.mandates.mandate_revoke.")

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
        return self.state_on(timezone.localdate())

    def is_active_on(self, day) -> bool:
        return self.state_on(day) == self.State.ACTIVE
