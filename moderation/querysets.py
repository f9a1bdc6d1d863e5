"""Reusable filters for the moderation log, and the refusals that keep it append-only."""

from django.db import models

from norsjo import append_only

from . import classification

APPEND_ONLY = "The moderation log is append-only: records are never changed."
DISPOSAL_ONLY = "Moderation records are disposed of only through the audited disposal service."


class AppendOnlyQuerySet(append_only.AppendOnlyQuerySet):
    """A queryset that refuses bulk changes, with the moderation log's own messages (4:6)."""

    append_only_message = APPEND_ONLY
    delete_message = DISPOSAL_ONLY


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

    def with_classification(self):
        """Annotate each record's effective classification (``moderation.classification``)."""
        return self.annotate(**classification.annotations(self.model))

    def effectively_confidential(self):
        """Return the records whose effective classification is confidential (4:10 h, an addendum included)."""
        return self.filter(classification.confidential_condition(self.model))

    def not_effectively_confidential(self):
        return self.exclude(classification.confidential_condition(self.model))

    def alone(self):
        """Return the records in a group of one (no addendum, none to them): their own reason is in effect."""
        return self.filter(classification.alone_condition(self.model))

    def in_groups(self):
        """Return the records with addenda and the addenda: the few classified over their group."""
        return self.exclude(classification.alone_condition(self.model))

    def of_effective_category(self, category: str):
        """Return the records whose reason in effect is *category*."""
        # The few groups with addenda are classified first, apart; every other record by its
        # own reason, so that the (category, id) index answers and no correlated subquery
        # runs per row of the log.
        manager = self.model._base_manager
        addenda = list(manager.filter(addendum_to__isnull=False).values_list("pk", "addendum_to_id"))
        roots = {root for _pk, root in addenda}
        members = roots | {pk for pk, _root in addenda}
        matching = []
        if members:
            matching = list(
                manager.filter(pk__in=members)
                .alias(**classification.annotations(self.model))
                .filter(effective_category=category)
                .values_list("pk", flat=True)
            )
        alone = models.Q(category=category, addendum_to__isnull=True) & ~models.Q(pk__in=sorted(roots))
        return self.filter(alone | models.Q(pk__in=matching))

    def retention_months(self, periods):
        """Annotate ``retention_months``: the effective retention under a decision's *periods* (None: kept)."""
        return self.annotate(retention_months=classification.retention_months_expression(self.model, periods))


class DisposableQuerySet(AppendOnlyQuerySet):
    """Content and attachments: never updated; deleted only by the disposal service.

    ``delete()`` stays refused here too: the disposal service deletes with
    ``_raw_delete`` after writing the ``DisposedRecord`` row, which the database trigger
    checks.
    """
