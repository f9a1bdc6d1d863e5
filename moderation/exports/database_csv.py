"""The fast CSV export: the database formats each line, Python only copies lines.

The same rules as ``writers.csv_chunks`` over ``table.export_table`` (formula-like text gets
a leading apostrophe, booleans "true"/"false", local times, confidential content withheld
unless revealed), written as SQL: see docs/performance.md. Text fields are always quoted
(valid CSV, read back identically; the tests compare both paths field by field).
"""

from collections.abc import Iterator

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Category, RemovedComment
from .table import CONTENT_KEYS, EXPORT_COLUMNS, export_table
from .writers import CHUNK_ROWS, UTF8_BOM, csv_chunks

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

    The same columns and rules as ``writers.csv_chunks(EXPORT_COLUMNS, export_table(...))``,
    which serves any other database.
    """
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
