"""Archival handling of the moderation log: exports, disposal (4:7), holds, requests for public records.

Services (every write: actor checked, one transaction, history recorded) and selectors for
the archivist's screens and the commands ``export_records`` and ``apply_disposal``. Kept
apart from ``services.py`` (logging removals) so that each can be read on its own.

Disposal in one sentence: under the one disposal decision in force today, an original
record (and its addenda) whose category the decision covers is disposed of once its
retention period has run from the day the comment was removed (Europe/Stockholm), unless a
hold that is not lifted covers it; disposal deletes its content and screenshots (rows and
files) and writes a ``DisposedRecord``, leaving the record row (the tombstone, with its
hash) untouched, so the hash chain still verifies.
"""

import calendar
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.permissions import is_archivist, is_web_team
from registry.services import history_record

from . import classification, selectors, services
from .exports import Column
from .models import (
    Category,
    DisclosureItem,
    DisclosureRequest,
    DisposalDecision,
    DisposalRun,
    DisposedRecord,
    Hold,
    RecordRead,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
    RetentionPeriod,
)

log = logging.getLogger(__name__)

ERRORS = {
    "not_archivist": _("Only archivists may do this."),
    "not_allowed_export": _("Only archivists and the web team may export records."),
    "overlap": _("Another disposal decision is in force during part of this period; end it first."),
    "no_retention": _("Give a retention period for at least one reason."),
    "no_decision": _("No disposal decision is in force today: nothing can be disposed of."),
    "preview_stale": _(
        "The records to dispose of have changed since the preview. Look at the new preview and confirm again."
    ),
    "nothing_to_dispose": _("There is nothing to dispose of today."),
    "hold_scope": _("Say what the hold covers: choose records, a channel or a period."),
    "hold_lifted": _("This hold has already been lifted."),
    "lift_reason": _("Give the reason for lifting the hold."),
    "no_records": _("Choose at least one record."),
    "end_before_start": _("A decision cannot end before it came into force."),
    "already_ends": _("This decision already ends on %(day)s: its end can only be brought forward."),
    "end_before_run": _("Records were disposed of under this decision as of %(day)s: it cannot end before that day."),
    "review_missing": _(
        "Confidential records need a review decision (released, released in part or withheld) before the copy "
        "can be made: %(records)s."
    ),
    "partial_needs_text": _("For release in part, give the text as released and what was masked."),
    "withheld_needs_grounds": _("Give the grounds for withholding."),
}

BATCH = 500


# --- permissions -------------------------------------------------------------------------


def can_export(user) -> bool:
    """Export records (CSV, XLSX, JSON Lines): archivists and the web team, who see the whole log."""
    return is_archivist(user) or is_web_team(user)


def sees_confidential_content(user) -> bool:
    """Confidential content (4:10 h) goes into an export only for archivists."""
    return is_archivist(user)


def can_manage_archive(user) -> bool:
    """Disposal decisions, holds, disposal runs and requests for public records: archivists."""
    return is_archivist(user)


def _require_archivist(actor) -> None:
    if not can_manage_archive(actor):
        raise PermissionDenied(ERRORS["not_archivist"])


# --- days ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Return *day* plus *months* calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today: date, months: int) -> date:
    """Return the last removal day whose retention of *months* has run by *today*.

    A record removed on day ``d`` may be disposed of from ``add_months(d, months)`` on.
    """
    cutoff = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        # Removed on the 29th-31st, kept until the end of a shorter month: all have run.
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


# --- exports ---------------------------------------------------------------------------------


def records_for_export(*, user, filters: selectors.Filters) -> QuerySet[RemovedComment]:
    """Return the records *user* may export, filtered as on the list screen (None: the command, all records)."""
    if user is not None:
        if not can_export(user):
            raise PermissionDenied(ERRORS["not_allowed_export"])
        return selectors.record_list(user=user, filters=filters)
    # The command (an administrator on the server): every record, the same filters.
    qs = selectors.search_records(RemovedComment.objects.all(), filters.search, user=None)
    return selectors.apply_filters(qs, filters).order_by("-id")


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


# --- the fast CSV path: the database formats each line ---------------------------------------
#
# The same rules as exports.csv_chunks (formula-like text gets a leading apostrophe, booleans
# "true"/"false", local times, confidential content withheld unless revealed), written as SQL
# so that Python only copies lines: see docs/performance.md. Text fields are always quoted
# (valid CSV, read back identically; the tests compare both paths field by field).

_FORMULA_SQL = {
    "sqlite": "('=', '+', '-', '@', char(9), char(13))",
    "postgresql": "('=', '+', '-', '@', chr(9), chr(13))",
}


def _csv_text_sql(column: str, vendor: str) -> str:
    neutral = f"CASE WHEN substr({column}, 1, 1) IN {_FORMULA_SQL[vendor]} THEN '''' || {column} ELSE {column} END"
    return f"""COALESCE('"' || replace({neutral}, '"', '""') || '"', '')"""


def _csv_time_sql(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        # Django stores UTC text; 'localtime' converts with the process time zone, which
        # Django sets from TIME_ZONE (Europe/Stockholm). It also rounds a fraction of .9995
        # or more up to the next second, while every other path truncates: cut the fraction
        # off first ("YYYY-MM-DD HH:MM:SS" is the first 19 characters).
        return f"COALESCE(datetime(substr({column}, 1, 19), 'localtime'), '')"
    return f"COALESCE(to_char({column} AT TIME ZONE %(zone)s, 'YYYY-MM-DD HH24:MI:SS'), '')"


def _csv_int_sql(column: str) -> str:
    return f"COALESCE(CAST({column} AS TEXT), '')"


def _positional_to_named(sql: str, count: int) -> str:
    """Turn the ``%s`` placeholders of Django's compiled SQL into ``%(p0)s``, ``%(p1)s``..."""
    parts = sql.split("%s")
    if len(parts) != count + 1:
        raise ValueError("Unexpected placeholders in the selection's SQL")
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += f"%(p{i})s" + part
    return out


def export_csv(qs: QuerySet[RemovedComment], *, delimiter: str, reveal_confidential: bool) -> Iterator[bytes]:
    """Yield the CSV export of *qs* (UTF-8 with BOM), each line formatted by the database.

    The same columns and rules as ``exports.csv_chunks(EXPORT_COLUMNS, export_table(...))``,
    which serves any other database.
    """
    from .exports import CHUNK_ROWS, UTF8_BOM, csv_chunks

    vendor = connection.vendor
    if vendor not in _FORMULA_SQL or delimiter not in (",", ";"):
        yield from csv_chunks(
            EXPORT_COLUMNS, export_table(qs, reveal_confidential=reveal_confidential), delimiter=delimiter
        )
        return
    params: dict = {
        "zone": str(timezone.get_current_timezone()),
        "withheld": str(_("[confidential: content withheld from this export]")),
    }
    labels = list(Category.choices)
    label_sql = "CASE r.category "
    for i, (code, label) in enumerate(labels):
        label_sql += f"WHEN %(c{i})s THEN %(l{i})s "
        # Quoted here, once: our own labels, never formula-like.
        params[f"c{i}"], params[f"l{i}"] = code, '"' + str(label).replace('"', '""') + '"'

    label_sql += "ELSE r.category END"
    # The effective classification comes from the selection's subquery (moderation.classification).
    if vendor == "sqlite":
        confidential = "s.effective_confidential = 1"
        legally_required = "s.effective_legally_required = 1"
    else:
        confidential = "s.effective_confidential"
        legally_required = "s.effective_legally_required"
    flag = "CASE WHEN {} THEN 'true' ELSE 'false' END"
    content = []
    for key in CONTENT_KEYS:
        text = _csv_text_sql(f"c.{key}", vendor)
        if not reveal_confidential:
            withheld = """'"' || %(withheld)s || '"'""" if key == "text" else "''"
            text = f"CASE WHEN c.record_id IS NOT NULL AND {confidential} THEN {withheld} ELSE {text} END"
        content.append(text)
    fields = [
        _csv_int_sql("r.id"),
        _csv_int_sql("r.sequence"),
        flag.format(confidential),
        _csv_time_sql("r.removed_at", vendor),
        _csv_time_sql("r.comment_published_at", vendor),
        _csv_text_sql("r.channel_name", vendor),
        _csv_text_sql("r.unit_name", vendor),
        _csv_text_sql("r.platform_name", vendor),
        "r.category",  # a code (a-h, other): nothing to quote or neutralise
        label_sql,
        "s.effective_category",  # a code, as category
        flag.format(legally_required),
        "r.action",  # unpublished / deleted
        *content,
        _csv_int_sql("r.addendum_to_id"),
        _csv_text_sql("u.username", vendor),
        _csv_time_sql("r.logged_at", vendor),
        _csv_time_sql("d.disposed_at", vendor),
        _csv_text_sql("d.decision_reference", vendor),
        "r.record_hash",  # hexadecimal
    ]
    # The selection (filters, search, what the person may see) and the effective classification
    # stay Django's, as a subquery.
    ids_sql, ids_params = (
        qs.with_classification()
        .order_by()
        .values("effective_category", "effective_legally_required", "effective_confidential", selected_id=F("pk"))
        .query.sql_with_params()
    )
    ids_sql = _positional_to_named(ids_sql.replace("%(", "%%("), len(ids_params))
    params.update({f"p{i}": value for i, value in enumerate(ids_params)})
    line = f" || '{delimiter}' || ".join(fields)
    sql = (
        f"SELECT r.id, {line} "  # noqa: S608 - constant SQL; every value is a parameter
        f"FROM moderation_removedcomment r JOIN ({ids_sql}) s ON s.selected_id = r.id "
        "JOIN auth_user u ON u.id = r.logged_by_id "
        "LEFT JOIN moderation_removedcommentcontent c ON c.record_id = r.id "
        "LEFT JOIN moderation_disposedrecord d ON d.record_id = r.id "
        "ORDER BY r.id DESC"
    )
    header = delimiter.join(column.label for column in EXPORT_COLUMNS)
    yield (UTF8_BOM + header + "\r\n").encode("utf-8")
    # Screenshot counts per chunk, over the chunk's id range (ids descend): one grouped query,
    # no per-id parameters.
    count_sql = (
        "SELECT record_id, COUNT(*) FROM moderation_removedcommentattachment "
        "WHERE record_id BETWEEN %s AND %s GROUP BY record_id"
    )
    with connection.chunked_cursor() as cursor, connection.cursor() as counter:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(CHUNK_ROWS * 4)
            if not rows:
                break
            counter.execute(count_sql, [rows[-1][0], rows[0][0]])
            counts = dict(counter.fetchall())
            yield "".join(f"{text}{delimiter}{counts.get(pk, 0)}\r\n" for pk, text in rows).encode("utf-8")


def export_rows(qs: QuerySet[RemovedComment], *, reveal_confidential: bool) -> Iterator[dict]:
    """Like ``export_table``, one dict per record keyed by column key."""
    keys = [column.key for column in EXPORT_COLUMNS]
    for row in export_table(qs, reveal_confidential=reveal_confidential):
        yield dict(zip(keys, row, strict=True))


def _has(record, relation: str) -> bool:
    try:
        getattr(record, relation)
    except (RemovedCommentContent.DoesNotExist, DisposedRecord.DoesNotExist):
        return False
    return True


# --- disposal decisions ------------------------------------------------------------------------


def decision_in_force(day: date | None = None) -> DisposalDecision | None:
    day = day or timezone.localdate()
    return (
        DisposalDecision.objects.filter(in_force_from__lte=day)
        .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day))
        .prefetch_related("retention_periods")
        .first()
    )


@transaction.atomic
def decision_register(
    *,
    actor,
    reference: str,
    deciding_body: str,
    decided_on: date,
    in_force_from: date,
    in_force_until: date | None,
    scope: str,
    retention: dict[str, int],
) -> DisposalDecision:
    """Register a disposal decision (4:7) with its retention period per reason; refuse overlapping periods."""
    _require_archivist(actor)
    retention = {category: months for category, months in retention.items() if months is not None}
    if not retention:
        raise ValidationError(ERRORS["no_retention"], code="no_retention")
    overlapping = DisposalDecision.objects.filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=in_force_from))
    if in_force_until is not None:
        overlapping = overlapping.filter(in_force_from__lte=in_force_until)
    if overlapping.exists():
        raise ValidationError(ERRORS["overlap"], code="overlap")
    decision = DisposalDecision(
        reference=reference.strip(),
        deciding_body=deciding_body.strip(),
        decided_on=decided_on,
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        scope=scope.strip(),
        registered_by=actor,
    )
    decision.full_clean()
    decision.save()
    RetentionPeriod.objects.bulk_create(
        [RetentionPeriod(decision=decision, category=category, months=months) for category, months in retention.items()]
    )
    history_record(decision, action="decision.registered", actor=actor, changes={"retention": retention})
    return decision


@transaction.atomic
def decision_end(*, actor, decision: DisposalDecision, last_day: date) -> DisposalDecision:
    """End a decision on *last_day* (a new decision may follow); an end may be brought forward, never pushed back.

    Pushing an end back could overlap the decision that follows, and an end before a
    disposal run under the decision would leave the run without a decision in force.
    """
    _require_archivist(actor)
    decision = DisposalDecision.objects.select_for_update().get(pk=decision.pk)
    if last_day < decision.in_force_from:
        raise ValidationError(ERRORS["end_before_start"], code="end_before_start")
    if decision.in_force_until is not None and last_day >= decision.in_force_until:
        raise ValidationError(
            ERRORS["already_ends"], code="already_ends", params={"day": decision.in_force_until.isoformat()}
        )
    last_run = decision.runs.order_by("-as_of").values_list("as_of", flat=True).first()
    if last_run is not None and last_day < last_run:
        raise ValidationError(ERRORS["end_before_run"], code="end_before_run", params={"day": last_run.isoformat()})
    before = decision.in_force_until
    decision.in_force_until = last_day
    decision.full_clean()
    decision.save(update_fields=["in_force_until"])
    history_record(
        decision,
        action="decision.ended",
        actor=actor,
        changes={"in_force_until": [str(before) if before else None, str(last_day)]},
    )
    return decision


def decision_can_end(decision: DisposalDecision, today: date | None = None) -> bool:
    """Whether the decision's end can still be set or brought forward: it has not ended before *today*."""
    today = today or timezone.localdate()
    return decision.in_force_until is None or decision.in_force_until >= today


# --- holds -----------------------------------------------------------------------------------------


@transaction.atomic
def hold_place(
    *,
    actor,
    kind: str,
    reason: str,
    reference: str = "",
    records: Iterable[RemovedComment] = (),
    channel=None,
    period_from: date | None = None,
    period_until: date | None = None,
) -> Hold:
    """Put a hold on records, a channel or a period: nothing it covers is disposed of until it is lifted."""
    _require_archivist(actor)
    records = list(records)
    if (
        (kind == Hold.Kind.RECORDS and not records)
        or (kind == Hold.Kind.CHANNEL and channel is None)
        or (kind == Hold.Kind.PERIOD and (period_from is None or period_until is None))
    ):
        raise ValidationError(ERRORS["hold_scope"], code="hold_scope")
    if kind == Hold.Kind.PERIOD and period_until < period_from:
        raise ValidationError(_("The period must end on or after its first day."), code="period_order")
    hold = Hold(
        kind=kind,
        reason=reason.strip(),
        reference=reference.strip(),
        channel=channel if kind == Hold.Kind.CHANNEL else None,
        period_from=period_from if kind == Hold.Kind.PERIOD else None,
        period_until=period_until if kind == Hold.Kind.PERIOD else None,
        placed_by=actor,
    )
    hold.full_clean()
    hold.save()
    if kind == Hold.Kind.RECORDS:
        hold.records.set(records)
    history_record(
        hold,
        action="hold.placed",
        actor=actor,
        reason=hold.reason,
        changes={
            "kind": kind,
            "records": [r.pk for r in records],
            "channel": channel.pk if channel is not None and kind == Hold.Kind.CHANNEL else None,
            "period": [str(period_from), str(period_until)] if kind == Hold.Kind.PERIOD else None,
        },
    )
    return hold


@transaction.atomic
def hold_lift(*, actor, hold: Hold, reason: str) -> Hold:
    _require_archivist(actor)
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(ERRORS["hold_lifted"], code="hold_lifted")
    if not reason.strip():
        raise ValidationError(ERRORS["lift_reason"], code="lift_reason")
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    history_record(hold, action="hold.lifted", actor=actor, reason=hold.lift_reason)
    return hold


def holds_active() -> QuerySet[Hold]:
    return Hold.objects.filter(lifted_at__isnull=True)


def _held_filter() -> Q:
    """Return a condition matching original records that an active hold covers (directly or via an addendum)."""
    active = holds_active()
    held_ids = Hold.records.through.objects.filter(hold__lifted_at__isnull=True).values("removedcomment_id")
    condition = Q(pk__in=held_ids) | Q(addenda__pk__in=held_ids)
    channel_ids = list(active.filter(kind=Hold.Kind.CHANNEL).values_list("channel_id", flat=True))
    if channel_ids:
        condition |= Q(channel_id__in=channel_ids)
    for start, end in active.filter(kind=Hold.Kind.PERIOD).values_list("period_from", "period_until"):
        condition |= Q(
            removed_at__gte=selectors.day_start(start), removed_at__lt=selectors.day_start(end + timedelta(days=1))
        )
    return condition


# --- disposal ----------------------------------------------------------------------------------------


@dataclass
class DisposalPreview:
    decision: DisposalDecision | None
    as_of: date
    original_ids: list[int] = field(default_factory=list)
    addendum_ids: list[int] = field(default_factory=list)
    by_category: list[tuple[str, str, int, int, date]] = field(default_factory=list)
    held_count: int = 0

    @property
    def record_ids(self) -> list[int]:
        return sorted(self.original_ids + self.addendum_ids)

    @property
    def count(self) -> int:
        return len(self.original_ids) + len(self.addendum_ids)

    @property
    def fingerprint(self) -> str:
        """A short digest of exactly which records would go: a confirmation is for this set only."""
        digest = hashlib.sha256()
        digest.update(f"{self.decision.pk if self.decision else 0}:{self.as_of}:".encode())
        for pk in self.record_ids:
            digest.update(f"{pk},".encode())
        return digest.hexdigest()[:32]


def retention_periods(decision: DisposalDecision) -> dict[str, int]:
    """Return the decision's retention in months per reason."""
    return {period.category: period.months for period in decision.retention_periods.all()}


def record_disposable_from(record: RemovedComment, decision: DisposalDecision) -> date | None:
    """Return the first day *record* may be disposed of under *decision*; None while it is not covered.

    The effective retention (the longest of the reasons of the record and its addenda,
    ``classification.retention_months``) counted from the day the comment was removed.
    """
    root = record.addendum_to or record
    reasons = [root.category, *root.addenda.values_list("category", flat=True)]
    months = classification.retention_months(reasons, retention_periods(decision))
    if months is None:
        return None
    return add_months(timezone.localdate(root.removed_at), months)


def _eligible(decision: DisposalDecision, today: date) -> QuerySet[RemovedComment]:
    """Return the original records past their effective retention under *decision*, not yet disposed of.

    The effective retention is the longest among the reasons of the record and its addenda
    (``moderation.classification``): a record corrected from g (3 months) to b (24 months)
    is kept 24 months; one with a reason the decision does not cover is kept.
    """
    periods = retention_periods(decision)
    if not periods:
        return RemovedComment.objects.none()
    # Nothing is due before the shortest retention has run: this bound keeps the scan short.
    shortest = retention_cutoff(today, min(periods.values()))
    candidates = RemovedComment.objects.filter(
        addendum_to__isnull=True,
        disposal__isnull=True,
        category__in=list(periods),
        removed_at__lt=selectors.day_start(shortest + timedelta(days=1)),
    ).retention_months(periods)
    due = Q()
    for months in sorted(set(periods.values())):
        cutoff = retention_cutoff(today, months)
        due |= Q(retention_months=months, removed_at__lt=selectors.day_start(cutoff + timedelta(days=1)))
    return candidates.filter(due)


def disposal_preview(*, on: date | None = None) -> DisposalPreview:
    """Return what a disposal run would destroy today: which records, how many, under which decision."""
    today = on or timezone.localdate()
    decision = decision_in_force(today)
    preview = DisposalPreview(decision=decision, as_of=today)
    if decision is None:
        return preview
    candidates = _eligible(decision, today)
    held = candidates.filter(_held_filter()).values("pk")
    eligible = candidates.exclude(pk__in=held)
    preview.held_count = candidates.filter(pk__in=held).count()
    preview.original_ids = list(eligible.order_by("pk").values_list("pk", flat=True))
    preview.addendum_ids = list(
        RemovedComment.objects.filter(addendum_to_id__in=eligible.values("pk"), disposal__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    months = retention_periods(decision)
    labels = dict(Category.choices)
    # Counted under the reason in effect (a record corrected from g to b counts as b).
    counts = dict(
        eligible.with_classification()
        .order_by()
        .values_list("effective_category")
        .annotate(n=Count("pk"))
        .values_list("effective_category", "n")
    )
    for category, label in labels.items():
        if category in months:
            preview.by_category.append(
                (
                    category,
                    str(label),
                    months[category],
                    counts.get(category, 0),
                    retention_cutoff(today, months[category]),
                )
            )
    return preview


def _remove_files(names: list[str]) -> None:
    """Delete disposed screenshots from storage (after the commit: a rollback keeps them)."""
    still_used = set()
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        still_used |= set(RemovedCommentAttachment.objects.filter(file__in=chunk).values_list("file", flat=True))
    for name in names:
        if name in still_used:
            continue
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged for the operator; the row is already gone
            log.exception("Disposal: could not delete the file %s from storage", name)


# Names given by attachment_path (a SHA-256), with the suffix the storage adds when a name is taken.
_ATTACHMENT_NAME = re.compile(r"moderation/[0-9a-f]{2}/[0-9a-f]{64}(?:_[A-Za-z0-9]{7})?\.(?:png|jpg|gif|webp|pdf)")
ORPHAN_GRACE = timedelta(hours=24)


def _stored_attachment_files() -> Iterator[str]:
    """Yield the names of the screenshot files in storage (those attachment_path names, nothing else)."""
    try:
        folders, _files = default_storage.listdir("moderation")
    except FileNotFoundError:
        return
    for folder in sorted(folders):
        _dirs, files = default_storage.listdir(f"moderation/{folder}")
        for name in sorted(files):
            path = f"moderation/{folder}/{name}"
            if _ATTACHMENT_NAME.fullmatch(path):
                yield path


def orphaned_files_sweep(*, dry_run: bool = False, grace: timedelta = ORPHAN_GRACE) -> list[str]:
    """Delete screenshot files that no attachment row refers to any more; return their names.

    They are left when a process dies between a disposal's commit and the removal of its
    files (``_remove_files`` runs after the commit), or when logging a removal fails after its
    files were stored. Only files older than *grace* are touched: a removal being logged right
    now stores its files before its transaction commits the rows that refer to them.
    """
    cutoff = timezone.now() - grace
    candidates = [name for name in _stored_attachment_files() if default_storage.get_modified_time(name) < cutoff]
    orphans: list[str] = []
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start : start + BATCH]
        used = set(RemovedCommentAttachment.objects.filter(file__in=chunk).values_list("file", flat=True))
        orphans += [name for name in chunk if name not in used]
    if dry_run:
        return orphans
    for name in orphans:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged for the operator; the next sweep tries again
            log.exception("Sweep: could not delete the orphaned file %s", name)
        else:
            log.warning("Sweep: deleted %s, a screenshot file no record refers to", name)
    return orphans


def disposal_apply(
    *,
    actor,
    source: str = DisposalRun.Source.SCREEN,
    on: date | None = None,
    expected_fingerprint: str | None = None,
    request=None,
) -> DisposalRun:
    """Dispose of every record due today under the decision in force, in one transaction.

    With *expected_fingerprint* (the preview the archivist confirmed) the run refuses to go
    on if the set of records has changed since. Files are removed from storage only once
    the transaction has committed, so a failure anywhere leaves rows and files as they were.
    The run is recorded in the access log (``record.disposal``) with *request* (None from
    the command) once it has committed.
    """
    _require_archivist(actor)
    with transaction.atomic():
        preview = disposal_preview(on=on)
        if preview.decision is None:
            raise ValidationError(ERRORS["no_decision"], code="no_decision")
        if expected_fingerprint is not None and expected_fingerprint != preview.fingerprint:
            raise ValidationError(ERRORS["preview_stale"], code="preview_stale")
        if not preview.count:
            raise ValidationError(ERRORS["nothing_to_dispose"], code="nothing_to_dispose")
        now = timezone.now()
        decision = preview.decision
        ids = preview.record_ids
        run = DisposalRun.objects.create(
            decision=decision,
            as_of=preview.as_of,
            executed_at=now,
            executed_by=actor,
            source=source,
            record_count=len(ids),
            file_count=0,
        )
        files: list[str] = []
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            # The disposal rows first: the database triggers refuse deleting content without them.
            DisposedRecord.objects.bulk_create(
                [
                    DisposedRecord(
                        record_id=pk,
                        disposed_at=now,
                        disposed_by=actor,
                        decision_reference=decision.reference,
                        decision=decision,
                        run=run,
                    )
                    for pk in chunk
                ]
            )
            attachments = RemovedCommentAttachment.objects.filter(record_id__in=chunk)
            files += list(attachments.values_list("file", flat=True))
            # _raw_delete: one DELETE, no signals, no cascade; the querysets refuse delete() on purpose.
            attachments._raw_delete(attachments.db)
            contents = RemovedCommentContent.objects.filter(record_id__in=chunk)
            contents._raw_delete(contents.db)
        DisposalRun.objects.filter(pk=run.pk).update(file_count=len(files))
        run.file_count = len(files)
        history_record(
            run,
            action="disposal.executed",
            actor=actor,
            changes={"decision": decision.reference, "records": len(ids), "files": len(files), "as_of": str(run.as_of)},
        )
        transaction.on_commit(lambda: _remove_files(files))
    services.record_access_log(
        request=request,
        actor=actor,
        action="disposal",
        run=run.pk,
        decision=decision.reference,
        source=source,
        as_of=str(run.as_of),
        record_count=len(ids),
        file_count=len(files),
    )
    return run


def disposal_log(
    *, text: str = "", decision_reference: str = "", disposed_from: date | None = None, disposed_until=None
) -> QuerySet[DisposedRecord]:
    """Return the disposal log (permanent), newest first, searchable by record, channel or decision."""
    qs = DisposedRecord.objects.select_related("record", "disposed_by", "decision", "run").order_by(
        "-disposed_at", "-record_id"
    )
    text = text.strip()
    if text:
        condition = Q(record__channel_name__icontains=text) | Q(decision_reference__icontains=text)
        if text.lstrip("#").isdigit():
            number = int(text.lstrip("#"))
            condition |= Q(record__sequence=number) | Q(record_id=number)
        qs = qs.filter(condition)
    if decision_reference:
        qs = qs.filter(decision_reference=decision_reference)
    if disposed_from:
        qs = qs.filter(disposed_at__gte=selectors.day_start(disposed_from))
    if disposed_until:
        qs = qs.filter(disposed_at__lt=selectors.day_start(disposed_until + timedelta(days=1)))
    return qs


def disposal_log_entries(records: QuerySet[RemovedComment]) -> Iterator[dict]:
    """Yield the disposal log entries of *records*, for an archival package."""
    from .package import _iso

    qs = (
        DisposedRecord.objects.filter(record__in=records.order_by().values("pk"))
        .select_related("record", "disposed_by")
        .order_by("record__sequence")
    )
    for entry in qs.iterator(chunk_size=2000):
        record = entry.record
        yield {
            "record_id": record.pk,
            "sequence": record.sequence,
            "channel_id": record.channel_id,
            "category": record.category,
            "removed_at": _iso(record.removed_at),
            "logged_at": _iso(record.logged_at),
            "disposed_at": _iso(entry.disposed_at),
            "disposed_by": entry.disposed_by.get_username(),
            "decision_reference": entry.decision_reference,
            "record_hash": record.record_hash,
        }


# --- requests for public records ---------------------------------------------------------------------


def is_confidential(record: RemovedComment) -> bool:
    """Whether a requested record needs a confidentiality review: its effective classification."""
    return record.classification.confidential


def disclosure_items(request: DisclosureRequest) -> QuerySet[DisclosureItem]:
    """Return a request's items, each record carrying its effective classification (one query, not one per item)."""
    records = RemovedComment.objects.with_classification().select_related("content", "disposal")
    return request.items.select_related("decided_by").prefetch_related(Prefetch("record", queryset=records))


@transaction.atomic
def disclosure_create(
    *, actor, received_on: date, description: str, records: Iterable[RemovedComment], reference: str = "", requester=""
) -> DisclosureRequest:
    """Register a request for public records and the records selected for it."""
    _require_archivist(actor)
    records = list(records)
    if not records:
        raise ValidationError(ERRORS["no_records"], code="no_records")
    request = DisclosureRequest(
        reference=reference.strip(),
        received_on=received_on,
        requester=requester.strip(),
        description=description.strip(),
        created_by=actor,
    )
    request.full_clean()
    request.save()
    DisclosureItem.objects.bulk_create([DisclosureItem(request=request, record=r) for r in records])
    history_record(request, action="disclosure.created", actor=actor, changes={"records": [r.pk for r in records]})
    return request


@transaction.atomic
def disclosure_review(
    *, actor, item: DisclosureItem, decision: str, redacted_text: str = "", redaction_note: str = ""
) -> DisclosureItem:
    """Record the confidentiality review of one requested record: released, released in part or withheld."""
    _require_archivist(actor)
    if decision not in DisclosureItem.Decision.values:
        raise ValidationError(_("Choose a decision."), code="invalid_choice")
    if decision == DisclosureItem.Decision.RELEASED_IN_PART and not (redacted_text.strip() and redaction_note.strip()):
        raise ValidationError(ERRORS["partial_needs_text"], code="partial_needs_text")
    if decision == DisclosureItem.Decision.WITHHELD and not redaction_note.strip():
        raise ValidationError(ERRORS["withheld_needs_grounds"], code="withheld_needs_grounds")
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    item.decision = decision
    item.redacted_text = redacted_text if decision == DisclosureItem.Decision.RELEASED_IN_PART else ""
    item.redaction_note = redaction_note.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.full_clean()
    item.save()
    history_record(
        item.request,
        action="disclosure.reviewed",
        actor=actor,
        changes={"record": item.record_id, "decision": decision},
        reason=item.redaction_note,
    )
    return item


@dataclass
class CopyEntry:
    item: DisclosureItem
    record: RemovedComment
    confidential: bool
    disposed: bool
    show_content: bool
    text: str = ""
    content: RemovedCommentContent | None = None


def disclosure_copy(*, actor, request: DisclosureRequest, http_request=None) -> list[CopyEntry]:
    """Return the printable copy of a request's records; refuse while a confidential one lacks a review.

    *http_request* is the request of the screen that made the copy, for the access log.
    """
    _require_archivist(actor)
    items = list(disclosure_items(request))
    missing = [f"#{i.record.sequence}" for i in items if is_confidential(i.record) and not i.decision]
    if missing:
        raise ValidationError(ERRORS["review_missing"], code="review_missing", params={"records": ", ".join(missing)})
    entries = []
    for item in items:
        record = item.record
        content = record.content if _has(record, "content") else None
        disposed = _has(record, "disposal")
        withheld = item.decision == DisclosureItem.Decision.WITHHELD
        partial = item.decision == DisclosureItem.Decision.RELEASED_IN_PART
        entry = CopyEntry(
            item=item,
            record=record,
            confidential=is_confidential(record),
            disposed=disposed,
            show_content=content is not None and not withheld,
            content=None if (withheld or partial) else content,
        )
        if content is not None and not withheld:
            entry.text = item.redacted_text if partial else content.text
        entries.append(entry)
    copied = [entry.record for entry in entries if entry.show_content]
    if copied:
        services.record_access_log(
            request=http_request,
            actor=actor,
            action="export",
            records=copied,
            what=RecordRead.What.EXPORT,
            detail=f"copy for request {request.pk}",
            format="copy",
            disclosure_request=request.pk,
        )
    history_record(request, action="disclosure.printed", actor=actor, changes={"records": len(entries)})
    return entries
