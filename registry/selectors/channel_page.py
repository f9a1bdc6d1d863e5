"""What a channel's page shows, read in one query.

The page (``registry.views.channels.channel_detail``) shows the channel, its pending change of
address, its latest yearly review, its latest screenshots and their files, its appointed
writers, its history, and (for the web team) the unit's managers. Each of these was a query
of its own, each costing more to build and compile in the ORM than PostgreSQL takes to answer
it (docs/performance.md, "Pages (issue 15)"). Here they are the branches of one ``UNION ALL``,
each built from the queryset methods and selectors that hold its rule, compiled once per
process (``norsjo.prepared.PreparedQuery``), each row a kind, its position in its list (the
list's own ordering, by ``ROW_NUMBER()``, so the database's collation orders names as before)
and what the page shows of it as one JSON array. The rows become the models' own instances,
so the templates and permission rules read them as before.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import cache, partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import F, Subquery, Value, Window
from django.db.models.functions import JSONArray, RowNumber
from django.utils import timezone

from norsjo.prepared import PreparedQuery, is_possible_key

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
    Unit,
)
from ..querysets import USER_LIST_FIELDS
from . import OPEN_CHANNELS_EXIST, active_managers_of, appointed_writers, channels_visible_to

HISTORY_LIMIT = 100

# The kinds of rows, in the order the page reads them.
CHANNEL, PENDING, REVIEW, DOCUMENTATION, FILE, WRITER, HISTORY, MANAGER, MANAGED_UNIT = range(9)

CHANNEL_FIELDS = (
    "id",
    "name",
    "url",
    "handle",
    "purpose",
    "audience",
    "contact_email",
    "status",
    "is_published",
    "rejection_reason",
    "closed_on",
    "created_at",
    "platform_id",
    "unit_id",
)


def _user_json(prefix: str) -> dict:
    """The JSON members of a person the page names (``USER_LIST_FIELDS``), at *prefix* (``employee__``)."""
    return {"id": F(f"{prefix}id"), **{name: F(f"{prefix}{name}") for name in USER_LIST_FIELDS}}


def _prefixed(prefix: str, members: dict) -> dict:
    return {f"{prefix}{name}": value for name, value in members.items()}


# The names of each kind's members, in the order of its row's JSON array (set as the query is built).
_MEMBERS: dict[int, tuple[str, ...]] = {}


def _rows(queryset, kind: int, ordering, **members):
    """*queryset*'s rows as (kind, position in *ordering*, JSON array of *members*' values).

    An array, not an object: its members' names are no parameters of the SQL (each a value
    to quote and send with every query); ``_MEMBERS`` keeps them.
    """
    _MEMBERS[kind] = tuple(members)
    position = Window(RowNumber(), order_by=list(ordering)) if ordering else Value(0)
    return queryset.order_by().values_list(Value(kind), position, JSONArray(*members.values()))


def _latest(queryset):
    """The first of *queryset* in its model's ordering (``.first()``), as a filter a branch can hold."""
    ordering = queryset.model._meta.ordering
    return queryset.filter(pk=Subquery(queryset.order_by(*ordering).values("pk")[:1]))


def _page_rows(channel_id, day, content_type_id, *, with_managers: bool):
    channel = Channel.objects.filter(pk=channel_id)
    branches = [
        _rows(
            channel,
            CHANNEL,
            (),
            **{name: F(name) for name in CHANNEL_FIELDS},
            platform_name=F("platform__name"),
            unit_name=F("unit__name"),
            unit_is_active=F("unit__is_active"),
        )
    ]
    pending = _latest(ChannelChange.objects.pending().filter(channel_id=channel_id))
    branches.append(
        _rows(
            pending,
            PENDING,
            (),
            id=F("id"),
            url=F("url"),
            handle=F("handle"),
            proposed_at=F("proposed_at"),
            platform_id=F("platform_id"),
            platform_name=F("platform__name"),
            **_prefixed("proposed_by__", _user_json("proposed_by__")),
        )
    )
    review = _latest(ChannelReview.objects.for_channel(channel_id))
    branches.append(
        _rows(
            review,
            REVIEW,
            (),
            id=F("id"),
            reviewed_on=F("reviewed_on"),
            still_needed=F("still_needed"),
            purpose_ok=F("purpose_ok"),
            writers_ok=F("writers_ok"),
            note=F("note"),
        )
    )
    documentation = _latest(Documentation.objects.for_channel(channel_id))
    branches.append(
        _rows(
            documentation,
            DOCUMENTATION,
            (),
            id=F("id"),
            documented_on=F("documented_on"),
            reason=F("reason"),
            note=F("note"),
            **_prefixed("created_by__", _user_json("created_by__")),
        )
    )
    files = DocumentationFile.objects.filter(documentation__in=documentation.values("pk"))
    branches.append(
        _rows(
            files,
            FILE,
            DocumentationFile._meta.ordering,
            id=F("id"),
            original_name=F("original_name"),
            size=F("size"),
            sha256=F("sha256"),
        )
    )
    writers = appointed_writers(channel_id, on=day)
    branches.append(
        _rows(
            writers,
            WRITER,
            writers.query.order_by,
            id=F("id"),
            role=F("role"),
            valid_until=F("valid_until"),
            **_prefixed("employee__", _user_json("employee__")),
            **_prefixed("granted_by__", _user_json("granted_by__")),
        )
    )
    history = HistoryEntry.objects.of_record(content_type_id, channel_id)
    ordering = HistoryEntry._meta.ordering
    newest = history.filter(pk__in=Subquery(history.order_by(*ordering).values("pk")[:HISTORY_LIMIT]))
    branches.append(
        _rows(
            newest,
            HISTORY,
            ordering,
            id=F("id"),
            action=F("action"),
            changes=F("changes"),
            reason=F("reason"),
            created_at=F("created_at"),
            **_prefixed("actor__", _user_json("actor__")),
        )
    )
    if with_managers:
        # The unit's managers, each knowing the units they manage (``unit_managers``): only the
        # web team is offered to grant them a mandate, so only its page reads them.
        managers = active_managers_of(Subquery(channel.order_by().values("unit_id")))
        branches.append(_rows(managers, MANAGER, managers.query.order_by, **_user_json("")))
        managed = permissions.managed_units_of(managers.order_by().values("pk"))
        branches.append(_rows(managed, MANAGED_UNIT, (), user=F("managers__id"), unit=F("id")))
    return branches[0].union(*branches[1:], all=True)


_PAGE_QUERIES = {
    with_managers: PreparedQuery(
        partial(_page_rows, with_managers=with_managers), channel_id=int, day=datetime.date, content_type_id=int
    )
    for with_managers in (False, True)
}


@dataclass
class ChannelPage:
    """A channel and what its page shows of it; the lists in the page's order."""

    channel: Channel
    pending_change: ChannelChange | None = None
    review: ChannelReview | None = None
    documentation: Documentation | None = None
    appointed: list = field(default_factory=list)
    history: list = field(default_factory=list)
    unit_managers: list = field(default_factory=list)


User = get_user_model()


def _aware(to_python):
    def convert(value):
        value = to_python(value)
        return value.replace(tzinfo=datetime.UTC) if timezone.is_naive(value) else value  # SQLite's UTC has no offset

    return convert


@cache
def _converter(model, name):
    """How the model field *name* reads a JSON value (dates, times and booleans come as text or numbers), or None."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, (models.CharField, models.TextField)):
        return None  # text is text
    if isinstance(model_field, models.DateTimeField):
        return _aware(model_field.to_python)
    return model_field.to_python


def _value(model, name, value):
    """*value* as the model field *name* holds it."""
    convert = _converter(model, name)
    return value if value is None or convert is None else convert(value)


def _instance(model, data: dict, names):
    return model(**{name: _value(model, name, data[name]) for name in names})


def _user(data: dict, prefix: str = ""):
    if data.get(f"{prefix}id") is None:
        return None
    return User(
        id=data[f"{prefix}id"],
        **{name: _value(User, name, data[f"{prefix}{name}"]) for name in USER_LIST_FIELDS},
    )


def channel_page(user, pk: int) -> ChannelPage | None:
    """Return the channel *pk* and what its page shows, or None when there is none or *user* may not see it."""
    # The register is open to every employee: ``channels_visible_to`` gives anyone else nothing
    # and an employee every channel, so the page's query needs no condition of its own. Should
    # the rule ever narrow the register, it is asked here first.
    if not is_possible_key(pk):
        return None
    visible = channels_visible_to(user)
    if visible.query.is_empty() or (visible.query.where and not visible.filter(pk=pk).exists()):
        return None
    rows = _PAGE_QUERIES[permissions.is_web_team(user)](
        channel_id=pk, day=timezone.localdate(), content_type_id=ContentType.objects.get_for_model(Channel).pk
    )
    if not rows:
        return None
    rows.sort(key=lambda row: (row[0], row[1]))
    sqlite = connection.vendor == "sqlite"
    by_kind = {kind: [] for kind in range(MANAGED_UNIT + 1)}
    for kind, _position, payload in rows:
        by_kind[kind].append(dict(zip(_MEMBERS[kind], payload, strict=True)))
    if not by_kind[CHANNEL]:
        return None
    data = by_kind[CHANNEL][0]
    channel = _instance(Channel, data, CHANNEL_FIELDS)
    channel.platform = Platform(id=data["platform_id"], name=data["platform_name"])
    channel.unit = Unit(id=data["unit_id"], name=data["unit_name"], is_active=bool(data["unit_is_active"]))
    page = ChannelPage(channel=channel)
    if channel.is_open:
        # An open channel is on the page: the menu's "any open channel" (moderates_any_channel) is answered.
        permissions.per_request(user, OPEN_CHANNELS_EXIST, lambda: True)

    for data in by_kind[PENDING][:1]:
        change = _instance(ChannelChange, data, ("id", "url", "handle", "proposed_at"))
        change.channel = channel
        change.platform = Platform(id=data["platform_id"], name=data["platform_name"])
        change.proposed_by = _user(data, "proposed_by__")
        page.pending_change = change
    for data in by_kind[REVIEW][:1]:
        review = _instance(
            ChannelReview, data, ("id", "reviewed_on", "still_needed", "purpose_ok", "writers_ok", "note")
        )
        review.channel = channel
        page.review = review
    for data in by_kind[DOCUMENTATION][:1]:
        documentation = _instance(Documentation, data, ("id", "documented_on", "reason", "note"))
        documentation.channel = channel
        documentation.created_by = _user(data, "created_by__")
        files = [_instance(DocumentationFile, row, ("id", "original_name", "size", "sha256")) for row in by_kind[FILE]]
        for file in files:
            file.documentation = documentation
        # As ``prefetch_related("files")`` leaves it (Django's own prefetch sets the same two attributes):
        # ``documentation.files.all`` reads this list.
        prefetched = documentation.files.all()
        prefetched._result_cache = files
        prefetched._prefetch_done = True
        documentation._prefetched_objects_cache = {"files": prefetched}
        page.documentation = documentation
    for data in by_kind[WRITER]:
        mandate = _instance(Mandate, data, ("id", "role", "valid_until"))
        mandate.channel = channel
        mandate.employee = _user(data, "employee__")
        mandate.granted_by = _user(data, "granted_by__")
        page.appointed.append(mandate)
    content_type = ContentType.objects.get_for_model(Channel)
    for data in by_kind[HISTORY]:
        changes = data["changes"]
        if sqlite and isinstance(changes, str):
            changes = json.loads(changes)  # SQLite's JSON_ARRAY() quotes a JSON column's text
        entry = _instance(HistoryEntry, data, ("id", "action", "reason", "created_at"))
        entry.changes = changes
        entry.content_type = content_type
        entry.object_id = channel.pk
        entry.actor = _user(data, "actor__")
        page.history.append(entry)
    managed = {}
    for data in by_kind[MANAGED_UNIT]:
        managed.setdefault(data["user"], set()).add(data["unit"])
    for data in by_kind[MANAGER]:
        manager = _user(data)
        permissions.remember_managed_unit_ids(manager, managed.get(manager.pk, ()))
        page.unit_managers.append(manager)
    return page
