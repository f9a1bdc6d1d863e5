"""Logging removals: who may, what is checked, and that content is kept exactly."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from moderation import integrity
from moderation.models import RemovedComment, RemovedCommentContent
from moderation.services import log as log_services

from .conftest import PDF, PNG, file_bytes, png_upload

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<script>alert('x')</script><b>fet</b> &amp; \"citat\"\n"
    "  indrag\tflik\r\nrad\u202etxt.exe\u202c \u200b\u200c\u200d\u2066isolerad\u2069 \ufeff"
    " 😀👍🏽👨‍👩‍👧 åäö ÅÄÖ ℌ𝔢𝔩𝔩𝔬 \U0010ffff"
)


def _error_codes(excinfo):
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.mark.parametrize("role", ["writer", "web_team"])
def test_removal_log_allowed_roles(world, log_removal, role):
    """The writer with an active mandate and the web team log removals on the channel."""
    record = log_removal(actor=world.users[role])
    assert record.sequence == 1
    assert record.logged_by == world.users[role]
    assert record.channel_name == "Norsjö bibliotek"
    assert record.unit_name == "Kultur- och fritidsförvaltningen"
    assert record.platform_name == "Facebook"


@pytest.mark.parametrize("role", ["employee", "manager", "other_manager", "archivist", "admin"])
def test_removal_log_refuses_others(world, log_removal, role):
    """Nobody without an active mandate on the channel (or the web team) can log for it."""
    with pytest.raises(PermissionDenied):
        log_removal(actor=world.users[role])
    assert not RemovedComment.objects.exists()


def test_removal_log_refuses_writer_on_other_channel(world, log_removal):
    with pytest.raises(PermissionDenied):
        log_removal(channel=world.other_channel)


def test_removal_log_other_requires_explanation(log_removal):
    with pytest.raises(ValidationError) as excinfo:
        log_removal(category="other", explanation="  ")
    assert _error_codes(excinfo) == {"explanation_required"}
    record = log_removal(category="other", explanation="Spam från bot.")
    assert record.legally_required is False


@pytest.mark.parametrize(
    ("category", "required"),
    [("a", False), ("b", True), ("c", True), ("d", True), ("e", True), ("f", False), ("g", False), ("h", False)],
)
def test_removal_log_records_legal_requirement(log_removal, category, required):
    """Categories b, c, d, e are required by lag (1998:112) 5 §; the record keeps the decision."""
    record = log_removal(category=category)
    assert record.legally_required is required
    assert record.confidential is (category == "h")


def test_removal_log_stores_hostile_text_losslessly(log_removal):
    """HTML, direction overrides, zero-width characters and emoji are stored exactly."""
    record = log_removal(text=HOSTILE, author_name="<img src=x onerror=alert(1)>\u202e", explanation="\u200b")
    content = RemovedCommentContent.objects.get(record=record)
    assert content.text == HOSTILE
    assert content.author_name == "<img src=x onerror=alert(1)>\u202e"
    assert content.explanation == "\u200b"


def test_removal_log_stores_long_text(log_removal):
    text = ("Långt inlägg med å, ä och ö. 😀 " * 4000)[:120_000]
    record = log_removal(text=text)
    assert RemovedCommentContent.objects.get(record=record).text == text


@pytest.mark.parametrize("field", ["text", "author_name", "explanation"])
def test_removal_log_refuses_nul_clearly(log_removal, field):
    """PostgreSQL text cannot hold U+0000: refused with a clear code, never altered silently."""
    with pytest.raises(ValidationError) as excinfo:
        log_removal(**{field: "före\x00efter"})
    assert _error_codes(excinfo) == {"nul_character"}
    assert not RemovedComment.objects.exists()


def test_removal_log_refuses_future_and_inverted_times(log_removal):
    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        log_removal(removed_at=now + timedelta(hours=1))
    assert _error_codes(excinfo) == {"in_future"}
    with pytest.raises(ValidationError) as excinfo:
        log_removal(removed_at=now - timedelta(hours=2), comment_published_at=now - timedelta(hours=1))
    assert _error_codes(excinfo) == {"published_after_removed"}


def test_removal_log_requires_text_or_screenshot(log_removal):
    with pytest.raises(ValidationError) as excinfo:
        log_removal(text="")
    assert _error_codes(excinfo) == {"content_required"}
    assert log_removal(text="", attachments=[png_upload()]).attachments.count() == 1


def test_removal_log_keeps_screenshots_checked_and_checksummed(log_removal, settings):
    record = log_removal(attachments=[png_upload("bild.png"), SimpleUploadedFile("kvitto.pdf", PDF)])
    first, second = record.attachments.order_by("position")
    assert (first.content_type, first.original_name, first.size) == ("image/png", "bild.png", len(PNG))
    assert second.content_type == "application/pdf"
    assert file_bytes(first) == PNG
    assert first.sha256 == integrity.sha256(PNG)
    assert first.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "bild" not in first.file.name, "stored under a neutral name"


@pytest.mark.parametrize(
    "data", [b"<html><script>alert(1)</script>", b"MZ\x90\x00executable", b"GIF", b"RIFF\x00\x00\x00\x00WAVE"]
)
def test_removal_log_refuses_files_by_content(log_removal, data):
    """A screenshot is checked by its bytes, not its name or declared type."""
    upload = SimpleUploadedFile("skarmdump.png", data, content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        log_removal(attachments=[upload])
    assert _error_codes(excinfo) == {"attachment_type"}
    assert not RemovedComment.objects.exists()


def test_removal_log_refuses_large_files(log_removal, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as excinfo:
        log_removal(attachments=[png_upload()])
    assert _error_codes(excinfo) == {"attachment_too_large"}


def test_removal_log_chains_records(log_removal):
    first = log_removal()
    second = log_removal(category="f")
    assert first.previous_hash == integrity.GENESIS_HASH
    assert second.previous_hash == first.record_hash
    assert second.sequence == first.sequence + 1
    assert list(integrity.verify()) == []


def test_addendum_add_links_to_original(world, log_removal):
    original = log_removal()
    addendum = log_services.addendum_add(
        actor=world.users["web_team"], original=original, explanation="Rätt kategori är b.", category="b"
    )
    assert addendum.addendum_to == original
    assert addendum.legally_required is True
    assert addendum.content.explanation == "Rätt kategori är b."
    # An addendum to an addendum is linked to the original.
    again = log_services.addendum_add(actor=world.users["writer"], original=addendum, explanation="Tillägg.")
    assert again.addendum_to == original
    assert list(integrity.verify()) == []


def test_addendum_add_refuses_others_and_empty(world, log_removal):
    original = log_removal()
    with pytest.raises(PermissionDenied):
        log_services.addendum_add(actor=world.users["employee"], original=original, explanation="Hej")
    with pytest.raises(ValidationError) as excinfo:
        log_services.addendum_add(actor=world.users["writer"], original=original, explanation=" ")
    assert _error_codes(excinfo) == {"addendum_empty"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "ftp://example.com"])
def test_removal_log_refuses_non_web_addresses(log_removal, url):
    with pytest.raises(ValidationError) as excinfo:
        log_removal(author_url=url)
    assert _error_codes(excinfo) == {"invalid_url"}
