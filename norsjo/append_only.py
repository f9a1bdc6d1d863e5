"""Rows written once and never changed or deleted: the records and the change history.

pretix's ``LogEntry.delete()`` raises; ours refuse every way the ORM offers to change a row.
The database adds triggers where the law asks for more (moderation.triggers). A subclass
names its own refusals in ``append_only_message`` and ``delete_message``.
"""

from django.db import models

APPEND_ONLY = "These rows are append-only: they are never changed."
NEVER_DELETED = "These rows are never deleted."


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that refuses bulk changes; rows are only ever inserted."""

    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED

    def update(self, **kwargs):
        raise TypeError(self.append_only_message)

    def delete(self):
        raise TypeError(self.delete_message)

    # bulk_update and update_or_create would bypass save(); refuse them as well.
    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(self.append_only_message)

    def update_or_create(self, *args, **kwargs):
        raise TypeError(self.append_only_message)


class AppendOnlyModel(models.Model):
    """A row written once: saving it again or deleting it raises."""

    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(self.delete_message)
