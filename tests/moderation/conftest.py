"""Fixtures for the moderation log: a way to log removals, and screenshot bytes."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from moderation import services

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
        return services.removal_log(**kwargs)

    return log


def file_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


__all__ = ["PDF", "PNG", "file_bytes", "io", "png_upload"]
