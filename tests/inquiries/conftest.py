"""Fixtures for inquiries: a way to register one, screenshot bytes, and emptying the append-only tables."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from inquiries import triggers
from inquiries.models import Source
from inquiries.services import inquiry_register
from registry.models import Platform

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def png_upload(name="skarmdump.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Screenshots go to a temporary MEDIA_ROOT, never the developer's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register(world):
    """Register an inquiry received on a private Facebook account by the world's employee; keywords override."""

    def register(**overrides):
        kwargs = {
            "actor": world.users["employee"],
            "question": "Hej! När öppnar simhallen igen?",
            "asked_by": "Mats Eriksson",
            "source": Source.PRIVATE,
            "platform": Platform.objects.get(slug="facebook"),
            "place": "Min privata Facebooksida",
            "unit": world.unit,
            "received_at": timezone.now() - timedelta(hours=1),
        }
        kwargs.update(overrides)
        return inquiry_register(**kwargs)

    return register


EMPTIED_TABLES = [
    "inquiries_inquiryaddendumcontent",
    "inquiries_inquirycontent",
    "inquiries_disposedinquiry",
    "inquiries_inquiryaddendum",
    "inquiries_inquiry",
    "inquiries_inquirysequence",
]


def empty_inquiries():
    """Empty the inquiry tables with the append-only triggers briefly dropped (transactional tests only)."""
    with transaction.atomic():
        triggers.uninstall(connection)
        with connection.cursor() as cursor:
            for table in EMPTIED_TABLES:
                cursor.execute(f"DELETE FROM {table}")
        triggers.install(connection)


@pytest.fixture
def _empty_inquiries_after(transactional_db):
    """pytest-django empties the tables after a transactional test, which the triggers refuse: empty them first."""
    yield
    empty_inquiries()
