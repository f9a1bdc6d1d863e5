"""Reminders sent by the daily run, kept so that none is sent twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
