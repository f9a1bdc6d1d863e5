"""The start page's reads: each list with only the columns it shows, and lists that share a table in one query.

The rules stay where they live (``MandateQuerySet``, ``ChannelQuerySet``): a list is selected by
its rule, used here as a subquery, never by a copy of it.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from norsjo.paths import path_for_pk

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


# What the start page's lists of mandates show: the dates, the person (``|person``), the channel's name and platform.
HOME_MANDATE_FIELDS = (
    "valid_from",
    "valid_until",
    "channel__name",
    "channel__platform__name",
)
HOME_PERSON_FIELDS = tuple(f"employee__{name}" for name in ("username", "first_name", "last_name"))


@dataclass(frozen=True)
class OwnMandates:
    """The start page's two lists of a person's own mandates."""

    pending: list  # as ``pending_acknowledgements``
    expiring: list  # as ``mandates_of(user).expiring(within_days=...)``


def own_mandates_home(user, *, within_days: int = 30, on=None) -> OwnMandates:
    """Return *user*'s mandates waiting for their acknowledgement and those ending soon, from one query.

    Each list is selected by its own rule (``awaiting_acknowledgement``, ``expiring``) and ordered
    as ``pending_acknowledgements`` and ``mandates_of`` order them.
    """
    if not user.is_authenticated or (on is None and not permissions.holds_current_mandate(user)):
        # Both lists are of current mandates (MandateQuerySet.current): none, nothing to read.
        return OwnMandates(pending=[], expiring=[])
    own = Mandate.objects.filter(employee=user)
    pending = own.awaiting_acknowledgement(on=on).values("pk")
    expiring = own.expiring(within_days=within_days, on=on).values("pk")
    rows = list(
        own.filter(Q(pk__in=pending) | Q(pk__in=expiring))
        .annotate(
            is_pending=ExpressionWrapper(Q(pk__in=pending), output_field=BooleanField()),
            is_expiring=ExpressionWrapper(Q(pk__in=expiring), output_field=BooleanField()),
        )
        .select_related("channel__platform")
        .only(*HOME_MANDATE_FIELDS)
        .order_by("-valid_until", "-pk")
    )
    return OwnMandates(
        pending=sorted((m for m in rows if m.is_pending), key=lambda m: (m.valid_from, m.pk)),
        expiring=[m for m in rows if m.is_expiring],
    )


@dataclass(frozen=True)
class UnitMandates:
    """The start page's two lists of the mandates of a manager's units."""

    expiring: list  # as ``unit_mandates_expiring``
    awaiting: list  # as ``unit_mandates(user).awaiting_acknowledgement()``


def unit_mandates_home(user, *, within_days: int = 30, limit: int = 20, on=None) -> UnitMandates:
    """Return the first *limit* of the units' mandates ending soon and of those awaiting acknowledgement, in one query.

    Each list is selected by its own rule (``expiring``, ``awaiting_acknowledgement``) and ordered
    as ``unit_mandates_expiring`` and ``unit_mandates`` order them; only what the lists show is read.
    """
    units = Mandate.objects.of_units(permissions.managed_unit_ids(user))
    expiring = units.expiring(within_days=within_days, on=on).values("pk")
    awaiting = units.awaiting_acknowledgement(on=on).values("pk")
    rows = list(
        units.filter(Q(pk__in=expiring) | Q(pk__in=awaiting))
        .annotate(
            is_expiring=ExpressionWrapper(Q(pk__in=expiring), output_field=BooleanField()),
            is_awaiting=ExpressionWrapper(Q(pk__in=awaiting), output_field=BooleanField()),
        )
        .select_related("employee", "channel__platform")
        .only(*HOME_MANDATE_FIELDS, *HOME_PERSON_FIELDS)
        .order_by("-valid_until", "-pk")
    )
    return UnitMandates(
        expiring=sorted((m for m in rows if m.is_expiring), key=lambda m: (m.valid_until, m.pk))[:limit],
        awaiting=[m for m in rows if m.is_awaiting][:limit],
    )
