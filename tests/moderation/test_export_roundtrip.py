"""Long texts survive every export format exactly: CSV (both writers), XLSX, JSON Lines, the E-ARK package.

Excel's cell limit of 32,767 counts UTF-16 code units: a character outside the Basic
Multilingual Plane (an emoji) counts as two. The XLSX writer cuts a long value into cells
with ``exports.xlsx_cell_parts``; joining a column's cells of a record's rows in ``part``
order gives the value back (docs/archive.md).
"""

import base64
import csv
import io
import json
import re

import openpyxl
import pytest
import xlsxwriter.worksheet
from django.contrib.messages import get_messages
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from moderation import exports
from moderation.exports import XLSX_CELL_LIMIT, Column, database_csv, package, table, writers
from moderation.models import RemovedComment
from moderation.selectors import log as log_selectors

pytestmark = pytest.mark.django_db


def utf16_length(value: str) -> int:
    """Excel's length of *value*: UTF-16 code units (the tests' own count, not the code's)."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def xlsx_cell_parts(value, limit=XLSX_CELL_LIMIT):
    return exports.xlsx_cell_parts(value, limit)


# Letters, combining marks (e + U+0301, a + U+030A), Swedish letters and BMP symbols.
BMP_MIX = "Norsjö e\u0301 a\u030a ÅÄÖ ❤ ‰ "
# The same with characters outside the BMP: emoji, a skin-tone modifier, a family (ZWJ sequence), a flag.
ASTRAL_MIX = "a😀e\u0301👍🏽 ö👩\u200d👩\u200d👧 🇸🇪 "


def long_text(length: int = 100_000) -> str:
    """Return *length* characters whose first XLSX cell boundary falls inside a surrogate pair.

    The first 32,766 UTF-16 units are BMP characters, then an emoji takes units 32,767 and
    32,768: a cut after 32,767 units (or characters) would split it. The rest mixes emoji,
    combining marks and ordinary letters.
    """
    head = (BMP_MIX * (XLSX_CELL_LIMIT // len(BMP_MIX) + 1))[: XLSX_CELL_LIMIT - 1]
    text = head + "😀"
    text += (ASTRAL_MIX * (length // len(ASTRAL_MIX) + 1))[: length - len(text)]
    return text


TEXT = long_text()
EXPLANATION = "Förklaring " + long_text(40_000)


def test_long_text_puts_a_cell_boundary_inside_a_surrogate_pair():
    """The fixture does what it says: otherwise the tests below would prove little."""
    assert len(TEXT) == 100_000
    units = TEXT.encode("utf-16-le")
    high = int.from_bytes(units[2 * (XLSX_CELL_LIMIT - 1) : 2 * XLSX_CELL_LIMIT], "little")
    assert 0xD800 <= high <= 0xDBFF, "unit 32,767 is the first half of a surrogate pair"
    assert utf16_length(TEXT) > len(TEXT) + 10_000
    assert "\u0301" in TEXT and "👩\u200d👩" in TEXT


# --- the splitting rule ----------------------------------------------------------------------


def test_xlsx_cell_parts_keeps_surrogate_pairs_and_joins_back():
    parts = xlsx_cell_parts(TEXT)
    assert "".join(parts) == TEXT
    assert all(utf16_length(p) <= XLSX_CELL_LIMIT for p in parts)
    assert parts[0] == TEXT[: XLSX_CELL_LIMIT - 1], "the first cell ends one unit early, before the emoji"
    assert parts[1].startswith("😀")


def test_xlsx_cell_parts_short_and_empty_values_are_one_part():
    assert xlsx_cell_parts("") == [""]
    assert xlsx_cell_parts("😀" * (XLSX_CELL_LIMIT // 2)) == ["😀" * (XLSX_CELL_LIMIT // 2)]
    assert xlsx_cell_parts("a" * XLSX_CELL_LIMIT) == ["a" * XLSX_CELL_LIMIT]
    assert xlsx_cell_parts("😀" * XLSX_CELL_LIMIT) == ["😀" * (XLSX_CELL_LIMIT // 2)] * 2 + ["😀"]


@given(
    text=st.text(st.characters(codec="utf-8"), max_size=60)
    | st.lists(st.sampled_from(["a", "😀", "e\u0301", "\U0010ffff", "\ufffd"]), max_size=60).map("".join),
    limit=st.integers(min_value=2, max_value=9),
)
def test_xlsx_cell_parts_property(text, limit):
    """Any text, any limit: pieces join back exactly, each fits, and each is the longest that fits."""
    parts = xlsx_cell_parts(text, limit)
    assert "".join(parts) == text
    assert all(utf16_length(p) <= limit for p in parts)
    assert all(p for p in parts) or parts == [""]
    consumed = 0
    for part in parts[:-1]:
        consumed += len(part)
        assert utf16_length(part + text[consumed]) > limit, "a piece is never shorter than it must be"


# --- every export format ------------------------------------------------------------------------


@pytest.fixture
def long_record(world, log_removal):
    return log_removal(text=TEXT, explanation=EXPLANATION, category="other", actor=world.users["web_team"])


def _selection(world):
    return table.records_for_export(user=world.users["archivist"], filters=log_selectors.Filters())


def _unescape_ooxml(value: str) -> str:
    # OOXML keeps characters XML cannot hold as _xHHHH_; Excel decodes them, openpyxl does not.
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def read_xlsx_joined(data) -> dict[int, dict[str, str]]:
    """Read an export back as the documentation says: a record's cells joined in ``part`` order."""
    sheet = openpyxl.load_workbook(data, read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    records: dict[int, dict[str, str]] = {}
    for values in rows:
        row = dict(zip(header, values, strict=True))
        for value in row.values():
            assert not isinstance(value, str) or utf16_length(value) <= XLSX_CELL_LIMIT
        fields = records.setdefault(row["id"], {})
        if row["part"] in (None, ""):
            assert not fields, "a record's first row comes first"
        else:
            assert str(fields["_parts"] + 1) == row["part"], "continuation rows are numbered 2, 3, ..."
        fields["_parts"] = fields.get("_parts", 0) + 1
        for key in ("text", "explanation"):
            fields[key] = fields.get(key, "") + _unescape_ooxml(row[key] or "")
    return records


def test_xlsx_export_keeps_long_texts_exactly(world, long_record):
    """100,000 characters with emoji across cell boundaries come back exactly from the XLSX file."""
    rows = table.export_table(_selection(world), reveal_confidential=True)
    handle = exports.xlsx_tempfile(table.EXPORT_COLUMNS, rows)
    records = read_xlsx_joined(handle)
    assert records[long_record.pk]["text"] == TEXT
    assert records[long_record.pk]["explanation"] == EXPLANATION
    assert records[long_record.pk]["_parts"] == len(xlsx_cell_parts(TEXT))


def test_xlsx_export_view_keeps_long_texts_exactly(client, world, long_record):
    client.force_login(world.users["archivist"])
    response = client.get(reverse("moderation:export_download"), {"format": "xlsx"})
    assert response.status_code == 200
    records = read_xlsx_joined(io.BytesIO(b"".join(response.streaming_content)))
    assert records[long_record.pk]["text"] == TEXT


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_exports_keep_long_texts_exactly(world, long_record, delimiter):
    """Both CSV writers: the database-formatted lines and the Python writer."""
    qs = _selection(world)
    fast = b"".join(database_csv.export_csv(qs, delimiter=delimiter, reveal_confidential=True))
    reference = b"".join(
        exports.csv_chunks(table.EXPORT_COLUMNS, table.export_table(qs, reveal_confidential=True), delimiter=delimiter)
    )
    csv.field_size_limit(10_000_000)
    for data in (fast, reference):
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))
        row = next(r for r in rows if int(r["id"]) == long_record.pk)
        assert row["text"] == TEXT
        assert row["explanation"] == EXPLANATION


def test_jsonl_export_keeps_long_texts_exactly(world, long_record):
    rows = table.export_table(_selection(world), reveal_confidential=True)
    lines = b"".join(exports.jsonl_chunks(table.EXPORT_COLUMNS, rows)).decode("ascii").splitlines()
    row = next(json.loads(line) for line in lines if json.loads(line)["id"] == long_record.pk)
    assert (row["text"], row["explanation"]) == (TEXT, EXPLANATION)


def test_package_data_files_keep_long_texts_exactly(world, long_record, tmp_path):
    """records.xml and records.json of the E-ARK package hold the whole text, and the package verifies."""
    summary = package.build_package(RemovedComment.objects.all(), tmp_path / "pkg")
    data = summary.path / "representations/rep1/data"
    doc = etree.parse(str(data / "records.xml"), etree.XMLParser(huge_tree=True))
    ns = {"r": package.RECORDS_NS}
    record = doc.find(f".//r:record[@id='{long_record.pk}']", ns)

    def text_of(name):
        element = record.find(f"r:content/r:{name}", ns)
        if element.get("encoding") == "base64":
            return base64.b64decode(element.text).decode("utf-8")
        return element.text

    assert text_of("text") == TEXT
    assert text_of("explanation") == EXPLANATION
    rows = json.loads((data / "records.json").read_text("utf-8"))
    content = next(r["content"] for r in rows if r["id"] == long_record.pk)
    assert (content["text"], content["explanation"]) == (TEXT, EXPLANATION)
    assert package.verify_package(summary.path) == []


# --- every write is checked ------------------------------------------------------------------


COLUMNS = [Column("id", "id"), Column("text", "text")]


@pytest.fixture
def small_sheet(monkeypatch):
    """Worksheets of five rows, so that "beyond Excel's last row" is cheap to reach."""
    original = xlsxwriter.worksheet.Worksheet.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.xls_rowmax = 5

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "__init__", init)


def test_xlsx_refuses_rows_beyond_the_sheet_instead_of_dropping_them(small_sheet):
    rows = ({"id": i, "text": f"rad {i}"} for i in range(10))
    with pytest.raises(exports.XlsxLimitError) as excinfo:
        exports.write_xlsx(COLUMNS, rows, io.BytesIO())
    assert excinfo.value.code == "xlsx_too_many_rows"


def test_xlsx_refuses_a_cut_value_instead_of_writing_part_of_it(monkeypatch):
    """Should the splitting rule ever leave a cell too long, XlsxWriter's -2 stops the export."""
    monkeypatch.setattr(writers, "xlsx_cell_parts", lambda value, limit=XLSX_CELL_LIMIT: [value])
    with pytest.raises(exports.XlsxLimitError) as excinfo:
        exports.write_xlsx(COLUMNS, [{"id": 1, "text": TEXT}], io.BytesIO())
    assert excinfo.value.code == "xlsx_write_refused"


def test_xlsx_export_view_explains_a_refused_workbook(client, world, long_record, small_sheet, log_removal):
    """Too many rows for Excel: the archivist is sent back with a clear message, never a 500."""
    log_removal(text="En till.")
    client.force_login(world.users["archivist"])
    response = client.get(reverse("moderation:export_download"), {"format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:export")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
