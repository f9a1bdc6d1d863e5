"""The change history of the registry's records (and the archive's): append-only, written by
``registry.history.record`` only."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from norsjo.append_only import AppendOnlyModel

from .. import history
from ..querysets import HISTORY_APPEND_ONLY, HISTORY_NEVER_DELETED, HistoryEntryQuerySet


class HistoryEntry(AppendOnlyModel):
    """One event in the life of a record: who did what, when and why. Never changed, never deleted.

    Like pretix's ``LogEntry``: saving an entry again, updating or deleting entries raises
    (``norsjo.append_only``). Entries are written by ``registry.history.record`` only.
    """

    append_only_message = HISTORY_APPEND_ONLY
    delete_message = HISTORY_NEVER_DELETED

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

    objects = HistoryEntryQuerySet.as_manager()

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
