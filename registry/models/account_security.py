"""The security of a channel's account on the platform itself: who administers it, 2FA, recovery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .channels import Channel
from .reviews import ChannelReview

NO_PASSWORD = _("Never write a password here: the register does not keep passwords.")


class AccountSecurityCheck(models.Model):
    """One check of a channel's platform account, usually made in the yearly review.

    The latest check is the channel's current state; what is flagged follows from it and
    from today's mandates (``registry.selectors.account_security.account_security``). No password is
    ever stored: there is no field for one.
    """

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="security_checks", verbose_name=_("channel")
    )
    review = models.ForeignKey(
        ChannelReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_checks",
        verbose_name=_("yearly review"),
    )
    checked_on = models.DateField(_("checked on"))
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("administrators on the platform"),
        help_text=_(
            "The people who hold administrator rights on the platform itself; each needs an active mandate "
            "as account administrator, and there should be at least two."
        ),
    )
    two_factor = models.BooleanField(_("two-factor authentication is on"), help_text=NO_PASSWORD)
    recovery_address = models.EmailField(
        _("recovery address"),
        max_length=254,
        help_text=_("A functional mailbox of the unit (e.g. kultur@...), never a person's own address."),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account security check")
        verbose_name_plural = _("account security checks")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["channel", "-checked_on"])]

    def __str__(self):
        return f"{self.channel} {self.checked_on:%Y-%m-%d}"
