"""Reads of mandates (4:2) and appointed writers (4:3) for the registry's screens.

The mandate pages' lists are each selector's own queryset compiled once per shape
(``norsjo.prepared.PreparedQuery``); the rules stay in ``registry.querysets`` and
``registry.permissions``. Re-exported by ``registry.selectors``.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window

from norsjo.prepared import INTS, KEY, PreparedQuery, is_possible_key

from .. import permissions
from ..models import Channel, HistoryEntry, Mandate
from ..querysets import USER_LIST_FIELDS


def _history_for(subject) -> QuerySet[HistoryEntry]:
    from . import history_for  # the package imports this module first

    return history_for(subject)


def _mandates_seen_by(user_id, unit_ids) -> QuerySet[Mandate]:
    """The mandates a person who is not on the web team sees: their own, those they granted, their units'."""
    return Mandate.objects.with_related().filter(
        Q(employee_id=user_id) | Q(granted_by_id=user_id) | Q(channel__unit_id__in=unit_ids)
    )


def mandates_visible_to(user) -> QuerySet[Mandate]:
    """Return the mandates *user* may see: their own, those they granted, their units', or all for the web team."""
    if not user.is_authenticated or not user.is_active:
        return Mandate.objects.none()
    if permissions.is_web_team(user):
        return Mandate.objects.with_related()
    return _mandates_seen_by(user.pk, permissions.managed_unit_ids(user))


# A mandate's page: one of ``mandates_visible_to(user)``, compiled once (norsjo.prepared).
_SEEN_MANDATE = PreparedQuery(
    lambda pk, user_id, unit_ids: _mandates_seen_by(user_id, unit_ids).filter(pk=pk)[:1],
    pk=int,
    user_id=int,
    unit_ids=INTS,
)
_ANY_MANDATE = PreparedQuery(lambda pk: Mandate.objects.with_related().filter(pk=pk)[:1], pk=int)


def mandate_visible_to(user, pk: int) -> Mandate | None:
    """Return the mandate *pk* if *user* may see it (``mandates_visible_to``), else None."""
    if not user.is_authenticated or not user.is_active or not is_possible_key(pk):
        return None
    if permissions.is_web_team(user):
        found = _ANY_MANDATE(pk=pk)
    else:
        found = _SEEN_MANDATE(pk=pk, user_id=user.pk, unit_ids=permissions.managed_unit_ids(user))
    return found[0] if found else None


HISTORY_SHOWN = 100  # the newest entries a record's page shows
_MANDATE_HISTORY = PreparedQuery(lambda pk: _history_for(Mandate(pk=pk))[:HISTORY_SHOWN], pk=int)


def mandate_history_shown(mandate) -> list[HistoryEntry]:
    """The newest ``HISTORY_SHOWN`` entries of ``_history_for(mandate)``, as a mandate's page shows them."""
    return _MANDATE_HISTORY(pk=mandate.pk)


def _mandates_of(user_id) -> QuerySet[Mandate]:
    return Mandate.objects.for_lists(employee=False).filter(employee_id=user_id).order_by("-valid_until", "-pk")


def mandates_of(user) -> QuerySet[Mandate]:
    """Return *user*'s own mandates, newest first ("my mandates"); *user* is not joined again on each."""
    if not user.is_authenticated:
        return Mandate.objects.none()
    return _mandates_of(user.pk)


def _pending_acknowledgements(user_id, *, on=None) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(employee_id=user_id)
        .awaiting_acknowledgement(on=on)
        .for_reminders()
        .order_by("valid_from", "pk")
    )


def pending_acknowledgements(user, *, on=None) -> QuerySet[Mandate]:
    """Return *user*'s mandates that wait for them to read the guidelines and confirm.

    With what the reminders show (the channel's name and platform, the role, the dates), no more.
    """
    if not user.is_authenticated:
        return Mandate.objects.none()
    return _pending_acknowledgements(user.pk, on=on)


# My mandates (``registry.views.mandates.mandate_mine``): the selectors above, compiled once per day
# or page (norsjo.prepared).
_PENDING = PreparedQuery(lambda user_id, day: _pending_acknowledgements(user_id, on=day), user_id=int, day=KEY)
_MINE_PAGE = PreparedQuery(
    lambda user_id, start, size: listed_page(_mandates_of(user_id), start, size), user_id=int, start=KEY, size=KEY
)


def pending_acknowledgements_listed(user, *, on) -> list[Mandate]:
    """``pending_acknowledgements(user, on=on)``, as a list; *on* is today (the view's day).

    Every mandate awaiting acknowledgement is a current one (``MandateQuerySet.current``): a
    person who holds none today (``permissions.holds_current_mandate``, from the roles every
    page reads) has none to acknowledge, and nothing is asked.
    """
    if not user.is_authenticated or not permissions.holds_current_mandate(user):
        return []
    return _PENDING(user_id=user.pk, day=on)


def mandates_of_page(user, *, start: int, size: int) -> list[Mandate]:
    """``listed_page(mandates_of(user), start, size)``."""
    if not user.is_authenticated:
        return []
    return _MINE_PAGE(user_id=user.pk, start=start, size=size)


def appointed_writers(channel, *, on=None) -> QuerySet[Mandate]:
    """Return the active mandates on *channel*: who may write there now, and on whose mandate (4:3)."""
    return (
        Mandate.objects.active(on=on)
        .filter(channel=channel)
        .select_related("employee", "granted_by")
        # Who, in what role, until when and on whose mandate; of the people their names, not their password hashes.
        .only(
            "role",
            "valid_until",
            *(f"employee__{name}" for name in USER_LIST_FIELDS),
            *(f"granted_by__{name}" for name in USER_LIST_FIELDS),
        )
        .order_by("employee__last_name", "employee__first_name", "role", "pk")
    )


def appointed_writers_all(*, on=None, unit: str = "") -> QuerySet[Mandate]:
    """Return every active mandate in the municipality, by unit and channel (the web team's list)."""
    qs = Mandate.objects.active(on=on).for_lists()
    if unit:
        qs = qs.filter(channel__unit__slug=unit)
    return qs.order_by("channel__unit__name", "channel__name", "employee__last_name", "employee__first_name", "pk")


# The appointed writers (``registry.views.mandates.appointed_writers``): compiled once per day and page,
# with and without a unit (norsjo.prepared).
_WRITERS_PAGE = PreparedQuery(
    lambda day, start, size: listed_page(appointed_writers_all(on=day), start, size), day=KEY, start=KEY, size=KEY
)
_WRITERS_OF_UNIT_PAGE = PreparedQuery(
    lambda unit, day, start, size: listed_page(appointed_writers_all(on=day, unit=unit), start, size),
    unit=str,
    day=KEY,
    start=KEY,
    size=KEY,
)


def appointed_writers_page(*, on, unit: str = "", start: int, size: int) -> list[Mandate]:
    """``listed_page(appointed_writers_all(on=on, unit=unit), start, size)``."""
    if unit:
        return _WRITERS_OF_UNIT_PAGE(unit=unit, day=on, start=start, size=size)
    return _WRITERS_PAGE(day=on, start=start, size=size)


def _unit_mandates(unit_ids) -> QuerySet[Mandate]:
    return Mandate.objects.for_lists().of_units(unit_ids).order_by("-valid_until", "-pk")


def _unit_mandates_awaiting(unit_ids, *, on=None) -> QuerySet[Mandate]:
    mandates = Mandate.objects.for_lists(unit=False).awaiting_acknowledgement(on=on)
    return mandates.of_units(unit_ids).order_by("valid_from", "pk")


def _unit_mandates_expiring(unit_ids, *, within_days: int = 30, on=None) -> QuerySet[Mandate]:
    mandates = Mandate.objects.for_lists(granted_by=False, renewal=False).expiring(within_days=within_days, on=on)
    return mandates.of_units(unit_ids).order_by("valid_until", "pk")


def unit_mandates(user) -> QuerySet[Mandate]:
    """Return the mandates on the channels of the units *user* manages, newest first."""
    return _unit_mandates(permissions.managed_unit_ids(user))


def unit_mandates_awaiting(user, *, on=None) -> QuerySet[Mandate]:
    """Return the unit's mandates awaiting acknowledgement, oldest first (shown without their unit)."""
    return _unit_mandates_awaiting(permissions.managed_unit_ids(user), on=on)


def unit_mandates_expiring(user, *, within_days: int = 30, on=None) -> QuerySet[Mandate]:
    """Return the unit's current mandates ending within *within_days* that have not been renewed.

    With who holds them, on which channel, and its unit (who may renew, ``can_renew_mandate``).
    """
    return _unit_mandates_expiring(permissions.managed_unit_ids(user), within_days=within_days, on=on)


def listed_page(mandates: QuerySet, start: int, size: int) -> QuerySet:
    """Rows *start* to *start* + *size* of a list, each with ``listed_total``, the whole list's length (one query)."""
    return mandates.annotate(listed_total=Window(Count("pk")))[start : start + size]


# The manager's view (``registry.views.mandates.mandate_manager``): its lists, each the selector's
# queryset above, compiled once per day (or page) and number of units (norsjo.prepared).
MANAGER_LIST_LIMIT = 100
_UNIT_EXPIRING = PreparedQuery(
    lambda unit_ids, day: _unit_mandates_expiring(unit_ids, on=day)[:MANAGER_LIST_LIMIT], unit_ids=INTS, day=KEY
)
_UNIT_AWAITING = PreparedQuery(
    lambda unit_ids, day: _unit_mandates_awaiting(unit_ids, on=day)[:MANAGER_LIST_LIMIT], unit_ids=INTS, day=KEY
)
_UNIT_PAGE = PreparedQuery(
    lambda unit_ids, start, size: listed_page(_unit_mandates(unit_ids), start, size), unit_ids=INTS, start=KEY, size=KEY
)


def unit_mandates_expiring_listed(user, *, on) -> list[Mandate]:
    """The first ``MANAGER_LIST_LIMIT`` of ``unit_mandates_expiring(user, on=on)``."""
    return _UNIT_EXPIRING(unit_ids=permissions.managed_unit_ids(user), day=on)


def unit_mandates_awaiting_listed(user, *, on) -> list[Mandate]:
    """The first ``MANAGER_LIST_LIMIT`` of ``unit_mandates_awaiting(user, on=on)``."""
    return _UNIT_AWAITING(unit_ids=permissions.managed_unit_ids(user), day=on)


def unit_mandates_page(user, *, start: int, size: int) -> list[Mandate]:
    """``listed_page(unit_mandates(user), start, size)``."""
    return _UNIT_PAGE(unit_ids=permissions.managed_unit_ids(user), start=start, size=size)


def channels_without_writer(*, on=None) -> QuerySet[Channel]:
    """Return the active channels with no active writer (4:3: nobody is appointed to write there)."""
    writers = Mandate.objects.active(on=on).filter(channel=OuterRef("pk"), role=Mandate.Role.WRITER)
    return Channel.objects.with_related().active().filter(~Exists(writers)).order_by("unit__name", "name", "pk")


def _orphaned_channels(unit_ids, *, on=None) -> QuerySet[Channel]:
    return channels_without_writer(on=on).of_units(unit_ids)


def orphaned_channels(user, *, on=None) -> QuerySet[Channel]:
    """Return the active channels of *user*'s units with no active writer (a risk: nobody is appointed)."""
    return _orphaned_channels(permissions.managed_unit_ids(user), on=on)


# What the manager's view shows of an orphaned channel: its name, platform and unit (rows, not instances).
ORPHANED_LISTED_FIELDS = ("pk", "name", "platform__name", "unit__name")
_ORPHANED = PreparedQuery(
    lambda unit_ids, day: _orphaned_channels(unit_ids, on=day).values_list(*ORPHANED_LISTED_FIELDS)[
        :MANAGER_LIST_LIMIT
    ],
    unit_ids=INTS,
    day=KEY,
)


def orphaned_channels_listed(user, *, on) -> list[tuple]:
    """The first ``MANAGER_LIST_LIMIT`` of ``orphaned_channels(user, on=on)``: rows of ``ORPHANED_LISTED_FIELDS``."""
    return _ORPHANED(unit_ids=permissions.managed_unit_ids(user), day=on)
