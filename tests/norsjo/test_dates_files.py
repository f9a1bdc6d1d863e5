"""The shared calendar and checksum helpers."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from norsjo.dates import add_months, day_start, one_year_after
from norsjo.files import sha256_file


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 10), -24, date(2024, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_months_last_day(day, months, expected):
    """Months are added on the calendar; a day the month lacks becomes its last day."""
    assert add_months(day, months) == expected


def test_one_year_after_a_leap_day_is_the_28th():
    """29 February plus a year is 28 February."""
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_day_start_is_local_midnight():
    """A day starts at midnight in Stockholm, not in UTC."""
    start = day_start(date(2026, 7, 1))
    assert timezone.localtime(start).hour == 0
    assert start.utcoffset().total_seconds() == 7200


def test_sha256_file_reads_paths_and_files_from_their_start(tmp_path):
    """The checksum of a path, an upload read half-way, and the same bytes agree; the upload is rewound."""
    data = b"skarmdump" * 100_000
    path = tmp_path / "a.bin"
    path.write_bytes(data)
    upload = SimpleUploadedFile("a.png", data)
    upload.read(10)
    expected = hashlib.sha256(data).hexdigest()
    assert sha256_file(path) == expected
    assert sha256_file(str(path)) == expected
    assert sha256_file(upload) == expected
    assert upload.tell() == 0
