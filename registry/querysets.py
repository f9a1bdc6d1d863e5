"""Reusable filters for the registry's models."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from norsjo.append_only import AppendOnlyQuerySet

HISTORY_APPEND_ONLY = "History entries are append-only: they are never changed."
HISTORY_NEVER_DELETED = "History entries are never deleted; they are written by registry.history.record."


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def public(self):
        """Return the channels on the public list (4:4): published and active."""
        return self.active().filter(is_published=True)

    def open(self):
        """Return the channels that are not closed or rejected."""
        return self.exclude(status__in=[self.model.Status.CLOSED, self.model.Status.REJECTED])

    def of_units(self, unit_ids):
        return self.filter(unit_id__in=unit_ids)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(handle__icontains=text)
            | models.Q(url__icontains=text)
            | models.Q(purpose__icontains=text)
        )

    def with_related(self):
        return self.select_related("platform", "unit")


class ChannelChangeQuerySet(models.QuerySet):
    def pending(self):
        """Return the proposed changes of address that wait for the web team."""
        return self.filter(status=self.model.Status.PENDING)


class UnitQuerySet(models.QuerySet):
    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)

    def without_manager(self):
        """Active units with no active manager: nobody there grants mandates (4:2, 4:3)."""
        return self.filter(is_active=True).exclude(managers__is_active=True)


# What lists of mandates read (``MandateQuerySet.for_lists``): a user's name and account state
# (``get_full_name``, ``get_username``, ``permissions.mandate_grant_refusal``), a channel's
# name, state, address, platform and unit; the mandate's own columns all (its page reads them).
USER_LIST_FIELDS = ("username", "first_name", "last_name", "is_active", "is_superuser")
CHANNEL_LIST_FIELDS = ("name", "status", "platform", "unit", "url", "handle", "is_published", "closed_on")


class MandateQuerySet(models.QuerySet):
    """Mandate states follow from data (4:2): dates, acknowledgement and revocation."""

    def delete(self):
        raise TypeError("Mandates are records; revoke them with registry.services.mandates.mandate_revoke.")

    def with_related(self):
        """What a mandate's own page shows (its people, channel, platform, unit, whether renewed): one at a time.

        Whether a renewal exists is ``renewed`` (``with_renewed``), not a join: the reverse join
        to the renewal doubled PostgreSQL's planning of the page's query; the page reads the
        renewal itself (``mandate.renewal``) only when there is one. Who revoked it is not joined
        either (``mandate.revoked_by`` is read when the page shows it, for a revoked mandate): a
        third join to the users made PostgreSQL plan the query in 3.5–17 ms instead of 1.4–1.7 ms
        on this machine (issue 15, the mandate pages).
        """
        return self.select_related(
            "employee", "granted_by", "channel", "channel__platform", "channel__unit"
        ).with_renewed()

    def with_renewed(self):
        """Annotate ``renewed``: whether a renewal of the mandate exists (the state badge)."""
        return self.annotate(renewed=models.Exists(self.model.objects.filter(renewal_of=models.OuterRef("pk"))))

    def for_lists(self, *, employee: bool = True, granted_by: bool = True, unit: bool = True, renewal: bool = True):
        """What a list of mandates shows, and no more: fewer joins and columns, no password hashes.

        The employee's and the granter's names and account state, the channel's name, platform
        and unit, the mandate's dates, role and state (``Mandate.state_on``), and ``renewed``:
        whether a renewal exists (the state badge), asked in a subquery rather than joined. A
        list's query with ``with_related()`` joins 7 tables and selects 93 columns, and costs
        PostgreSQL ten times as much to plan (docs/performance.md, "Pages (issue 15)"); the
        reverse join to the renewal alone doubles the planning of a list. Each part a list does
        not show is left out: the *employee* (of one person's own mandates, who is the reader),
        the *granted_by*, the channel's *unit*, the *renewal*.
        """
        own = [field.name for field in self.model._meta.concrete_fields]
        people = [person for person, shown in (("employee", employee), ("granted_by", granted_by)) if shown]
        qs = self.select_related(*people, "channel", "channel__platform", *(["channel__unit"] if unit else [])).only(
            *own,
            *(f"{person}__{name}" for person in people for name in USER_LIST_FIELDS),
            *(f"channel__{name}" for name in CHANNEL_LIST_FIELDS),
        )
        return qs.with_renewed() if renewal else qs

    def for_reminders(self):
        """What a reminder of a mandate shows: the channel's name and platform, the role and the dates."""
        own = [field.name for field in self.model._meta.concrete_fields]
        return self.select_related("channel", "channel__platform").only(*own, "channel__name", "channel__platform")

    def not_started(self, on=None):
        """Return acknowledged, unrevoked mandates that start after *on*."""
        return self.filter(acknowledged_at__isnull=False, revoked_at__isnull=True, valid_from__gt=self._day(on))

    def expiring(self, *, within_days: int, on=None):
        """Return current mandates ending within *within_days* of *on* that have not been renewed."""
        day = self._day(on)
        return self.ending_by(day + timedelta(days=within_days), on=day)

    def ending_by(self, last_day, *, on=None):
        """Return current mandates (on *on*) ending on or before *last_day* that have not been renewed."""
        return self.current(on=on).filter(valid_until__lte=last_day, renewal__isnull=True)

    def of_units(self, unit_ids):
        return self.filter(channel__unit_id__in=unit_ids)

    def _day(self, on):
        return on or timezone.localdate()  # the municipality's day, Europe/Stockholm

    def active(self, on=None):
        """Return mandates in force on *on* (today): within validity, acknowledged, not revoked."""
        day = self._day(on)
        return self.filter(
            valid_from__lte=day, valid_until__gte=day, acknowledged_at__isnull=False, revoked_at__isnull=True
        )

    def awaiting_acknowledgement(self, on=None):
        """Return current mandates (not ended, not revoked) not yet acknowledged."""
        return self.current(on=on).filter(acknowledged_at__isnull=True)

    def expired(self, on=None):
        return self.filter(revoked_at__isnull=True, valid_until__lt=self._day(on))

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def current(self, on=None):
        """Return mandates that are neither revoked nor past their end date."""
        return self.filter(revoked_at__isnull=True, valid_until__gte=self._day(on))

    def for_channel(self, channel):
        return self.filter(channel=channel)

    def of(self, employee, role=None):
        qs = self.filter(employee=employee)
        return qs.filter(role=role) if role else qs

    def overlapping(self, valid_from, valid_until):
        """Return unrevoked mandates whose validity shares at least one day with the period."""
        return self.filter(revoked_at__isnull=True, valid_from__lte=valid_until, valid_until__gte=valid_from)


class PoliticianLinkQuerySet(models.QuerySet):
    def current(self):
        """Return the links that have not been withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def public(self):
        """Return the links on the public list (4:5): published and not withdrawn."""
        return self.current().filter(is_published=True)


class DocumentationQuerySet(models.QuerySet):
    def for_channel(self, channel):
        return self.filter(channel=channel)


class ChannelReviewQuerySet(models.QuerySet):
    def for_channel(self, channel):
        return self.filter(channel=channel)


class HistoryEntryQuerySet(AppendOnlyQuerySet):
    """History entries are inserted, never updated or deleted (pretix's ``LogEntry``)."""

    append_only_message = HISTORY_APPEND_ONLY
    delete_message = HISTORY_NEVER_DELETED

    def of(self, subject):
        """Return the history of one record (any model instance)."""
        return self.of_record(ContentType.objects.get_for_model(subject).pk, subject.pk)

    def of_record(self, content_type_id, object_id):
        """Return the history of the record *object_id* of the type *content_type_id* (``of`` by ids)."""
        return self.filter(content_type_id=content_type_id, object_id=object_id)
