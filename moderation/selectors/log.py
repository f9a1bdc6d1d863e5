"""Reads for the moderation log's screens, scoped to what each person may see."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from accounts.people import display_name
from norsjo.dates import day_start
from norsjo.prepared import PreparedQuery
from registry.models import Channel
from registry.permissions import _managed_units, active_mandate_channel_ids, managed_unit_ids

from .. import classification, permissions, search
from ..models import Category, RemovedComment

PAGE_SIZE = 25


def records_visible_to(user) -> QuerySet[RemovedComment]:
    """Return the records *user* may see: all for the web team and archivists; else by channel, unit or own log."""
    if not user.is_authenticated or not user.is_active:
        return RemovedComment.objects.none()
    if permissions.sees_whole_log(user):
        return RemovedComment.objects.all()
    # A short list of ids, resolved first: a plain IN list keeps the planner on the (channel, id) index.
    channel_ids = set(active_mandate_channel_ids(user))
    if managed_unit_ids(user):
        channel_ids |= {channel_id for (channel_id,) in _MANAGED_CHANNEL_IDS(user_id=user.pk)}
    return RemovedComment.objects.filter(Q(channel_id__in=sorted(channel_ids)) | Q(logged_by=user))


# The channels of the units a person manages (``managed_unit_ids``' own rule), compiled once per process.
_MANAGED_CHANNEL_IDS = PreparedQuery(
    lambda user_id: Channel.objects.filter(unit__in=_managed_units(user_ids=[user_id])).order_by().values_list("id"),
    user_id=int,
)


def search_records(qs: QuerySet[RemovedComment], text: str, *, user) -> QuerySet[RemovedComment]:
    """Filter *qs* to records whose text or author matches *text*.

    *user* is the person searching; ``None`` only for server-side commands run by staff
    (``export_records``), which see every record.
    """
    text = text.strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        # The planner settings it changes end with its own statement's transaction; inside a
        # caller's transaction they are put back.
        with connection.cursor() as cursor:
            in_transaction = connection.in_atomic_block or not connection.get_autocommit()
            ids = search.sparse_matches(cursor, text, restore=in_transaction)
        if ids is None:
            # Common words: walk the log backwards, checking matches (constant SQL, text a parameter).
            qs = qs.filter(pk__in=RawSQL(search.MATCHING_RECORD_IDS, [text]))  # noqa: S611
        elif len(ids) >= search.LONG_LIST:
            qs = qs.filter(search.AnyOf(F("pk"), ids))
        else:
            qs = qs.filter(pk__in=ids)
    else:
        qs = qs.filter(
            Q(content__text__icontains=text)
            | Q(content__author_name__icontains=text)
            | Q(content__author_handle__icontains=text)
        )
    # A search hit reveals content: confidential records (4:10 h) only match for those who may read them.
    if user is not None:
        qs = qs.filter(permissions.content_readable_condition(user, RemovedComment))
    return qs


@dataclass
class Filters:
    search: str = ""
    channel: Channel | None = None
    unit_id: int | None = None
    category: str = ""
    action: str = ""
    removed_from: date | None = None
    removed_until: date | None = None
    logged_by: str = ""


def apply_filters(qs: QuerySet[RemovedComment], filters: Filters) -> QuerySet[RemovedComment]:
    """Apply the list screen's filters other than the search (shared with the exports)."""
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.unit_id:
        qs = qs.filter(channel__unit_id=filters.unit_id)
    if filters.category:
        qs = qs.of_effective_category(filters.category)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.removed_from:
        qs = qs.filter(removed_at__gte=day_start(filters.removed_from))
    if filters.removed_until:
        qs = qs.filter(removed_at__lt=day_start(filters.removed_until + timedelta(days=1)))
    if filters.logged_by:
        qs = qs.filter(logged_by__username=filters.logged_by)
    return qs


def record_list(*, user, filters: Filters) -> QuerySet[RemovedComment]:
    """Return the visible records filtered as on the list screen, newest first."""
    qs = search_records(records_visible_to(user), filters.search, user=user)
    return apply_filters(qs, filters).with_classification().select_related("logged_by").order_by("-id")


def record_page(*, user, filters: Filters, after: int | None = None, size: int = PAGE_SIZE) -> "Page":
    """Return the list screen's page: ``record_list``'s records, classified with one query over this page only.

    ``with_classification()``'s annotations (group subqueries in every row's CASE) cost more
    to build and plan than the page itself; a page's 25 records and their groups are
    classified in Python instead (``classify_records``), with the same rules.
    """
    qs = search_records(records_visible_to(user), filters.search, user=user)
    qs = apply_filters(qs, filters).select_related("logged_by").only(*LIST_COLUMNS).order_by("-id")
    # Whether a record is in a group of one, its own reason in effect: most are, and a page of
    # them needs no query for their groups. (Looked up row by row: ``alone_condition`` reads
    # every addendum once, a cost that grows with the log.)
    others = classification.group_of_outer(RemovedComment).exclude(pk=OuterRef("pk"))
    qs = qs.annotate(alone=~Exists(others))
    page = keyset_page(qs, after=after, size=size)
    classify_records(page.items)
    return page


# What a row of the list shows (templates/moderation/record_list.html) and classifying it needs;
# not the hashes, and of the person who logged it only the name.
LIST_COLUMNS = (
    "sequence",
    "channel_id",
    "channel_name",
    "unit_name",
    "platform_name",
    "category",
    "legally_required",
    "action",
    "removed_at",
    "addendum_to_id",
    "logged_by__username",
    "logged_by__first_name",
    "logged_by__last_name",
)


def _distinct_loggers_sql() -> str:
    table = RemovedComment._meta.db_table
    column = RemovedComment._meta.get_field("logged_by").column
    return (
        f"WITH RECURSIVE loggers(id) AS (SELECT MIN({column}) FROM {table} "  # noqa: S608 - names from the model
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > loggers.id) "
        "FROM loggers WHERE loggers.id IS NOT NULL) SELECT id FROM loggers WHERE id IS NOT NULL"
    )


def people_who_logged() -> QuerySet:
    """Return the people who have logged at least one removal (the log filter's "Logged by").

    Found by walking the index on the logger, one step per person: ``IN (SELECT logged_by ...)``
    or ``EXISTS`` read every record's entry (0.5 s at a million records, docs/performance.md).
    """
    return get_user_model().objects.filter(pk__in=RawSQL(_distinct_loggers_sql(), []))  # noqa: S611 - no input


def filter_choices(channels: QuerySet, units: QuerySet, people: QuerySet) -> tuple[list, list, list]:
    """Return the list filter's (value, label) choices of *channels*, *units* and *people*, from one query.

    As their model choice fields offer them: a channel as ``str(channel)``, "name (platform)",
    by name and platform; a unit by name; a person by ``display_name``, by last name, first
    name and user name, chosen by user name.
    """
    return labelled_filter_choices(filter_choice_rows(channels, units, people))


def filter_choice_rows(channels: QuerySet, units: QuerySet, people: QuerySet) -> QuerySet:
    """Return ``filter_choices``' one query: rows of (kind, value, three sort keys the label is made of)."""

    def rows(qs, kind, key, first, second="", third=""):
        columns = {"kind": Value(kind), "key": key, "s1": F(first)}
        columns |= {"s2": F(second) if second else Value(""), "s3": F(third) if third else Value("")}
        return qs.order_by().annotate(**columns).values_list("kind", "key", "s1", "s2", "s3")

    text_pk = Cast("pk", CharField())
    union = rows(channels, 0, text_pk, "name", "platform__name").union(
        rows(units, 1, text_pk, "name"), rows(people, 2, F("username"), "last_name", "first_name", "username"), all=True
    )
    return union.order_by("kind", "s1", "s2", "s3")


def labelled_filter_choices(rows) -> tuple[list, list, list]:
    """Return the channels', units' and people's (value, label) choices of ``filter_choice_rows``' *rows*."""
    found = ([], [], [])
    for kind, key, first, second, third in rows:
        if kind == 0:
            label = Channel.label(first, second)
        elif kind == 1:
            label = first
        else:
            label = display_name(get_user_model()(username=third, first_name=second, last_name=first))
        found[kind].append((key, label))
    return found


def classify_records(records: list[RemovedComment]) -> None:
    """Set on each record what ``with_classification()`` annotates (``effective_category`` and the rest).

    One query reads the reasons of the records' groups (each original and its addenda), none
    when every record is annotated ``alone`` (``classification.alone_condition``): a group of
    one, the record itself. ``classification.classify`` applies the rules that
    ``classification.annotations`` states in SQL (tests/moderation/test_classification.py
    proves they agree).
    """
    groups = {record.pk: [(record.category, record.legally_required)] for record in records if _alone(record)}
    roots = {record.addendum_to_id or record.pk for record in records if record.pk not in groups}
    if roots:
        members = RemovedComment._base_manager.filter(Q(pk__in=roots) | Q(addendum_to_id__in=roots)).order_by()
        for pk, root, category, law in members.values_list("pk", "addendum_to_id", "category", "legally_required"):
            groups.setdefault(root or pk, []).append((category, law))
    for record in records:
        effective = classification.classify(groups[record.addendum_to_id or record.pk])
        record.effective_category = effective.category
        record.effective_legally_required = effective.legally_required
        record.effective_confidential = effective.confidential


def _alone(record: RemovedComment) -> bool:
    return getattr(record, "alone", False)


@dataclass
class Page:
    """One page of keyset pagination: no count of all rows, only "is there more"."""

    items: list
    next_after: int | None
    is_first: bool


def keyset_page(qs: QuerySet, *, after: int | None, size: int = PAGE_SIZE) -> Page:
    """Return the records after id *after* (ids descending) and the cursor of the next page."""
    if after:
        qs = qs.filter(pk__lt=after)
    items = list(qs[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    return Page(items=items, next_after=items[-1].pk if has_more else None, is_first=not after)


def record_for(user, pk: int) -> RemovedComment:
    """Return one visible record (raises DoesNotExist when not visible: a 404)."""
    return (
        records_visible_to(user)
        .with_classification()
        .select_related("channel__unit", "logged_by", "addendum_to")
        .get(pk=pk)
    )


def addenda_of(record: RemovedComment) -> QuerySet[RemovedComment]:
    """Return the addenda of *record*, oldest first, each with its effective classification."""
    return record.addenda.with_classification().select_related("logged_by").order_by("sequence")


# Time online before removal (published -> removed), in buckets for the chart.
ONLINE_BUCKETS = [
    ("lt1h", timedelta(hours=1)),
    ("lt6h", timedelta(hours=6)),
    ("lt24h", timedelta(hours=24)),
    ("lt7d", timedelta(days=7)),
    ("ge7d", None),
]


def statistics(*, user, months: int = 12) -> dict:
    """Return removals per category per month, per channel and by time online, over the last *months*."""
    today = timezone.localdate()
    first_month = date(today.year, today.month, 1)
    for _i in range(months - 1):
        first_month = (first_month - timedelta(days=1)).replace(day=1)
    qs = records_visible_to(user).originals().filter(removed_at__gte=day_start(first_month))

    month_keys = []
    cursor = first_month
    for _i in range(months):
        month_keys.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    per_month = {(m, c): 0 for m in month_keys for c in Category.values}
    # Counted under the reason in effect: a record corrected from g to b counts as b. Records
    # without addenda by their own reason, the few with addenda over their group.
    alone = qs.alone().annotate(month=TruncMonth("removed_at"), reason=F("category"))
    grouped = (
        qs.in_groups().with_classification().annotate(month=TruncMonth("removed_at"), reason=F("effective_category"))
    )
    for rows in (alone, grouped):
        for month, category, n in rows.values_list("month", "reason").annotate(n=Count("id")):
            month = month.date() if isinstance(month, datetime) else month
            per_month[(month.replace(day=1), category)] += n

    per_channel = list(
        qs.values("channel_id", "channel_name", "platform_name")
        .annotate(n=Count("id"))
        .order_by("-n", "channel_name", "platform_name")[:20]
    )

    online = ExpressionWrapper(F("removed_at") - F("comment_published_at"), output_field=DurationField())
    timed = qs.filter(comment_published_at__isnull=False).annotate(online=online)
    buckets = []
    lower = None
    for key, upper in ONLINE_BUCKETS:
        bucket_qs = timed
        if lower is not None:
            bucket_qs = bucket_qs.filter(online__gte=lower)
        if upper is not None:
            bucket_qs = bucket_qs.filter(online__lt=upper)
        buckets.append((key, bucket_qs.count()))
        lower = upper
    month_rows = []
    for month in month_keys:
        counts = [per_month[(month, c)] for c in Category.values]
        month_rows.append({"month": month, "counts": counts, "total": sum(counts)})
    category_totals = [
        {"category": label, "total": sum(per_month[(m, value)] for m in month_keys)}
        for value, label in Category.choices
    ]
    return {
        "month_rows": month_rows,
        "category_labels": [(Category.short_label_of(value), label) for value, label in Category.choices],
        "category_totals": category_totals,
        "per_channel": per_channel,
        "online": buckets,
        "total": sum(row["total"] for row in month_rows),
        "max_month": max((row["total"] for row in month_rows), default=0),
        "max_category": max((row["total"] for row in category_totals), default=0),
        "max_channel": max((row["n"] for row in per_channel), default=0),
        "max_online": max((n for _key, n in buckets), default=0),
    }
