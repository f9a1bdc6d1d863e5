"""Reusable filters for the moderation log, and the refusals that keep it append-only."""

from django.db import models

APPEND_ONLY = "The moderation log is append-only: records are never changed."
DISPOSAL_ONLY = "Moderation records are disposed of only through the audited disposal service."


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that refuses bulk changes; rows are only ever inserted."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(DISPOSAL_ONLY)

    # bulk_update would bypass save(); refuse it as well.
    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)


class RemovedCommentQuerySet(AppendOnlyQuerySet):
    def originals(self):
        """Return records that are not addenda."""
        return self.filter(addendum_to__isnull=True)

    def with_related(self):
        return self.select_related("channel", "logged_by", "addendum_to")

    def of_channels(self, channel_ids):
        return self.filter(channel_id__in=channel_ids)

    def of_units(self, unit_ids):
        return self.filter(channel__unit_id__in=unit_ids)


class DisposableQuerySet(models.QuerySet):
    """Content and attachments: never updated; deleted only by the disposal service.

    ``delete()`` stays refused here too: the disposal service deletes with
    ``_raw_delete`` after writing the ``DisposedRecord`` row, which the database trigger
    checks.
    """

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(DISPOSAL_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY)
