"""Streaming exports of moderation records: CSV, XLSX and JSON Lines.

Every writer takes a list of ``Column`` and an *iterator* of rows (dicts keyed by column
key), so memory stays flat however many rows there are: feed it ``queryset.iterator()``.

The content comes from the public and archivists open it in a spreadsheet, so a text cell
that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is neutralised: in CSV it gets a leading apostrophe (OWASP's advice),
in XLSX it is written as a typed text cell with Excel's own "quote prefix" style, which keeps
the text exactly as it was and stays text even when someone edits the cell.

XLSX cells hold at most 32,767 UTF-16 code units (Excel's limit: a character outside the
Basic Multilingual Plane, such as most emoji, counts as two). A longer value is cut by
``xlsx_cell_parts`` into pieces of at most that many units, never inside such a character, and
continues in the next row(s): a continuation row repeats the key column and is marked in the
``part`` column, so nothing is cut off. Joining a column's cells of a record's rows in ``part``
order, with nothing between them, gives the value back exactly. Every write is checked:
XlsxWriter reports a value it had to cut or a row beyond Excel's last as a return code, and
``write_xlsx`` raises ``XlsxLimitError`` rather than lose data.
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITERS = {"comma": ",", "semicolon": ";"}
XLSX_CELL_LIMIT = 32_767
UTF8_BOM = "\ufeff"
# Rows buffered before a chunk is handed to the response: big enough to be cheap, small
# enough that memory does not depend on the number of rows.
CHUNK_ROWS = 500


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 18  # XLSX column width in characters
    # "text" (may be formula-like: neutralised), "bool", or "plain" (numbers, dates as text
    # the application wrote itself): lets the CSV writer touch only the cells that need it.
    kind: str = "text"


def is_formula_like(value: str) -> bool:
    """Return True when a spreadsheet would treat *value* as a formula."""
    return value.startswith(FORMULA_TRIGGERS)


def neutralise(value: str) -> str:
    """Return *value* made inert for a spreadsheet reading CSV: a formula-like text gets a leading ``'``."""
    return "'" + value if is_formula_like(value) else value


def _plain(value):
    """Return *value* as a JSON-native scalar (dates and datetimes as ISO 8601)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


_TRIGGER_CHARS = frozenset(FORMULA_TRIGGERS)


def _csv_cell(value) -> str:
    kind = type(value)
    if kind is str:  # the common case first: this runs for every cell of a million rows
        return "'" + value if value and value[0] in _TRIGGER_CHARS else value
    if value is None:
        return ""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def csv_chunks(columns: Sequence[Column], rows: Iterable, *, delimiter: str = ",") -> Iterator[bytes]:
    """Yield a CSV file (UTF-8 with BOM, so Excel reads the encoding) in chunks of bytes.

    A row is a dict keyed by column key, or a list in the order of *columns*.
    """
    if delimiter not in CSV_DELIMITERS.values():
        raise ValueError(f"Unsupported delimiter {delimiter!r}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(UTF8_BOM)
    writer.writerow([column.label for column in columns])
    keys = [column.key for column in columns]
    triggers = _TRIGGER_CHARS
    text = [i for i, column in enumerate(columns) if column.kind == "text"]
    flags = [i for i, column in enumerate(columns) if column.kind == "bool"]
    pending = 0
    for row in rows:
        # A list is the writer's to change (export_table yields a fresh one per row).
        cells = row if type(row) is list else list(row) if isinstance(row, tuple) else [row.get(k) for k in keys]
        # Only the cells that need it are touched: this runs for every row of a million.
        for i in text:
            value = cells[i]
            if type(value) is str:
                if value and value[0] in triggers:
                    cells[i] = "'" + value
            elif value is not None:
                cells[i] = _csv_cell(value)
        for i in flags:
            value = cells[i]
            if value is not None:
                cells[i] = "true" if value else "false"
        writer.writerow(cells)
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def jsonl_chunks(columns: Sequence[Column], rows: Iterable[Mapping]) -> Iterator[bytes]:
    """Yield JSON Lines: one object per row, keyed by column key, in chunks of bytes."""
    keys = [column.key for column in columns]
    lines = []
    for row in rows:
        values = row if isinstance(row, list | tuple) else [row.get(key) for key in keys]
        # ensure_ascii keeps every line pure ASCII: direction overrides and other invisible
        # characters arrive as visible \\u escapes in a text editor and round-trip exactly.
        lines.append(json.dumps({k: _plain(v) for k, v in zip(keys, values, strict=True)}, ensure_ascii=True))
        if len(lines) >= CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode("ascii")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("ascii")


XLSX_ERRORS = {
    "too_many_rows": _(
        "The export needs more rows than an Excel sheet holds (%(limit)s), so no file was made. "
        "Choose CSV or JSON Lines, or narrow the selection."
    ),
    "write_refused": _(
        "A value could not be written to the Excel file in full, so no file was made. Choose CSV or JSON Lines."
    ),
}


class XlsxLimitError(ValidationError):
    """XlsxWriter refused a write (a cell beyond the sheet, a value cut): the workbook would lose data."""

    def __init__(self, message, *, code: str, **params):
        super().__init__(message, code=code, params=params or None)


def utf16_length(value: str) -> int:
    """Return the length of *value* in UTF-16 code units, as Excel counts it."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def xlsx_cell_parts(value: str, limit: int = XLSX_CELL_LIMIT) -> list[str]:
    """Return *value* cut into pieces of at most *limit* UTF-16 code units, each cut between characters.

    Excel counts a cell's length in UTF-16 code units, so a character outside the Basic
    Multilingual Plane (most emoji) counts as two and is never cut in half (its surrogate
    pair stays in one piece; that piece ends a unit short). Each piece is the longest that
    fits, and ``"".join(parts) == value`` always holds. The one splitting rule of every XLSX cell.
    """
    if limit < 2:
        raise ValueError("A piece must hold at least one character of two UTF-16 code units")
    if len(value) <= limit // 2:  # cheap: even a text of emoji only fits
        return [value]
    parts = []
    start = 0
    while start < len(value):
        piece = value[start : start + limit]
        units = utf16_length(piece)
        while units > limit:
            # Drop just enough characters from the end: every character is one or two units,
            # so fewer than half the excess (rounded up) cannot be enough.
            drop = (units - limit + 1) // 2
            units -= utf16_length(piece[-drop:])
            piece = piece[:-drop]
        parts.append(piece)
        start += len(piece)
    return parts


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Mapping],
    fileobj,
    *,
    sheet_name: str = "Records",
    confidential_key: str | None = "confidential",
    key_column: str | None = "id",
) -> int:
    """Write an XLSX workbook to *fileobj* row by row (constant memory); return the rows written.

    A ``part`` column comes first: empty for a record's row, ``2``, ``3``... on rows that
    continue a value longer than Excel's cell limit (cut by ``xlsx_cell_parts``). Every write's
    return code is checked: ``XlsxLimitError`` rather than a cell or row silently lost.
    """
    workbook = xlsxwriter.Workbook(
        fileobj,
        {
            "constant_memory": True,  # each row is flushed to a temporary file once done
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name)
    header = workbook.add_format({"bold": True, "text_wrap": True})
    text = workbook.add_format({"text_wrap": False})
    quoted = workbook.add_format({"quote_prefix": True})
    flagged = workbook.add_format({"bold": True, "bg_color": "#FFD7D7", "font_color": "#7A0000", "border": 1})
    flagged_quoted = workbook.add_format({"quote_prefix": True, "bg_color": "#FFD7D7", "font_color": "#7A0000"})

    def checked(result, row_index: int) -> None:
        # XlsxWriter does not raise: it returns -1 for a cell beyond the sheet, -2 for a string
        # it cut to Excel's limit (or a row already flushed), and writes nothing or a part.
        if result in (0, None):
            return
        if result == -1 and row_index >= sheet.xls_rowmax:
            raise XlsxLimitError(XLSX_ERRORS["too_many_rows"], code="xlsx_too_many_rows", limit=sheet.xls_rowmax)
        raise XlsxLimitError(XLSX_ERRORS["write_refused"], code="xlsx_write_refused")

    all_columns = [Column("part", "part", 6), *columns]
    for index, column in enumerate(all_columns):
        checked(sheet.set_column(index, index, column.width), 0)
    for index, column in enumerate(all_columns):
        checked(sheet.write_string(0, index, column.label, header), 0)
    sheet.freeze_panes(1, 1)

    def put(row_index, col_index, value, confidential):
        value = _plain(value)
        if value is None:
            result = sheet.write_blank(row_index, col_index, None, flagged if confidential else text)
        elif isinstance(value, bool):
            result = sheet.write_boolean(row_index, col_index, value, flagged if confidential else None)
        elif isinstance(value, int | float):
            result = sheet.write_number(row_index, col_index, value, flagged if confidential else None)
        else:
            if is_formula_like(value):
                fmt = flagged_quoted if confidential else quoted
            else:
                fmt = flagged if confidential else text
            result = sheet.write_string(row_index, col_index, value, fmt)
        checked(result, row_index)

    line = 1
    count = 0
    keys = [column.key for column in columns]
    confidential_index = keys.index(confidential_key) if confidential_key in keys else None
    for row in rows:
        values = row if isinstance(row, list | tuple) else [row.get(key) for key in keys]
        confidential = bool(confidential_index is not None and values[confidential_index])
        values = [_plain(value) for value in values]
        parts = [(xlsx_cell_parts(v) if isinstance(v, str) else [v]) for v in values]
        depth = max(len(p) for p in parts)
        for part in range(depth):
            checked(sheet.write_string(line, 0, "" if part == 0 else str(part + 1)), line)
            for col, (key, pieces) in enumerate(zip(keys, parts, strict=True), start=1):
                if part == 0:
                    value = pieces[0]
                elif key in (key_column, confidential_key):
                    value = pieces[0]  # a continuation row says which record it belongs to
                else:
                    value = pieces[part] if part < len(pieces) and len(pieces) > 1 else None
                highlight = confidential and key == confidential_key
                put(line, col, value, highlight)
            line += 1
        count += 1
    if confidential_key and confidential_key in keys:
        sheet.autofilter(0, 0, max(line - 1, 1), len(all_columns) - 1)
    workbook.close()
    return count


def xlsx_tempfile(columns: Sequence[Column], rows: Iterable[Mapping], **kwargs):
    """Write the workbook to a temporary file (deleted when closed) and return it, rewound."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to FileResponse, which closes it
    try:
        write_xlsx(columns, rows, handle, **kwargs)
    except BaseException:
        handle.close()
        # A generator over a server-side cursor (PostgreSQL) must close it now, inside this
        # transaction: left to the garbage collector, its CLOSE runs later and fails there.
        close = getattr(rows, "close", None)
        if close is not None:
            close()
        raise
    handle.seek(0)
    return handle
