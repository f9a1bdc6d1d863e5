"""Reads for the registry's screens.

Domains that grew their own module: ``account_security`` (platform accounts: who administers
them, 2FA, recovery), ``impostor_reports`` (reports of fake accounts from the public) and
``home`` (the start page's lean reads).
"""

import difflib
import hashlib
import time as time_module
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.utils import timezone

from branding.models import Branding
from norsjo.dates import add_months, day_start
from norsjo.prepared import INTS, KEY, PreparedQuery

from .. import permissions
from ..models import (
    Channel,
    ChannelChange,
    ChannelReview,
    Documentation,
    DocumentationFile,
    HistoryEntry,
    Mandate,
    Platform,
    PoliticianLink,
    Unit,
)
from ..platforms import LOOKALIKE_STEM_LENGTH, Recognition, lookalike_key, recognise
from ..querysets import USER_LIST_FIELDS
from .home import (
    HomeAddressChange,
    HomeChannel,
    HomeReviewedChannel,
    HomeUnit,
    channels_by_name,
    channels_of_units,
    home_listed,
    list_part,
    lists_by_kind,
)
from .impostor_reports import home_parts as impostor_home_parts


def channels_visible_to(user) -> QuerySet[Channel]:
    """Return the channels *user* may see: the whole register is open to every employee."""
    if not user.is_authenticated:
        return Channel.objects.none()
    return Channel.objects.with_related()


def channel_list(*, user, search: str = "", platform: str = "", unit: str = "", status: str = "") -> QuerySet[Channel]:
    """Return the register filtered as on the list screen."""
    qs = channels_visible_to(user).search(search)
    if platform:
        qs = qs.filter(platform__slug=platform)
    if unit:
        qs = qs.filter(unit__slug=unit)
    qs = qs.filter(status=status) if status else qs.exclude(status=Channel.Status.REJECTED)
    # What a row shows (registry/channel_list.html), not the purpose, audience and the rest.
    return qs.only("name", "handle", "status", "is_published", "platform__name", "unit__name").order_by("name", "pk")


def channel_filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the register filter's platforms and units as (slug, name), in their usual order, from one query."""
    platforms = Platform.objects.annotate(kind=Value(0), position=F("sort_order"))
    units = Unit.objects.annotate(kind=Value(1), position=Value(0))
    rows = [qs.order_by().values_list("kind", "position", "name", "slug") for qs in (platforms, units)]
    found = ([], [])
    for kind, _position, name, slug in rows[0].union(rows[1], all=True).order_by("kind", "position", "name"):
        found[kind].append((slug, name))
    return found


def history_for(subject) -> QuerySet[HistoryEntry]:
    """Return the history of one record, newest first."""
    return HistoryEntry.objects.of(subject).select_related("actor")


def units_for_proposal(user) -> QuerySet[Unit]:
    """Return the units *user* may register channels for."""
    if permissions.is_web_team(user):
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(is_active=True, pk__in=permissions.managed_unit_ids(user))


def units_for_edit(user, channel) -> QuerySet[Unit]:
    """Return the units *user* may move *channel* to: those they may propose for, and its own."""
    return (units_for_proposal(user) | Unit.objects.filter(pk=channel.unit_id)).distinct()


def active_managers_of(unit) -> QuerySet:
    """Return the active managers of *unit* (a unit, its id or a subquery of it), by name."""
    return get_user_model().objects.filter(managed_units=unit, is_active=True).order_by("last_name", "first_name", "pk")


def unit_managers(unit) -> list:
    """Return the active managers of *unit*, by name, each knowing the units they manage (one query for all)."""
    managers = list(active_managers_of(unit))
    permissions.remember_managed_units(managers)
    return managers


def proposals_awaiting_review() -> QuerySet[Channel]:
    """Return the proposed channels, oldest first, as the start page lists them."""
    return home_listed(Channel.objects.with_related().filter(status=Channel.Status.PROPOSED).order_by("created_at"))


def unpublished_active_channels() -> QuerySet[Channel]:
    """Return the active channels not on the public list, as the start page lists them."""
    return home_listed(Channel.objects.with_related().active().filter(is_published=False).order_by("name"))


def unit_channels(user) -> QuerySet[Channel]:
    """Return the channels of the units *user* manages, as the start page lists them."""
    return home_listed(channels_of_units(permissions.managed_unit_ids(user)).select_related("platform", "unit"))


def channels_moderated_by(user, *, on=None) -> QuerySet[Channel]:
    """Return the channels *user* may log removals on: all for the web team, else by active mandate."""
    if not user.is_authenticated:
        return Channel.objects.none()
    if permissions.is_web_team(user):
        return Channel.objects.with_related().open()
    # The ids of the person's active mandates: one query per request (permissions.per_request).
    ids = permissions.active_mandate_channel_ids(user, on=on)
    return channels_by_name(sorted(ids)).select_related("platform", "unit")


# Whether any channel is open (the web team's "Log a removal" in every page's menu): compiled once.
# A page showing an open channel answers it (registry.selectors.channel_page) under this memo key.
OPEN_CHANNELS_EXIST = "open_channels_exist"
_ANY_OPEN_CHANNEL = PreparedQuery(lambda: Channel.objects.open().order_by().values_list("pk")[:1])


def moderates_any_channel(user) -> bool:
    """Whether ``channels_moderated_by(user)`` has a channel (the menu's and the log's "Log a removal")."""
    if not user.is_authenticated:
        return False
    if permissions.is_web_team(user):
        return permissions.per_request(user, OPEN_CHANNELS_EXIST, lambda: bool(_ANY_OPEN_CHANNEL()))
    return bool(permissions.active_mandate_channel_ids(user))


# Mandates (4:2, 4:3).


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
    if not user.is_authenticated or not user.is_active or not 0 < pk < 2**63:
        return None  # out of a key's range, no mandate has it (the ORM answers so without asking, too)
    if permissions.is_web_team(user):
        found = _ANY_MANDATE(pk=pk)
    else:
        found = _SEEN_MANDATE(pk=pk, user_id=user.pk, unit_ids=permissions.managed_unit_ids(user))
    return found[0] if found else None


HISTORY_SHOWN = 100  # the newest entries a record's page shows
_MANDATE_HISTORY = PreparedQuery(lambda pk: history_for(Mandate(pk=pk))[:HISTORY_SHOWN], pk=int)


def mandate_history_shown(mandate) -> list[HistoryEntry]:
    """The newest ``HISTORY_SHOWN`` entries of ``history_for(mandate)``, as a mandate's page shows them."""
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


@dataclass(frozen=True)
class MissingWriters:
    """What the start page shows those who act on 4:3: channels without a writer, units without a manager."""

    channels: list
    channel_count: int
    units: list
    web_team: bool


def missing_writers_for(user, *, on=None, limit: int = 20) -> MissingWriters | None:
    """Return the web team's (everything) or a manager's (own units) missing writers; None for others."""
    web_team = permissions.is_web_team(user)
    if not web_team and not permissions.is_manager(user):
        return None
    lists = home_lists(user, on=on, missing_limit=limit)
    rows = lists.get("missing", [])
    # A manager's own units have a manager (them); units without one are the web team's to raise.
    return MissingWriters(
        channels=[HomeChannel(*row[2:6]) for row in rows],
        channel_count=rows[0][10] if rows else 0,
        units=[HomeUnit(row[2], row[3]) for row in lists.get("units", [])] if web_team else [],
        web_team=web_team,
    )


def channels_for_grant(user) -> QuerySet[Channel]:
    """Return the channels *user* may grant mandates on (``permissions.mandate_grant_refusal``).

    A manager: the active or paused channels of their units. The web team: also those of
    units with a manager other than themselves, for that manager's own mandate.
    """
    units = Q(unit_id__in=permissions.managed_unit_ids(user))
    if permissions.is_web_team(user):
        managed = Unit.objects.filter(is_active=True, managers__is_active=True).exclude(managers=user)
        units |= Q(unit__in=managed.values("pk"))
    return (
        Channel.objects.with_related().filter(units, status__in=Channel.ACCEPTS_MANDATES).order_by("unit__name", "name")
    )


def employees_for_grant(user) -> QuerySet:
    """Return the people *user* may be offered in the grant form (``permissions.mandate_grant_refusal``).

    Never *user* themselves and never an administrator. A manager: every other active
    account. The web team alone: the managers of active units.
    """
    people = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
    )
    if permissions.is_manager(user):
        return people
    if permissions.is_web_team(user):
        return people.filter(pk__in=Unit.objects.filter(is_active=True).values("managers"))
    return people.none()


def address_changes() -> QuerySet[ChannelChange]:
    """Return every proposed change of address, with what its page shows."""
    return ChannelChange.objects.select_related(
        "channel", "channel__platform", "channel__unit", "platform", "proposed_by", "decided_by"
    )


def address_change_pending(channel) -> ChannelChange | None:
    """Return *channel*'s proposed change of address that waits for the web team, if any."""
    return ChannelChange.objects.pending().filter(channel=channel).select_related("platform", "proposed_by").first()


def address_changes_awaiting_review() -> QuerySet[ChannelChange]:
    """Return the proposed changes of address waiting for the web team, oldest first."""
    return (
        ChannelChange.objects.pending()
        .select_related("channel", "channel__platform", "channel__unit")
        .only("url", "channel__name", "channel__url", "channel__platform__name", "channel__unit__name")
        .order_by("proposed_at", "pk")
    )


@dataclass(frozen=True)
class WebTeamQueues:
    """The start page's three queues of the web team, at most *limit* each."""

    proposals: list  # of HomeChannel, as ``proposals_awaiting_review``
    address_changes: list  # of HomeAddressChange, as ``address_changes_awaiting_review``
    unpublished: list  # of HomeChannel, as ``unpublished_active_channels``


def web_team_queues_home(user) -> WebTeamQueues:
    """The proposals, changes of address and unpublished channels the web team's start page lists (20 each)."""
    lists = home_lists(user)
    return WebTeamQueues(
        proposals=[HomeChannel(*row[2:6]) for row in lists.get("proposals", [])],
        address_changes=[HomeAddressChange(HomeChannel(*row[2:6]), row[6], row[7]) for row in lists.get("changes", [])],
        unpublished=[HomeChannel(*row[2:6]) for row in lists.get("unpublished", [])],
    )


# -- The public list (4:4, 4:5) ---------------------------------------------------------------

# Bump when the public list's markup or data shape changes, so that cached copies are not reused.
PUBLIC_LIST_VERSION = "3"  # 3: the comment policy (link and comment_policy_url)


def public_channels(*, platform: str = "", unit: str = "", order: str = "unit") -> QuerySet[Channel]:
    """Return the channels on the public list, optionally for one platform or unit (slugs)."""
    qs = Channel.objects.public().with_related()
    if platform:
        qs = qs.filter(platform__slug=platform)
    if unit:
        qs = qs.filter(unit__slug=unit)
    if order == "platform":
        return qs.order_by("platform__sort_order", "platform__name", "name", "pk")
    return qs.order_by("unit__name", "name", "pk")


def public_politician_links() -> QuerySet[PoliticianLink]:
    return PoliticianLink.objects.public().order_by("politician", "pk")


@dataclass(frozen=True)
class PublicListState:
    """What the public list's validators are computed from: a few aggregates, not the rows."""

    last_modified: datetime | None
    fingerprint: str

    def etag(self, *parts: str) -> str:
        """Return a strong ETag for one representation (*parts*: format, filters, language)."""
        digest = hashlib.sha256("|".join((self.fingerprint, *parts)).encode()).hexdigest()[:32]
        return f'"{digest}"'


def _as_datetime(value) -> datetime | None:
    """Return an aware datetime from a raw aggregate (SQLite gives text, PostgreSQL a datetime)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def public_list_state() -> PublicListState:
    """Return the public list's state from one query of indexed aggregates, however many channels.

    Any change to a channel (publishing, unpublishing, closing, editing: ``updated_at``), to a
    unit or platform (a rename), to a politician's link or to the graphic profile (4:1) changes
    the fingerprint; a deleted row changes a count or the highest id.
    """
    channel, unit = Channel._meta.db_table, Unit._meta.db_table
    platform, link = Platform._meta.db_table, PoliticianLink._meta.db_table
    branding = Branding._meta.db_table
    sql = (
        f"SELECT (SELECT MAX(updated_at) FROM {channel}),"  # noqa: S608 - table names from the models
        f" (SELECT COUNT(*) FROM {channel} WHERE status = %s AND is_published = %s),"
        f" (SELECT MAX(id) FROM {channel}),"
        f" (SELECT MAX(updated_at) FROM {unit}),"
        f" (SELECT MAX(updated_at) FROM {platform}),"
        f" (SELECT MAX(updated_at) FROM {link}),"
        f" (SELECT COUNT(*) FROM {link} WHERE is_published = %s AND withdrawn_at IS NULL),"
        f" (SELECT MAX(updated_at) FROM {branding})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Channel.Status.ACTIVE.value, True, True])
        changed, listed, last_pk, units, platforms, links, links_listed, brand = cursor.fetchone()
    stamps = [_as_datetime(value) for value in (changed, units, platforms, links, brand)]
    present = [stamp for stamp in stamps if stamp is not None]
    values = [PUBLIC_LIST_VERSION, listed, last_pk, links_listed]
    values += [stamp.isoformat() if stamp else "-" for stamp in stamps]
    return PublicListState(
        last_modified=max(present) if present else None, fingerprint="|".join(str(value) for value in values)
    )


_state_memo: tuple[float, PublicListState] | None = None


def public_list_state_memoised() -> PublicListState:
    """Return ``public_list_state()``, read at most once per ``PUBLIC_LIST_STATE_SECONDS`` per process.

    Under load this spares even the one aggregate query: a change shows within that many
    seconds (1 by default; 0 reads the database on every request, as the tests do).
    """
    global _state_memo
    seconds = settings.PUBLIC_LIST_STATE_SECONDS
    if seconds <= 0:
        return public_list_state()
    now = time_module.monotonic()
    memo = _state_memo
    if memo is not None and now - memo[0] < seconds:
        return memo[1]
    state = public_list_state()
    _state_memo = (now, state)
    return state


# -- "Is this really you?" --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The answer to "is this address an official channel of the municipality?"."""

    OFFICIAL = "official"  # an active or paused channel in the register
    CLOSED = "closed"  # was official, closed: no longer the municipality's
    POLITICIAN = "politician"  # a politician's own site linked from the list (4:5), not the municipality's
    UNKNOWN = "unknown"

    status: str
    recognition: Recognition
    channel: Channel | None = None
    link: PoliticianLink | None = None
    similar: tuple = ()

    @property
    def official(self) -> bool:
        return self.status == self.OFFICIAL


# Lookalikes: at most this many candidates are compared, each key cut to this many characters,
# so one request costs a few indexed queries and a bounded comparison however many channels.
LOOKALIKE_CANDIDATES = 200
LOOKALIKE_MAX_KEY = 64
LOOKALIKE_MIN_KEY = 3
LOOKALIKE_RATIO = 0.8
LOOKALIKE_SHOWN = 5


def _looks_alike(key: str, other: str) -> bool:
    if key == other:
        return True
    matcher = difflib.SequenceMatcher(None, key, other[:LOOKALIKE_MAX_KEY], autojunk=False)
    # The cheap upper bounds first: most candidates are refused without the full comparison.
    return (
        matcher.real_quick_ratio() >= LOOKALIKE_RATIO
        and matcher.quick_ratio() >= LOOKALIKE_RATIO
        and matcher.ratio() >= LOOKALIKE_RATIO
    )


def lookalike_channels(recognition: Recognition) -> tuple:
    """Return channels on the public list whose handle looks like *recognition*'s (a possible impostor).

    Only published channels: the answer goes to anyone, and an unpublished channel is not
    public. Candidates come from three indexed columns (the handle's lookalike key, its first
    and its last characters: ``registry.platforms.lookalike_key``), never from a scan of every
    channel; at most ``LOOKALIKE_CANDIDATES`` are compared.
    """
    key = lookalike_key(recognition.handle or recognition.url.rsplit("/", 1)[-1])[:LOOKALIKE_MAX_KEY]
    if len(key) < LOOKALIKE_MIN_KEY:
        return ()
    published = Channel.objects.public()
    if recognition.platform != "other":
        published = published.filter(platform__slug=recognition.platform)
    same = list(published.filter(lookalike_key=key).values_list("pk", flat=True)[:LOOKALIKE_SHOWN])
    stems = Q(lookalike_head=key[:LOOKALIKE_STEM_LENGTH]) | Q(lookalike_tail=key[-LOOKALIKE_STEM_LENGTH:])
    near = published.filter(stems).exclude(lookalike_key=key).values_list("pk", "lookalike_key")
    matches = same + [pk for pk, other in near[:LOOKALIKE_CANDIDATES] if _looks_alike(key, other)]
    if not matches:
        return ()
    return tuple(Channel.objects.with_related().filter(pk__in=matches).order_by("name", "pk")[:LOOKALIKE_SHOWN])


def verify_url(raw: str) -> Verification:
    """Tell whether *raw* is an official channel, normalised exactly as registration does.

    Official means active or paused: the account is the municipality's, whether or not it is
    on the public list yet. Proposed and rejected channels are not official. Raises
    ``ValidationError`` for an address that is not a valid web address.
    """
    recognition = recognise(raw)
    channel = (
        Channel.objects.with_related()
        .filter(url=recognition.url, status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED, Channel.Status.CLOSED])
        .order_by("closed_on", "-pk")
        .first()
    )
    if channel is not None and channel.status != Channel.Status.CLOSED:
        return Verification(Verification.OFFICIAL, recognition, channel=channel)
    if channel is not None:
        return Verification(Verification.CLOSED, recognition, channel=channel)
    link = PoliticianLink.objects.public().filter(url=recognition.url).first()
    if link is not None:
        return Verification(Verification.POLITICIAN, recognition, link=link)
    return Verification(Verification.UNKNOWN, recognition, similar=lookalike_channels(recognition))


# -- The web team's duties: documentation (4:8) and the yearly review --------------------------

DOCUMENTED_STATUSES = (Channel.Status.ACTIVE, Channel.Status.PAUSED)


def _one_year_before(day: date) -> date:
    return add_months(day, -12)


def latest_documentation(channel) -> Documentation | None:
    return Documentation.objects.for_channel(channel).select_related("created_by").prefetch_related("files").first()


def documentation_for(channel) -> QuerySet[Documentation]:
    return Documentation.objects.for_channel(channel).select_related("created_by").prefetch_related("files")


def _documentation_overdue_since(cutoff: date) -> QuerySet[Channel]:
    # The rule of 4:8: active and paused channels with no screenshots dated *cutoff* or later (each with
    # ``last_documented``). "None since" rather than the latest's date compared: PostgreSQL plans it in a
    # fraction of the time a grouped MAX takes.
    documentation = Documentation.objects.filter(channel=OuterRef("pk"))
    return (
        Channel.objects.filter(status__in=DOCUMENTED_STATUSES)
        .annotate(last_documented=Subquery(documentation.order_by("-documented_on").values("documented_on")[:1]))
        .filter(~Exists(documentation.filter(documented_on__gte=cutoff)))
    )


def channels_with_overdue_documentation(on: date | None = None) -> QuerySet[Channel]:
    """Return active and paused channels whose last screenshots are over 12 months old or missing (4:8)."""
    cutoff = _one_year_before(on or timezone.localdate())
    return (
        _documentation_overdue_since(cutoff)
        .select_related("platform", "unit")
        .order_by("last_documented", "name", "pk")
    )


def latest_review(channel) -> ChannelReview | None:
    return ChannelReview.objects.for_channel(channel).select_related("reviewed_by").first()


def _reviews_overdue_since(cutoff: date, cutoff_start: datetime) -> QuerySet[Channel]:
    # The rule of the yearly review: active and paused channels with no review on *cutoff* or later,
    # reviewed before or registered before *cutoff_start* (its first instant); each with ``last_reviewed``.
    # "None since" rather than the latest's date compared: PostgreSQL plans it in a fraction of the
    # time a grouped MAX takes.
    reviews = ChannelReview.objects.filter(channel=OuterRef("pk"))
    return (
        Channel.objects.filter(status__in=DOCUMENTED_STATUSES)
        .annotate(last_reviewed=Subquery(reviews.order_by("-reviewed_on").values("reviewed_on")[:1]))
        .filter(~Exists(reviews.filter(reviewed_on__gte=cutoff)))
        .filter(Exists(reviews) | Q(created_at__lt=cutoff_start))
    )


def channels_with_overdue_review(on: date | None = None) -> QuerySet[Channel]:
    """Return the active and paused channels whose yearly review is overdue on *on* (today).

    A review is due one year after the last one or, for a channel never reviewed, one year
    after it was registered. Paused channels are included: "is it still needed?" matters
    most for them. Each row has ``last_reviewed`` (a date or None). For the daily
    ``send_reminders`` command, e.g. grouped by ``channel.unit`` and sent to its managers.
    """
    cutoff = _one_year_before(on or timezone.localdate())
    return (
        _reviews_overdue_since(cutoff, day_start(cutoff))
        .select_related("platform", "unit")
        .order_by("unit__name", "name", "pk")
    )


def overdue_reviews_for(user, on: date | None = None) -> QuerySet[Channel]:
    """Return the overdue reviews *user* should see: all for the web team, else their units'."""
    qs = channels_with_overdue_review(on)
    if permissions.is_web_team(user):
        return qs
    return qs.of_units(permissions.managed_unit_ids(user))


def overdue_reviews_home(user, *, limit: int, on: date | None = None) -> list:
    """The first *limit* (at most ``HOME_REVIEWS``) of ``overdue_reviews_for(user)`` as the start page shows them
    (``HomeChannel`` with ``last_reviewed``)."""
    return [HomeReviewedChannel(*row[2:6], row[8]) for row in home_lists(user, on=on).get("reviews", [])][:limit]


def documentation_due_count(user, on: date | None = None) -> int:
    """``channels_with_overdue_documentation(on).count()`` for the web team's start page."""
    rows = home_lists(user, on=on).get("documentation", [])
    return rows[0][10] if rows else 0


# -- The start page's lists in one query ----------------------------------------------------------

HOME_LIST_LIMIT = 20  # the web team's queues, the channels without a writer
HOME_REVIEWS = HOME_LIST_LIMIT + 1  # one more: whether there are more than shown
HOME_UNIT_CHANNELS = 50
HOME_REPORTS_LIMIT = 10  # the impostor reports waiting


def _home_lists(day, cutoff, cutoff_start, *, web_team: bool, missing_limit: int, report_limit: int, unit_ids=None):
    """The union of the start page's lists of the web team (*web_team*) and of the manager of *unit_ids*.

    Each list is its rule's own queryset (``list_part``): the overdue reviews and the channels
    without a writer (the web team's: all; a manager's: of their units), the web team's queues,
    units without a manager and the number of channels whose screenshots are due, a manager's
    channels.
    """
    reviews = _reviews_overdue_since(cutoff, cutoff_start)
    missing = channels_without_writer(on=day)
    if not web_team:
        reviews, missing = reviews.of_units(unit_ids), missing.of_units(unit_ids)
    parts = [
        list_part("reviews", reviews.order_by("unit__name", "name", "pk"), limit=HOME_REVIEWS, day="last_reviewed"),
        list_part("missing", missing, limit=missing_limit, counted=True),
    ]
    if web_team:
        changes = {"pk": "channel_id", "text1": "channel__url", "text2": "url"}
        changes |= {name: f"channel__{field}" for name, field in (("name", "name"), ("platform", "platform__name"))}
        changes["unit"] = "channel__unit__name"
        parts += [
            list_part("proposals", proposals_awaiting_review(), limit=HOME_LIST_LIMIT),
            list_part("changes", address_changes_awaiting_review(), limit=HOME_LIST_LIMIT, **changes),
            list_part("unpublished", unpublished_active_channels(), limit=HOME_LIST_LIMIT),
            list_part("units", Unit.objects.without_manager().order_by("name"), platform=None, unit=None),
            list_part("documentation", _documentation_overdue_since(cutoff).order_by("pk"), limit=1, counted=True),
            *impostor_home_parts(report_limit),
        ]
    if unit_ids is not None:
        channels = channels_of_units(unit_ids)
        parts.append(
            list_part("unit_channels", channels, limit=HOME_UNIT_CHANNELS, text1="status", flag="is_published")
        )
    return parts[0].union(*parts[1:], all=True)


_HOME_LISTS = {}  # (web team, manager, missing_limit, report_limit) -> PreparedQuery


def home_lists(
    user, *, on: date | None = None, missing_limit: int = HOME_LIST_LIMIT, report_limit: int = HOME_REPORTS_LIMIT
) -> dict[str, list]:
    """The start page's lists for the web team and managers, from one query compiled once per process.

    ``{list: rows}``, each row in ``LIST_COLUMNS``; read once per request (``permissions.per_request``).
    """
    web_team, manager = permissions.is_web_team(user), permissions.is_manager(user)
    if not web_team and not manager:
        return {}
    limits = (missing_limit, report_limit)
    return permissions.per_request(
        user, ("home_lists", on, limits), lambda: _read_home_lists(user, web_team, manager, on, *limits)
    )


def _read_home_lists(user, web_team, manager, on, missing_limit, report_limit):
    key = (web_team, manager, missing_limit, report_limit)
    query = _HOME_LISTS.get(key)
    if query is None:
        build = partial(_home_lists, web_team=web_team, missing_limit=missing_limit, report_limit=report_limit)
        types = {"day": date, "cutoff": date, "cutoff_start": datetime} | ({"unit_ids": INTS} if manager else {})
        query = _HOME_LISTS[key] = PreparedQuery(build, **types)
    day = on or timezone.localdate()
    cutoff = _one_year_before(day)
    params = {"unit_ids": sorted(permissions.managed_unit_ids(user))} if manager else {}
    return lists_by_kind(query(day=day, cutoff=cutoff, cutoff_start=day_start(cutoff), **params))


def documentation_files_visible_to(user, *, on=None):
    """Return the screenshot files *user* may open (see ``permissions.can_see_documentation``)."""
    if not user.is_authenticated or not user.is_active:
        return DocumentationFile.objects.none()
    qs = DocumentationFile.objects.select_related("documentation__channel__unit")
    if permissions.is_web_team(user):
        return qs
    mandated = Mandate.objects.active(on=on).filter(employee=user).values("channel_id")
    return qs.filter(
        Q(documentation__channel__unit_id__in=permissions.managed_unit_ids(user))
        | Q(documentation__channel_id__in=mandated)
    )


def politician_links() -> QuerySet[PoliticianLink]:
    """Return every politician's link for the web team: current first, then withdrawn."""
    return PoliticianLink.objects.order_by(F("withdrawn_at").asc(nulls_first=True), "politician", "pk")
