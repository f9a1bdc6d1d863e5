"""Reads for the registry's screens.

Domains that grew their own module: ``account_security`` (platform accounts: who administers
them, 2FA, recovery), ``impostor_reports`` (reports of fake accounts from the public),
``home`` (the start page's lean reads), ``mandates`` (mandates and appointed writers) and
``public`` (the public list, "is this really you?").
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from norsjo.dates import add_months, day_start
from norsjo.prepared import INTS, PreparedQuery

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
from .mandates import (  # noqa: F401 - the mandates' reads, as registry.selectors always offered them
    HISTORY_SHOWN,
    MANAGER_LIST_LIMIT,
    ORPHANED_LISTED_FIELDS,
    appointed_writers,
    appointed_writers_all,
    appointed_writers_page,
    channels_without_writer,
    listed_page,
    mandate_history_shown,
    mandate_visible_to,
    mandates_of,
    mandates_of_page,
    mandates_visible_to,
    orphaned_channels,
    orphaned_channels_listed,
    pending_acknowledgements,
    pending_acknowledgements_listed,
    unit_mandates,
    unit_mandates_awaiting,
    unit_mandates_awaiting_listed,
    unit_mandates_expiring,
    unit_mandates_expiring_listed,
    unit_mandates_page,
)
from .public import (  # noqa: F401 - the public reads, as registry.selectors always offered them
    LOOKALIKE_CANDIDATES,
    PUBLIC_LIST_VERSION,
    PublicListState,
    Verification,
    lookalike_channels,
    public_channels,
    public_list_state,
    public_list_state_memoised,
    public_politician_links,
    verify_url,
)


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
