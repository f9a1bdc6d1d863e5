"""The export table: which columns an export of moderation records has, and its rows, streamed.

``records_for_export`` is what a person may export (the list screen's selection);
``export_table`` yields its rows in the order of ``EXPORT_COLUMNS`` for the writers in
``moderation.exports.writers``; ``moderation.exports.database_csv`` formats the same rows
as CSV in the database, for speed.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Category, RemovedComment, RemovedCommentAttachment
from ..selectors import log as log_selectors
from .writers import Column

ERRORS = {
    "not_allowed_export": _("Only archivists and the web team may export records."),
}


def records_for_export(*, user, filters: log_selectors.Filters) -> QuerySet[RemovedComment]:
    """Return the records *user* may export, filtered as on the list screen (None: the command, all records)."""
    if user is not None:
        if not permissions.can_export(user):
            raise PermissionDenied(ERRORS["not_allowed_export"])
        return log_selectors.record_list(user=user, filters=filters)
    # The command (an administrator on the server): every record, the same filters.
    qs = log_selectors.search_records(RemovedComment.objects.all(), filters.search, user=None)
    return log_selectors.apply_filters(qs, filters).order_by("-id")


EXPORT_COLUMNS = [
    Column("id", "id", 8, "plain"),
    Column("sequence", "sequence", 9, "plain"),
    Column("confidential", "confidential", 12, "bool"),
    Column("removed_at", "removed_at", 22, "plain"),
    Column("comment_published_at", "comment_published_at", 22, "plain"),
    Column("channel", "channel", 24),
    Column("unit", "unit", 24),
    Column("platform", "platform", 12),
    Column("category", "category", 9),
    Column("category_label", "category_label", 30),
    # The reason in effect, all addenda considered (moderation.classification); "confidential"
    # and "legally_required" are the record's effective classification too.
    Column("effective_category", "effective_category", 9),
    Column("legally_required", "legally_required", 10, "bool"),
    Column("action", "action", 12),
    Column("text", "text", 60),
    Column("author_name", "author_name", 20),
    Column("author_handle", "author_handle", 20),
    Column("author_url", "author_url", 30),
    Column("comment_url", "comment_url", 30),
    Column("post_url", "post_url", 30),
    Column("explanation", "explanation", 30),
    Column("addendum_to", "addendum_to", 10, "plain"),
    Column("logged_by", "logged_by", 14),
    Column("logged_at", "logged_at", 22, "plain"),
    Column("disposed_at", "disposed_at", 22, "plain"),
    Column("disposal_decision", "disposal_decision", 18),
    Column("record_hash", "record_hash", 20),
    # Last: the fast CSV path (export_csv) appends it to the line the database formatted.
    Column("screenshots", "screenshots", 10, "plain"),
]


CONTENT_KEYS = ("text", "author_name", "author_handle", "author_url", "comment_url", "post_url", "explanation")


# The columns read for an export, in order: plain tuples, no model instances (a million
# rows must not cost a million objects). See docs/performance.md.
_EXPORT_FIELDS = (
    "pk",
    "sequence",
    "effective_confidential",
    "effective_category",
    "removed_at",
    "comment_published_at",
    "channel_name",
    "unit_name",
    "platform_name",
    "category",
    "effective_legally_required",
    "action",
    "addendum_to_id",
    "logged_by__username",
    "logged_at",
    "disposal__disposed_at",
    "disposal__decision_reference",
    "record_hash",
    "content__record_id",
    *(f"content__{key}" for key in CONTENT_KEYS),
)


def export_table(qs: QuerySet[RemovedComment], *, reveal_confidential: bool) -> Iterator[list]:
    """Yield one list per record, in the order of ``EXPORT_COLUMNS``, streaming from the database.

    Effectively confidential records (4:10 h, also when an addendum reclassified them, and
    addenda to them) are always flagged; their content is left out unless
    *reveal_confidential* (archivists). Times are local (Europe/Stockholm).
    Lists rather than dicts or model instances: this runs a million times for a big export.
    """
    labels = {code: str(label) for code, label in Category.choices}
    withheld = str(_("[confidential: content withheld from this export]"))
    zone = timezone.get_current_timezone()
    no_content = [None] * len(CONTENT_KEYS)
    withheld_content = [withheld] + [None] * (len(CONTENT_KEYS) - 1)

    hours: dict = {}

    def local(value):
        """Return *value* (UTC; naive on SQLite) as local "YYYY-MM-DD HH:MM:SS"."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is not None and value.utcoffset():
            value = value.astimezone(UTC)
        # Naive values are UTC (Django stores UTC on SQLite). The local hour is computed once
        # per UTC hour (zone offsets are whole hours here), minutes and seconds are copied:
        # this runs three times per row of a million.
        key = (value.year, value.month, value.day, value.hour)
        prefix = hours.get(key)
        if prefix is None:
            converted = value.replace(tzinfo=UTC).astimezone(zone)
            if converted.utcoffset().total_seconds() % 3600:
                return converted.replace(tzinfo=None).isoformat(" ", "seconds")
            prefix = hours[key] = converted.strftime("%Y-%m-%d %H:")
        return f"{prefix}{value.minute:02d}:{value.second:02d}"

    query = qs.with_classification().values_list(*_EXPORT_FIELDS)
    for chunk in _raw_chunks(query):
        # Screenshot counts for the chunk in one grouped query (cheaper than a subquery per row).
        ids = [row[0] for row in chunk]
        counts = dict(
            RemovedCommentAttachment.objects.filter(record_id__in=ids)
            .order_by()
            .values_list("record_id")
            .annotate(n=Count("pk"))
        )
        yield from _table_rows(chunk, counts, local, labels, reveal_confidential, no_content, withheld_content)


def _table_rows(chunk, counts, local, labels, reveal_confidential, no_content, withheld_content):
    for row in chunk:
        confidential = bool(row[2])
        category = row[9]
        content = list(row[19:26]) if row[18] is not None else no_content
        if confidential and not reveal_confidential and row[18] is not None:
            content = withheld_content
        yield [
            row[0],  # id
            row[1],  # sequence
            confidential,
            local(row[4]),  # removed_at
            local(row[5]),  # comment_published_at
            row[6],  # channel
            row[7],  # unit
            row[8],  # platform
            category,
            labels.get(category, category),
            row[3],  # effective_category
            bool(row[10]),  # legally_required (effective)
            row[11],  # action
            *content,  # text, author name/handle/url, comment url, post url, explanation
            row[12],  # addendum_to
            row[13],  # logged_by
            local(row[14]),  # logged_at
            local(row[15]),  # disposed_at
            row[16],  # disposal decision
            row[17],  # record_hash
            counts.get(row[0], 0),  # screenshots
        ]


def _raw_chunks(query: QuerySet, size: int = 2000) -> Iterator[list[tuple]]:
    """Yield the rows of *query* in lists of *size*, straight from the cursor, without Django's converters.

    A chunked (server-side on PostgreSQL) cursor, so memory stays flat. The caller knows the
    column types (see ``export_table``).
    """
    sql, params = query.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(size)
            if not rows:
                break
            yield rows


def export_rows(qs: QuerySet[RemovedComment], *, reveal_confidential: bool) -> Iterator[dict]:
    """Like ``export_table``, one dict per record keyed by column key."""
    keys = [column.key for column in EXPORT_COLUMNS]
    for row in export_table(qs, reveal_confidential=reveal_confidential):
        yield dict(zip(keys, row, strict=True))
