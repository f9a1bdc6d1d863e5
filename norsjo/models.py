from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """How many requests one client made in one window of one scope (norsjo.ratelimit)."""

    key = models.CharField(_("key"), max_length=200, unique=True, help_text=_("scope:client address:window"))
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.BigIntegerField(_("expires at"), db_index=True, help_text=_("Unix time the window ends."))

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self):
        return self.key
