"""Exports of moderation records.

- ``writers.py``: the streaming writers (CSV, XLSX, JSON Lines), formula neutralising and
  Excel's cell limit (``xlsx_cell_parts``); generic, they know nothing of records.
- ``table.py``: what a person may export and the export's columns and rows.
- ``database_csv.py``: the same CSV, each line formatted by the database (for speed).
- ``package/``: the E-ARK archival package and its standalone verifier.

The writers' names are re-exported here: the public list's CSV (registry) neutralises its
cells with ``moderation.exports.neutralise``.
"""

from .writers import (
    CHUNK_ROWS,
    CSV_DELIMITERS,
    UTF8_BOM,
    XLSX_CELL_LIMIT,
    Column,
    XlsxLimitError,
    csv_chunks,
    is_formula_like,
    jsonl_chunks,
    neutralise,
    utf16_length,
    write_xlsx,
    xlsx_cell_parts,
    xlsx_tempfile,
)

__all__ = [
    "CHUNK_ROWS",
    "CSV_DELIMITERS",
    "UTF8_BOM",
    "XLSX_CELL_LIMIT",
    "Column",
    "XlsxLimitError",
    "csv_chunks",
    "is_formula_like",
    "jsonl_chunks",
    "neutralise",
    "utf16_length",
    "write_xlsx",
    "xlsx_cell_parts",
    "xlsx_tempfile",
]
