"""The start page's reads: each list with only the columns it shows, and lists that share a table in one query.

The rules stay where they live (``MandateQuerySet``, ``ChannelQuerySet``): a list is selected by
its rule, used here as a subquery, never by a copy of it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OrderBy,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from norsjo.paths import path_for_pk
from norsjo.prepared import INTS, PreparedQuery

from .. import permissions
from ..models import Channel, Mandate

# What the start page's lists of channels show: a channel's name, platform, unit and state, and no more
# (fewer columns are cheaper to build and to plan).
HOME_CHANNEL_FIELDS = ("name", "status", "is_published", "platform__name", "unit__name")


class HomeChannel:
    """A channel as the start page's lists show it: its name, platform and unit (names), and its page.

    Read from prepared queries' rows rather than as a model instance; prints in a template as
    the model does (``{{ channel.platform }}`` is the platform's name).
    """

    __slots__ = ("pk", "name", "platform", "unit")

    def __init__(self, pk, name, platform, unit):
        self.pk, self.name, self.platform, self.unit = pk, name, platform, unit

    def __str__(self):
        return Channel.label(self.name, self.platform)

    def __eq__(self, other):
        # The same channel as another row of it, or as its model instance.
        if isinstance(other, HomeChannel | Channel):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def get_absolute_url(self):
        return path_for_pk("registry:channel_detail", self.pk)

    @property
    def review_url(self):
        """The address of the channel's yearly review form (``{% url 'registry:review_create' pk %}``)."""
        return path_for_pk("registry:review_create", self.pk)


class HomeReviewedChannel(HomeChannel):
    """A ``HomeChannel`` with the day of its last yearly review (None: never)."""

    __slots__ = ("last_reviewed",)

    def __init__(self, pk, name, platform, unit, last_reviewed):
        super().__init__(pk, name, platform, unit)
        self.last_reviewed = last_reviewed


class HomeAddressChange(NamedTuple):
    """A proposed change of address as the start page shows it: the channel, its address now and the new one."""

    channel: HomeChannel
    channel_url: str
    url: str


# A ``HomeChannel``'s columns, as a ``values_list()`` reads them.
HOME_CHANNEL_COLUMNS = ("pk", "name", "platform__name", "unit__name")


class HomeUnit(NamedTuple):
    """A unit as the start page names it."""

    pk: int
    name: str


def home_listed(channels: QuerySet[Channel]) -> QuerySet[Channel]:
    """Return *channels* (with platform and unit) reading only what the start page's lists show."""
    return channels.only(*HOME_CHANNEL_FIELDS)


class HomeStatusChannel(HomeChannel):
    """A ``HomeChannel`` with its state (``add_status_badges`` gives it ``status_badge``)."""

    __slots__ = ("status", "is_published", "status_badge")

    def __init__(self, pk, name, platform, unit, status, is_published):
        super().__init__(pk, name, platform, unit)
        self.status, self.is_published = status, is_published

    def get_status_display(self):
        return Channel.Status(self.status).label if self.status in Channel.Status.values else self.status


def channels_of_units(unit_ids) -> QuerySet[Channel]:
    # The channels of the units *unit_ids*, by unit and name: ``selectors.unit_channels``'s rule.
    return Channel.objects.of_units(unit_ids).order_by("unit__name", "name")


def channels_by_name(ids) -> QuerySet[Channel]:
    # The channels of a person's active mandates (``selectors.channels_moderated_by``), by name.
    return Channel.objects.filter(pk__in=ids).order_by("name")


# At most this many of a person's channels are read by a query compiled once per number of channels.
_PREPARED_IDS = 40
_MODERATED = PreparedQuery(lambda ids: channels_by_name(ids).values_list(*HOME_CHANNEL_COLUMNS), ids=INTS)


def moderated_channels_home(user) -> list:
    """``selectors.channels_moderated_by(user)`` for one who is not of the web team, as the start page lists them."""
    ids = sorted(permissions.active_mandate_channel_ids(user)) if user.is_authenticated else []
    if len(ids) > _PREPARED_IDS:  # not a compiled query per length for someone with many
        return [HomeChannel(*row) for row in channels_by_name(ids).values_list(*HOME_CHANNEL_COLUMNS)]
    return [HomeChannel(*row) for row in _MODERATED(ids=ids)]


# The start page's lists in one query: each list a part of a UNION ALL, in these columns.
LIST_COLUMNS = (
    "c_kind",
    "c_pos",
    "c_pk",
    "c_name",
    "c_platform",
    "c_unit",
    "c_text1",
    "c_text2",
    "c_day",
    "c_flag",
    "c_total",
)


def list_part(
    kind: str, queryset: QuerySet, *, limit: int | None = None, counted: bool = False, numbered: bool = True, **columns
):
    """*queryset* (ordered as the list is) as a part of the start page's union of lists, in ``LIST_COLUMNS``.

    A part may not be sliced or ordered (SQLite), so its order is a row number (``c_pos``) over
    the queryset's own ordering (none when not *numbered*), and the first *limit* rows are those
    numbered up to *limit* (a filter on the window: Django wraps the part in a subquery). *counted*
    puts how many rows the whole list has in ``c_total`` (a window count).
    *columns* give the field (or expression, or None for NULL) behind ``name``, ``platform``,
    ``unit`` (defaults: the channel's), ``pk``, ``text1``, ``text2``, ``day``, ``flag`` and ``total``.
    """
    fields = {"pk": "pk", "name": "name", "platform": "platform__name", "unit": "unit__name", **columns}
    kinds = {"text1": CharField(), "text2": CharField(), "day": DateField(), "flag": BooleanField()}
    kinds["total"] = IntegerField()
    order = [OrderBy(F(name.lstrip("-")), descending=name.startswith("-")) for name in queryset.query.order_by]
    values = {
        "c_kind": Value(kind, output_field=CharField()),
        "c_pos": Window(RowNumber(), order_by=order) if numbered else Cast(Value(None), output_field=IntegerField()),
    }
    if counted:
        fields["total"] = Window(Count("pk"))
    for column in ("pk", "name", "platform", "unit", "text1", "text2", "day", "flag", "total"):
        field = fields.get(column)
        if isinstance(field, str):
            field = F(field)
        elif field is None:
            # A typed NULL: PostgreSQL matches a union's column types part by part.
            field = Cast(Value(None), output_field=kinds.get(column, CharField()))
        values[f"c_{column}"] = field
    rows = queryset.order_by().annotate(**values)
    if limit is not None:
        rows = rows.filter(c_pos__lte=limit)  # after the window: the row numbers and the total are of the whole list
    return rows.values_list(*LIST_COLUMNS)


def lists_by_kind(rows) -> dict[str, list]:
    """The union's rows, by list, each in its order."""
    lists = {}
    for row in sorted(rows, key=lambda row: (row[0], row[1] or 0)):
        lists.setdefault(row[0], []).append(row)
    return lists


class HomePerson:
    """A person as the start page names them (``|person``: the full name, else the user name)."""

    __slots__ = ("pk", "username", "first_name", "last_name")

    def __init__(self, pk, username, first_name, last_name):
        self.pk, self.username, self.first_name, self.last_name = pk, username, first_name, last_name

    def __eq__(self, other):
        # The same person as another row of them, or as their account.
        if isinstance(other, HomePerson | get_user_model()):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()  # as django.contrib.auth's AbstractUser

    def get_username(self):
        return self.username


class HomeMandate:
    """A mandate as the start page's lists show it: its dates, channel (name, platform) and person."""

    __slots__ = ("pk", "valid_from", "valid_until", "channel", "employee")

    def __init__(self, pk, valid_from, valid_until, channel, employee=None):
        self.pk, self.valid_from, self.valid_until, self.channel, self.employee = (
            pk,
            valid_from,
            valid_until,
            channel,
            employee,
        )

    def get_absolute_url(self):
        return path_for_pk("mandates:detail", self.pk)

    def __eq__(self, other):
        # The same mandate as another row of it, or as its model instance.
        if isinstance(other, HomeMandate | Mandate):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)


# What the start page's lists of mandates show: the dates, the channel's name and platform (and the person).
HOME_MANDATE_COLUMNS = ("pk", "valid_from", "valid_until", "channel_id", "channel__name", "channel__platform__name")
HOME_PERSON_COLUMNS = ("employee_id", *(f"employee__{name}" for name in ("username", "first_name", "last_name")))


def _mandate(row) -> HomeMandate:
    pk, valid_from, valid_until, channel_id, channel, platform = row[:6]
    person = HomePerson(*row[6:10]) if len(row) > 9 else None
    return HomeMandate(pk, valid_from, valid_until, HomeChannel(channel_id, channel, platform, None), person)


@dataclass(frozen=True)
class OwnMandates:
    """The start page's two lists of a person's own mandates."""

    pending: list  # as ``pending_acknowledgements``
    expiring: list  # as ``mandates_of(user).expiring(within_days=...)``


def _own_rows(user_id, day, last_day):
    own = Mandate.objects.filter(employee_id=user_id)
    pending = own.awaiting_acknowledgement(on=day).values("pk")
    expiring = own.ending_by(last_day, on=day).values("pk")
    return (
        own.filter(Q(pk__in=pending) | Q(pk__in=expiring))
        .annotate(
            is_pending=ExpressionWrapper(Q(pk__in=pending), output_field=BooleanField()),
            is_expiring=ExpressionWrapper(Q(pk__in=expiring), output_field=BooleanField()),
        )
        .order_by("-valid_until", "-pk")
        .values_list(*HOME_MANDATE_COLUMNS, "is_pending", "is_expiring")
    )


_OWN = PreparedQuery(_own_rows, user_id=int, day=date, last_day=date)


def own_mandates_home(user, *, within_days: int = 30, on=None) -> OwnMandates:
    """Return *user*'s mandates waiting for their acknowledgement and those ending soon, from one query.

    Each list is selected by its own rule (``awaiting_acknowledgement``, ``expiring`` as
    ``ending_by``) and ordered as ``pending_acknowledgements`` and ``mandates_of`` order them;
    the query is compiled once per process.
    """
    if not user.is_authenticated or (on is None and not permissions.holds_current_mandate(user)):
        # Both lists are of current mandates (MandateQuerySet.current): none, nothing to read.
        return OwnMandates(pending=[], expiring=[])
    day = on or timezone.localdate()
    rows = _OWN(user_id=user.pk, day=day, last_day=day + timedelta(days=within_days))
    return OwnMandates(
        pending=sorted((_mandate(row) for row in rows if row[6]), key=lambda m: (m.valid_from, m.pk)),
        expiring=[_mandate(row) for row in rows if row[7]],
    )


@dataclass(frozen=True)
class UnitMandates:
    """The start page's two lists of the mandates of a manager's units."""

    expiring: list  # as ``unit_mandates_expiring``
    awaiting: list  # as ``unit_mandates(user).awaiting_acknowledgement()``


def _unit_rows(unit_ids, day, last_day):
    units = Mandate.objects.of_units(unit_ids)
    expiring = units.ending_by(last_day, on=day).values("pk")
    awaiting = units.awaiting_acknowledgement(on=day).values("pk")
    return (
        units.filter(Q(pk__in=expiring) | Q(pk__in=awaiting))
        .annotate(
            is_expiring=ExpressionWrapper(Q(pk__in=expiring), output_field=BooleanField()),
            is_awaiting=ExpressionWrapper(Q(pk__in=awaiting), output_field=BooleanField()),
        )
        .order_by("-valid_until", "-pk")
        .values_list(*HOME_MANDATE_COLUMNS, *HOME_PERSON_COLUMNS, "is_expiring", "is_awaiting")
    )


_UNITS = PreparedQuery(_unit_rows, unit_ids=INTS, day=date, last_day=date)


def unit_mandates_home(user, *, within_days: int = 30, limit: int = 20, on=None) -> UnitMandates:
    """Return the first *limit* of the units' mandates ending soon and of those awaiting acknowledgement, in one query.

    Each list is selected by its own rule (``expiring`` as ``ending_by``, ``awaiting_acknowledgement``)
    and ordered as ``unit_mandates_expiring`` and ``unit_mandates`` order them; only what the lists
    show is read, by a query compiled once per process (and number of units).
    """
    day = on or timezone.localdate()
    rows = _UNITS(
        unit_ids=sorted(permissions.managed_unit_ids(user)), day=day, last_day=day + timedelta(days=within_days)
    )
    return UnitMandates(
        expiring=sorted((_mandate(row) for row in rows if row[10]), key=lambda m: (m.valid_until, m.pk))[:limit],
        awaiting=[_mandate(row) for row in rows if row[11]][:limit],
    )
