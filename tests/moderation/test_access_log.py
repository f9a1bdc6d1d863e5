"""The access log: every read, export and disposal, with the request.

``moderation.services.log.record_access_log`` writes the ``RecordRead`` rows and emits the
security events ``record.read``, ``record.export`` and ``record.disposal``; every path calls it.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from moderation.models import DisclosureItem, RecordRead, RemovedComment
from moderation.services import decisions as decision_services
from moderation.services import disclosure as disclosure_services
from moderation.services import disposal as disposal_services
from moderation.services import log as log_services

from .conftest import png_upload

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def _events(caplog, name):
    return [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == name]


@pytest.fixture
def record(world):
    return log_services.removal_log(
        actor=world.users["writer"],
        channel=world.channel,
        category="h",
        action="deleted",
        removed_at=timezone.now() - timedelta(minutes=5),
        text="Hemlig uppgift.",
        author_name="Granne",
        attachments=[png_upload("granne-andersson-personnummer.png")],
    )


def _get(client, url, **params):
    return client.get(url, params, REMOTE_ADDR=ADDRESS)


def test_record_page_read_carries_address_and_path(client, world, record, caplog):
    client.force_login(world.users["archivist"])
    with caplog.at_level("INFO", logger="norsjo.security"):
        _get(client, record.get_absolute_url())
    [event] = _events(caplog, "record.read")
    assert event["ip"] == ADDRESS and event["path"] == record.get_absolute_url()
    assert event["record"] == record.pk and event["what"] == "content" and event["confidential"] is True


def test_screenshot_read_is_logged_without_its_file_name(client, world, record, caplog):
    """Item 6: the original file name is not kept in the access log; the position is."""
    client.force_login(world.users["archivist"])
    url = reverse("moderation:attachment_download", args=[record.pk, 1])
    with caplog.at_level("INFO", logger="norsjo.security"):
        assert _get(client, url).status_code == 200
    [event] = _events(caplog, "record.read")
    assert event["ip"] == ADDRESS and event["path"] == url and event["what"] == "attachment"
    read = RecordRead.objects.get(what="attachment")
    assert read.detail == "1"
    assert "granne" not in caplog.text


def test_admin_does_not_show_a_screenshots_file_name(client, world, record):
    """Item 6: rows written before the fix held the file name; the admin shows only the position."""
    old = RecordRead.objects.create(
        record=record, reader=world.users["archivist"], what="attachment", detail="1: granne-andersson.png"
    )
    client.force_login(world.users["admin"])
    page = client.get(reverse("admin:moderation_recordread_change", args=[old.pk]))
    assert page.status_code == 200
    assert "granne-andersson" not in page.content.decode()


def test_disclosure_review_screen_logs_the_read(client, world, record, caplog):
    archivist = world.users["archivist"]
    request = disclosure_services.disclosure_create(
        actor=archivist, received_on=timezone.localdate(), description="Kommentaren.", records=[record]
    )
    item = request.items.get()
    url = reverse("moderation:disclosure_review", kwargs={"pk": request.pk, "item_pk": item.pk})
    client.force_login(archivist)
    with caplog.at_level("INFO", logger="norsjo.security"):
        _get(client, url)
    [event] = _events(caplog, "record.read")
    assert event["ip"] == ADDRESS and event["path"] == url and event["record"] == record.pk
    assert RecordRead.objects.filter(record=record, what="content").exists()


def test_disclosure_copy_logs_an_export(client, world, record, caplog):
    archivist = world.users["archivist"]
    request = disclosure_services.disclosure_create(
        actor=archivist, received_on=timezone.localdate(), description="Kommentaren.", records=[record]
    )
    disclosure_services.disclosure_review(
        actor=archivist, item=request.items.get(), decision=DisclosureItem.Decision.RELEASED
    )
    url = reverse("moderation:disclosure_print", kwargs={"pk": request.pk})
    client.force_login(archivist)
    with caplog.at_level("INFO", logger="norsjo.security"):
        assert _get(client, url).status_code == 200
    [event] = _events(caplog, "record.export")
    assert event["ip"] == ADDRESS and event["path"] == url
    assert event["record_ids"] == [record.pk] and event["format"] == "copy" and event["confidential"] is True
    assert RecordRead.objects.filter(record=record, what="export").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_export_download_logs_an_export(client, world, record, caplog, fmt):
    client.force_login(world.users["web_team"])
    url = reverse("moderation:export_download")
    with caplog.at_level("INFO", logger="norsjo.security"):
        response = _get(client, url, format=fmt, category="h")
        b"".join(response.streaming_content)
    [event] = _events(caplog, "record.export")
    assert event["ip"] == ADDRESS and event["path"] == url and event["format"] == fmt
    assert "category=h" in event["selection"] and event["user"] == "webb"
    assert RecordRead.objects.filter(record=record, reader=world.users["web_team"], what="export").exists()


def test_export_records_command_logs_an_export(world, record, caplog, tmp_path):
    with caplog.at_level("INFO", logger="norsjo.security"):
        call_command("export_records", "--out", str(tmp_path / "pkg"), stdout=None)
    [event] = _events(caplog, "record.export")
    assert event["format"] == "eark" and event["record_count"] == 1 and event["confidential_count"] == 1
    assert "ip" not in event, "a command has no request"


@pytest.fixture
def due(world):
    """A record removed in March 2025, due under a 12-month decision from March 2026."""
    removed = datetime(2025, 3, 10, 10, tzinfo=UTC)
    with time_machine.travel(removed + timedelta(minutes=1), tick=False):
        record = log_services.removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category="a",
            action="deleted",
            removed_at=removed,
            text="Gammal kommentar.",
        )
        decision_services.decision_register(
            actor=world.users["archivist"],
            reference="KS 2025/17",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2025, 1, 1),
            in_force_from=date(2025, 1, 1),
            in_force_until=None,
            scope="Borttagna kommentarer.",
            retention={"a": 12},
        )
    return record


def test_disposal_screen_logs_the_disposal(client, world, due, caplog):
    client.force_login(world.users["archivist"])
    url = reverse("moderation:disposal")
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        fingerprint = disposal_services.disposal_preview().fingerprint
        with caplog.at_level("INFO", logger="norsjo.security"):
            response = client.post(url, {"fingerprint": fingerprint}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    [event] = _events(caplog, "record.disposal")
    assert event["ip"] == ADDRESS and event["path"] == url
    assert event["decision"] == "KS 2025/17" and event["record_count"] == 1 and event["user"] == "arkivarie"
    assert not RemovedComment.objects.get(pk=due.pk).reads.exists(), "a disposal is no read"


def test_apply_disposal_command_logs_the_disposal(world, due, caplog):
    with (
        time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False),
        caplog.at_level("INFO", logger="norsjo.security"),
    ):
        call_command("apply_disposal", "--as", "arkivarie", "--no-sweep", stdout=None)
    [event] = _events(caplog, "record.disposal")
    assert event["source"] == "command" and event["record_count"] == 1 and "ip" not in event


def test_every_read_path_goes_through_the_one_function():
    """No module but services/log.py writes RecordRead rows or emits record.* events itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "moderation"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text()
        where = path.relative_to(root).as_posix()
        if where in {"services/log.py", "models/log.py", "admin.py"} or "migrations" in path.parts:
            continue
        if re.search(r"RecordRead\.objects\.(create|bulk_create)|security_event\(\s*\"record\.", text):
            offenders.append(where)
    assert offenders == []
