"""The units' yearly review of their channels."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..querysets import ChannelReviewQuerySet
from .channels import Channel


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
