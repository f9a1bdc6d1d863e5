"""Fixtures for the moderation log: a way to log removals, screenshot bytes, and the disposal days."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from moderation.services import decisions as decision_services
from moderation.services import disposal as disposal_services
from moderation.services import log as log_services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name="skarmdump.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Screenshots go to a temporary MEDIA_ROOT, never the developer's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def log_removal(world):
    """Log a removal on the world's channel as the writer; keyword arguments override."""

    def log(**overrides):
        now = timezone.now()
        kwargs = {
            "actor": world.users["writer"],
            "channel": world.channel,
            "category": "a",
            "action": "deleted",
            "removed_at": now - timedelta(minutes=5),
            "comment_published_at": now - timedelta(hours=3),
            "text": "Du är en idiot och borde skämmas.",
            "author_name": "Arg Medborgare",
            "author_handle": "arg.medborgare",
            "author_url": "https://www.facebook.com/arg.medborgare",
            "comment_url": "https://www.facebook.com/norsjobibliotek/posts/1?comment_id=2",
            "post_url": "https://www.facebook.com/norsjobibliotek/posts/1",
        }
        kwargs.update(overrides)
        return log_services.removal_log(**kwargs)

    return log


def file_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


# --- disposal, decisions and holds: days around midnight in Stockholm --------------------------

# 2025-03-10 22:30 UTC is 23:30 on 10 March in Stockholm (CET); 23:30 UTC is already 11 March there.
LATE_ON_10_MARCH = datetime(2025, 3, 10, 22, 30, tzinfo=UTC)
EARLY_ON_11_MARCH = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)
# One minute before and after midnight in Stockholm between 9 and 10 March 2026 (CET, UTC+1).
BEFORE_10_MARCH_2026 = datetime(2026, 3, 9, 22, 59, tzinfo=UTC)
ON_10_MARCH_2026 = datetime(2026, 3, 9, 23, 1, tzinfo=UTC)
ON_11_MARCH_2026 = datetime(2026, 3, 10, 23, 1, tzinfo=UTC)


@pytest.fixture
def archivist(world):
    return world.users["archivist"]


@pytest.fixture
def logged_at(world, log_removal):
    """Log a removal (as the web team) as if it happened at *when* (the log refuses future removals)."""

    def log(when, **kwargs):
        kwargs.setdefault("actor", world.users["web_team"])
        with time_machine.travel(when + timedelta(minutes=1), tick=False):
            return log_removal(removed_at=when, comment_published_at=when - timedelta(hours=1), **kwargs)

    return log


@pytest.fixture
def decision(archivist):
    with time_machine.travel(datetime(2025, 1, 2, 9, tzinfo=UTC), tick=False):
        return decision_services.decision_register(
            actor=archivist,
            reference="KS 2025/17",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2025, 1, 1),
            in_force_from=date(2025, 1, 1),
            in_force_until=None,
            scope="Borttagna kommentarer i kommunens sociala medier (4:10).",
            retention={"a": 12, "h": 24},
        )


def due_ids(when):
    """Return the ids a disposal run would destroy at *when*."""
    with time_machine.travel(when, tick=False):
        return disposal_services.disposal_preview().record_ids


__all__ = [
    "BEFORE_10_MARCH_2026",
    "EARLY_ON_11_MARCH",
    "LATE_ON_10_MARCH",
    "ON_10_MARCH_2026",
    "ON_11_MARCH_2026",
    "PDF",
    "PNG",
    "due_ids",
    "file_bytes",
    "io",
    "png_upload",
]
