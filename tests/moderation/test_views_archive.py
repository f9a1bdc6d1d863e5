"""Archivist screens and exports: the permission matrix, streaming downloads, disposal and copies."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from moderation.models import (
    DisclosureItem,
    DisposalDecision,
    DisposedRecord,
    Hold,
    RecordRead,
    RemovedCommentContent,
)
from moderation.services import decisions as decision_services
from moderation.services import disclosure as disclosure_services
from moderation.services import holds as hold_services
from moderation.services import log as log_services

from ..conftest import client_for
from ..matrix import Row, only, params, run_row

pytestmark = pytest.mark.django_db

EXPORTERS = {"web_team": 200, "archivist": 200}
ARCHIVIST = {"archivist": 200}


def _record(world, category="a"):
    key = f"_archive_record_{category}"
    if not hasattr(world, key):
        record = log_services.removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category=category,
            action="deleted",
            removed_at=timezone.now() - timedelta(minutes=5),
            text='=HYPERLINK("http://evil.example") Köp klockor!' if category != "h" else "Hemlig uppgift.",
            author_name="Spam Spamsson",
        )
        setattr(world, key, record)
    return getattr(world, key)


def _decision(world):
    if not hasattr(world, "_decision"):
        world._decision = decision_services.decision_register(
            actor=world.users["archivist"],
            reference="KS 2026/1",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2026, 1, 1),
            in_force_from=date(2026, 1, 1),
            in_force_until=None,
            scope="Borttagna kommentarer.",
            retention={"a": 12},
        )
    return world._decision


def _hold(world):
    if not hasattr(world, "_hold"):
        world._hold = hold_services.hold_place(
            actor=world.users["archivist"], kind="channel", channel=world.channel, reason="Polisanmälan."
        )
    return world._hold


def _disclosure(world, category="a"):
    key = f"_disclosure_{category}"
    if not hasattr(world, key):
        setattr(
            world,
            key,
            disclosure_services.disclosure_create(
                actor=world.users["archivist"],
                received_on=date(2026, 11, 1),
                description="Alla borttagna kommentarer i november.",
                records=[_record(world, category)],
            ),
        )
    return getattr(world, key)


def _with_record(data):
    def make(world):
        _record(world)
        return data

    return make


def _decision_post(world):
    return {
        "reference": "KS 2027/5",
        "deciding_body": "Kommunstyrelsen",
        "decided_on": "2026-11-01",
        "in_force_from": "2030-01-01",
        "scope": "Borttagna kommentarer.",
        "months_a": "24",
    }


MATRIX = [
    Row("moderation:export", only(EXPORTERS), data=_with_record({})),
    Row("moderation:export_download", only(EXPORTERS), data=_with_record({"format": "csv", "delimiter": "comma"})),
    Row("moderation:export_download", only(EXPORTERS), data=_with_record({"format": "xlsx"})),
    Row("moderation:export_download", only(EXPORTERS), data=_with_record({"format": "jsonl"})),
    Row("moderation:archive_home", only(ARCHIVIST)),
    Row("moderation:disposal", only(ARCHIVIST)),
    Row("moderation:disposal", only({"archivist": 302}), method="post", data=lambda w: {"fingerprint": "stale"}),
    Row("moderation:disposal_log", only(ARCHIVIST), data=lambda w: {"q": "KS"}),
    Row("moderation:decision_list", only(ARCHIVIST)),
    Row("moderation:decision_create", only(ARCHIVIST)),
    Row("moderation:decision_create", only({"archivist": 302}), method="post", data=_decision_post),
    Row("moderation:decision_detail", only(ARCHIVIST), kwargs=lambda w: {"pk": _decision(w).pk}),
    Row("moderation:decision_end", only(ARCHIVIST), kwargs=lambda w: {"pk": _decision(w).pk}),
    Row(
        "moderation:decision_end",
        only({"archivist": 302}),
        method="post",
        kwargs=lambda w: {"pk": _decision(w).pk},
        data=lambda w: {"last_day": "2026-12-31"},
    ),
    Row("moderation:hold_list", only(ARCHIVIST)),
    Row("moderation:hold_create", only(ARCHIVIST)),
    Row(
        "moderation:hold_create",
        only({"archivist": 302}),
        method="post",
        data=lambda w: {"kind": "channel", "channel": w.channel.pk, "reason": "Begäran om utlämnande."},
    ),
    Row("moderation:hold_lift", only(ARCHIVIST), kwargs=lambda w: {"pk": _hold(w).pk}),
    Row(
        "moderation:hold_lift",
        only({"archivist": 302}),
        method="post",
        kwargs=lambda w: {"pk": _hold(w).pk},
        data=lambda w: {"reason": "Klart."},
    ),
    Row("moderation:disclosure_list", only(ARCHIVIST)),
    Row("moderation:disclosure_create", only(ARCHIVIST)),
    Row(
        "moderation:disclosure_create",
        only({"archivist": 302}),
        method="post",
        data=lambda w: {
            "received_on": "2026-11-20",
            "description": "Kommentarer om biblioteket.",
            "records": str(_record(w).sequence),
        },
    ),
    Row("moderation:disclosure_detail", only(ARCHIVIST), kwargs=lambda w: {"pk": _disclosure(w).pk}),
    Row(
        "moderation:disclosure_review",
        only(ARCHIVIST),
        kwargs=lambda w: {"pk": _disclosure(w).pk, "item_pk": _disclosure(w).items.get().pk},
    ),
    Row(
        "moderation:disclosure_review",
        only({"archivist": 302}),
        method="post",
        kwargs=lambda w: {"pk": _disclosure(w).pk, "item_pk": _disclosure(w).items.get().pk},
        data=lambda w: {"decision": "released"},
    ),
    Row("moderation:disclosure_print", only(ARCHIVIST), kwargs=lambda w: {"pk": _disclosure(w).pk}),
]


@params(MATRIX)
def test_archive_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)


def _download(client, **params):
    response = client.get(reverse("moderation:export_download"), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_csv_export_streams_flags_and_neutralises(client, world):
    plain = _record(world)
    _record(world, "h")
    client_for(client, world, "web_team")
    response, body = _download(client, format="csv", delimiter="semicolon", token="abc123")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies["export_token"].value == "abc123"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    by_id = {int(r["id"]): r for r in rows}
    assert by_id[plain.pk]["text"].startswith("'=HYPERLINK")
    confidential = next(r for r in rows if r["category"] == "h")
    assert confidential["confidential"] == "true" and "Hemlig" not in confidential["text"]
    assert RecordRead.objects.filter(reader=world.users["web_team"], what="export").exists()


def test_archivist_xlsx_export_includes_confidential_content_highlighted(client, world):
    _record(world)
    _record(world, "h")
    client_for(client, world, "archivist")
    response, body = _download(client, format="xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    secret = next(r for r in rows if r["category"] == "h")
    assert secret["text"] == "Hemlig uppgift." and secret["confidential"] is True


def test_export_uses_the_list_filters(client, world):
    _record(world)
    _record(world, "h")
    client_for(client, world, "archivist")
    _response, body = _download(client, format="jsonl", category="h")
    assert body.count(b"\n") == 1 and b'"category": "h"' in body
    page = client.get(reverse("moderation:export"), {"category": "h"})
    assert page.context["count"] == 1


def test_export_with_bad_filters_returns_to_the_export_page(client, world):
    client_for(client, world, "archivist")
    response = client.get(reverse("moderation:export_download"), {"format": "exe"})
    assert response.status_code == 302 and response["Location"] == reverse("moderation:export")


def test_disposal_preview_and_confirmation_on_screen(client, world, django_capture_on_commit_callbacks):
    record = _record(world)
    _decision(world)  # in force since 2026-01-01, keeps reason a for 12 months
    client_for(client, world, "archivist")
    # Retention is 12 months: nothing is due today.
    page = client.get(reverse("moderation:disposal"))
    assert page.context["preview"].count == 0
    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        client.force_login(world.users["archivist"])  # the session has expired a year later
        page = client.get(reverse("moderation:disposal"))
        assert page.context["preview"].original_ids == [record.pk]
        fingerprint = page.context["preview"].fingerprint
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("moderation:disposal"), {"fingerprint": fingerprint})
    assert response.status_code == 302 and response["Location"] == reverse("moderation:disposal_log")
    assert DisposedRecord.objects.filter(record=record).exists()
    assert not RemovedCommentContent.objects.filter(record=record).exists()
    log = client.get(reverse("moderation:disposal_log"), {"q": str(record.sequence)})
    assert [e.record_id for e in log.context["page"].object_list] == [record.pk]


def test_confidential_record_needs_review_before_the_copy(client, world):
    disclosure = _disclosure(world, "h")
    item = disclosure.items.get()
    client_for(client, world, "archivist")
    response = client.get(reverse("moderation:disclosure_print", kwargs={"pk": disclosure.pk}))
    assert response.status_code == 302
    review_url = reverse("moderation:disclosure_review", kwargs={"pk": disclosure.pk, "item_pk": item.pk})
    response = client.post(review_url, {"decision": "partial", "redacted_text": "", "redaction_note": ""})
    assert response.status_code == 200  # refused: release in part needs the released text and the grounds
    response = client.post(review_url, {"decision": "withheld", "redaction_note": "OSL 21 kap. 7 §."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == (DisclosureItem.Decision.WITHHELD, world.users["archivist"])
    copy = client.get(reverse("moderation:disclosure_print", kwargs={"pk": disclosure.pk}))
    assert copy.status_code == 200
    assert "Hemlig uppgift" not in copy.content.decode() and "OSL 21 kap. 7 §." in copy.content.decode()


def test_copy_of_released_record_shows_its_text_inert(client, world):
    disclosure = _disclosure(world)
    client_for(client, world, "archivist")
    copy = client.get(reverse("moderation:disclosure_print", kwargs={"pk": disclosure.pk}))
    html = copy.content.decode()
    assert "Köp klockor!" in html and "=HYPERLINK(&quot;http://evil.example&quot;)" in html
    assert RecordRead.objects.filter(record=_record(world), what="export").exists()


def test_hold_flow_on_screen(client, world):
    client_for(client, world, "archivist")
    record = _record(world)
    response = client.post(
        reverse("moderation:hold_create"),
        {"kind": "records", "records": f"#{record.sequence}", "reason": "Begäran om utlämnande."},
    )
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert list(hold.records.all()) == [record]
    response = client.post(
        reverse("moderation:hold_create"), {"kind": "records", "records": "99999", "reason": "Fel nummer."}
    )
    assert response.status_code == 200 and response.context["form"].errors["records"]
    response = client.post(reverse("moderation:hold_lift", kwargs={"pk": hold.pk}), {"reason": ""})
    assert response.status_code == 200
    assert Hold.objects.get(pk=hold.pk).lifted_at is None


def test_reviewing_a_record_logs_the_read(client, world):
    disclosure = _disclosure(world, "h")
    item = disclosure.items.get()
    client_for(client, world, "archivist")
    response = client.get(reverse("moderation:disclosure_review", kwargs={"pk": disclosure.pk, "item_pk": item.pk}))
    assert "Hemlig uppgift." in response.content.decode()
    assert RecordRead.objects.filter(record=item.record, reader=world.users["archivist"], what="content").exists()


def test_ending_a_decision_on_screen(client, world):
    """The archivist confirms the last day; a bad day is refused with a message and nothing changes."""
    from registry.models import HistoryEntry

    decision = _decision(world)
    client_for(client, world, "archivist")
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        page = client.get(reverse("moderation:decision_end", kwargs={"pk": decision.pk}))
    assert page.context["form"].initial["last_day"] == date(2026, 11, 25), "today (Europe/Stockholm) by default"
    detail = client.get(reverse("moderation:decision_detail", kwargs={"pk": decision.pk}))
    end_url = reverse("moderation:decision_end", kwargs={"pk": decision.pk})
    assert end_url in detail.content.decode()
    response = client.post(end_url, {"last_day": "2025-12-31"})  # before it came into force
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(end_url, {"last_day": "31/12"})
    assert response.status_code == 200 and response.context["form"].errors["last_day"]
    assert DisposalDecision.objects.get(pk=decision.pk).in_force_until is None
    response = client.post(end_url, {"last_day": "2026-12-31"})
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert DisposalDecision.objects.get(pk=decision.pk).in_force_until == date(2026, 12, 31)
    assert HistoryEntry.objects.filter(object_id=decision.pk, action="decision.ended").count() == 1
    response = client.post(end_url, {"last_day": "2027-06-30"})  # pushed back: refused
    assert response.status_code == 200
    assert DisposalDecision.objects.get(pk=decision.pk).in_force_until == date(2026, 12, 31)
    with time_machine.travel(datetime(2027, 1, 5, 12, tzinfo=UTC), tick=False):
        client.force_login(world.users["archivist"])
        page = client.get(end_url)
        assert not page.context["can_end"] and 'name="last_day"' not in page.content.decode()
        detail = client.get(reverse("moderation:decision_detail", kwargs={"pk": decision.pk}))
        assert end_url not in detail.content.decode()
