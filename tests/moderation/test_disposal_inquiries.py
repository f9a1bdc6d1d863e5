"""Disposal of inquiries (section 5, 4:7): under the decision in force, after their retention, never held.

The question, the asker, the screenshot and the addenda's text go; the inquiry (number,
unit, dates, registrar's address, who registered it) stays as the tombstone.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from inquiries.models import DisposedInquiry, Inquiry, InquiryAddendum, InquiryAddendumContent, InquiryContent, Source
from inquiries.services import inquiry_addendum_add, inquiry_register
from moderation.forms.archive import DecisionForm, HoldForm
from moderation.services import decisions as decision_services
from moderation.services import disposal as disposal_services
from moderation.services import holds as hold_services
from registry.models import Platform

from .conftest import BEFORE_10_MARCH_2026, LATE_ON_10_MARCH, ON_10_MARCH_2026, ON_11_MARCH_2026, png_upload

pytestmark = pytest.mark.django_db

# Registered late on 10 March 2025 in Stockholm (22:30 UTC, 23:30 CET).
REGISTERED = datetime(2025, 3, 10, 22, 30, tzinfo=UTC)


@pytest.fixture
def inquiry_at(world):
    """Register an inquiry (by the world's employee) as if at *when*, with a screenshot and an addendum."""

    def register(when=REGISTERED, *, screenshot=True):
        with time_machine.travel(when, tick=False):
            inquiry = inquiry_register(
                actor=world.users["employee"],
                question="Hej! Jag heter Mats och bor på Storgatan 3. När öppnar simhallen?",
                # Not a name Faker gives the test users (their names are on the page).
                asked_by="Mats Provfrågesson",
                source=Source.PRIVATE,
                platform=Platform.objects.get(slug="facebook"),
                place="Min privata Facebooksida",
                unit=world.unit,
                received_at=timezone.now() - timedelta(hours=1),
                screenshot=png_upload() if screenshot else None,
                notify=False,
            )
            inquiry_addendum_add(actor=world.users["registrar"], inquiry=inquiry, text="Mats ringde också.")
        return Inquiry.objects.get(pk=inquiry.pk)

    return register


@pytest.fixture
def inquiry_decision(archivist):
    """A decision in force since 2025 keeping inquiries 12 months and comments of reason a 12 months."""
    with time_machine.travel(datetime(2025, 1, 2, 9, tzinfo=UTC), tick=False):
        return decision_services.decision_register(
            actor=archivist,
            reference="KS 2025/18",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2025, 1, 1),
            in_force_from=date(2025, 1, 1),
            in_force_until=None,
            scope="Borttagna kommentarer och inkomna frågor.",
            retention={"a": 12, "inquiry": 12},
        )


def _preview(when):
    with time_machine.travel(when, tick=False):
        return disposal_services.disposal_preview()


def _security_events(caplog, name):
    return [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == name]


def test_inquiry_past_its_retention_is_disposed_of_and_the_tombstone_stays(
    world, inquiry_at, inquiry_decision, archivist, client, caplog, django_capture_on_commit_callbacks
):
    """Content, asker, screenshot (row and file) and addenda's text go; number, unit, dates and author stay."""
    inquiry = inquiry_at()
    kept = inquiry_at(datetime(2025, 6, 1, 12, tzinfo=UTC))
    stored = Path(settings.MEDIA_ROOT) / inquiry.content.screenshot.name
    assert stored.exists()
    with (
        time_machine.travel(ON_11_MARCH_2026, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level("INFO", logger="norsjo.security"),
    ):
        preview = disposal_services.disposal_preview()
        assert preview.inquiry_ids == [inquiry.pk] and preview.record_ids == []
        run = disposal_services.disposal_apply(actor=archivist, expected_fingerprint=preview.fingerprint)
    assert (run.record_count, run.inquiry_count, run.file_count, run.decision) == (0, 1, 1, inquiry_decision)
    assert not stored.exists(), "the screenshot file is gone from storage"
    assert not InquiryContent.objects.filter(inquiry=inquiry).exists()
    assert not InquiryAddendumContent.objects.filter(addendum__inquiry=inquiry).exists()
    assert InquiryContent.objects.filter(inquiry=kept).exists()
    assert InquiryAddendumContent.objects.filter(addendum__inquiry=kept).exists()
    tombstone = Inquiry.objects.get(pk=inquiry.pk)
    assert (tombstone.number, tombstone.unit_name, tombstone.sent_to) == (
        inquiry.number,
        inquiry.unit_name,
        inquiry.sent_to,
    )
    assert tombstone.registered_at == inquiry.registered_at and tombstone.question == "" and not tombstone.screenshot
    assert InquiryAddendum.objects.filter(inquiry=inquiry).count() == 1, "who added what when stays"
    disposal = DisposedInquiry.objects.get(inquiry=inquiry)
    assert (disposal.decision, disposal.run, disposal.disposed_by) == (inquiry_decision, run, archivist)
    assert disposal.decision_reference == "KS 2025/18"
    [event] = _security_events(caplog, "record.disposal")
    assert (event["inquiry_count"], event["record_count"], event["decision"]) == (1, 0, "KS 2025/18")
    # The registrar and the employee see the tombstone with the decision's reference; nothing of the content.
    for role in ("registrar", "employee"):
        client.force_login(world.users[role])
        page = client.get(tombstone.get_absolute_url()).content.decode()
        assert "KS 2025/18" in page and inquiry.number in page
        assert "Storgatan" not in page and "Provfrågesson" not in page and "Mats ringde" not in page
        assert client.get(reverse("inquiries:screenshot", kwargs={"pk": inquiry.pk})).status_code == 404
        assert client.get(reverse("inquiries:addendum_create", kwargs={"pk": inquiry.pk})).status_code == 403
    # Nothing is due twice.
    assert _preview(ON_11_MARCH_2026).inquiry_ids == []


def test_inquiry_is_due_from_midnight_in_stockholm_after_its_retention(inquiry_at, inquiry_decision):
    """Registered late on 10 March 2025 (Stockholm), kept 12 months: due from 00:00 on 10 March 2026."""
    inquiry = inquiry_at()
    assert _preview(BEFORE_10_MARCH_2026).inquiry_ids == []
    assert _preview(ON_10_MARCH_2026).inquiry_ids == [inquiry.pk]
    assert disposal_services.inquiry_disposable_from(inquiry, inquiry_decision) == date(2026, 3, 10)


def test_no_inquiry_is_disposed_of_without_a_decision_in_force(inquiry_at, archivist):
    inquiry_at()
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        preview = disposal_services.disposal_preview()
        assert preview.decision is None and preview.inquiry_ids == []
        with pytest.raises(ValidationError) as excinfo:
            disposal_services.disposal_apply(actor=archivist)
    assert excinfo.value.code == "no_decision"
    assert InquiryContent.objects.count() == 1


def test_a_decision_without_an_inquiry_retention_keeps_inquiries(inquiry_at, decision):
    """The comments' decision (a and h only) does not cover inquiries: kept, however old."""
    inquiry_at()
    preview = _preview(datetime(2040, 1, 1, tzinfo=UTC))
    assert preview.inquiry_months is None and preview.inquiry_ids == []


def test_a_held_inquiry_is_not_disposed_of_until_the_hold_is_lifted(inquiry_at, inquiry_decision, archivist):
    held, free = inquiry_at(), inquiry_at()
    hold = hold_services.hold_place(
        actor=archivist, kind="inquiries", inquiries=[held], reason="Begäran om allmän handling."
    )
    preview = _preview(ON_11_MARCH_2026)
    assert (preview.inquiry_ids, preview.inquiry_held_count) == ([free.pk], 1)
    hold_services.hold_lift(actor=archivist, hold=hold, reason="Begäran besvarad.")
    assert _preview(ON_11_MARCH_2026).inquiry_ids == [held.pk, free.pk]


def test_an_inquiry_hold_needs_inquiries(archivist):
    with pytest.raises(ValidationError) as excinfo:
        hold_services.hold_place(actor=archivist, kind="inquiries", inquiries=[], reason="x")
    assert excinfo.value.code == "hold_scope"


def test_preview_counts_comments_and_inquiries_apart(world, logged_at, inquiry_at, inquiry_decision, archivist):
    """One run disposes of both; the preview and the run count them separately."""
    record = logged_at(LATE_ON_10_MARCH)
    inquiry = inquiry_at()
    preview = _preview(ON_11_MARCH_2026)
    assert (preview.original_ids, preview.inquiry_ids) == ([record.pk], [inquiry.pk])
    assert (preview.record_count, preview.count) == (1, 2)
    client_preview = _preview(ON_11_MARCH_2026)
    assert client_preview.fingerprint == preview.fingerprint
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        run = disposal_services.disposal_apply(actor=archivist, expected_fingerprint=preview.fingerprint)
    assert (run.record_count, run.inquiry_count) == (1, 1)


def test_a_new_due_inquiry_makes_the_preview_stale(world, logged_at, inquiry_at, inquiry_decision, archivist):
    logged_at(LATE_ON_10_MARCH)
    fingerprint = _preview(ON_11_MARCH_2026).fingerprint
    inquiry_at()
    with time_machine.travel(ON_11_MARCH_2026, tick=False), pytest.raises(ValidationError) as excinfo:
        disposal_services.disposal_apply(actor=archivist, expected_fingerprint=fingerprint)
    assert excinfo.value.code == "preview_stale"


def test_disposal_screen_shows_inquiries_due(client, world, inquiry_at, inquiry_decision):
    inquiry_at()
    client.force_login(world.users["archivist"])
    with time_machine.travel(ON_11_MARCH_2026, tick=True):
        response = client.get(reverse("moderation:disposal"))
    assert response.status_code == 200
    assert response.context["preview"].inquiry_ids
    assert "2025-03-11" in response.content.decode(), "the registration cutoff is shown"


@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM inquiries_inquirycontent", "DELETE FROM inquiries_inquiryaddendumcontent"],
)
def test_triggers_refuse_deleting_content_without_a_disposal_row(inquiry_at, statement):
    """Below the ORM too: an inquiry's content goes only after its DisposedInquiry row (PostgreSQL and SQLite)."""
    inquiry_at()
    with pytest.raises(DatabaseError, match="disposal"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert InquiryContent.objects.count() == 1 and InquiryAddendumContent.objects.count() == 1


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM inquiries_inquiry",
        "DELETE FROM inquiries_inquiryaddendum",
        "DELETE FROM inquiries_disposedinquiry",
        "UPDATE inquiries_disposedinquiry SET decision_reference = 'x'",
    ],
)
def test_triggers_never_let_the_tombstone_or_its_disposal_go(inquiry_at, inquiry_decision, archivist, statement):
    inquiry_at()
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        disposal_services.disposal_apply(actor=archivist)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert DisposedInquiry.objects.count() == 1 and Inquiry.objects.count() == 1


def test_the_orm_refuses_deleting_content():
    with pytest.raises(TypeError):
        InquiryContent.objects.all().delete()
    with pytest.raises(TypeError):
        InquiryAddendumContent.objects.all().delete()


def test_hold_form_accepts_inquiry_numbers(world, inquiry_at):
    first, second = inquiry_at(), inquiry_at()
    form = HoldForm(
        data={"kind": "inquiries", "inquiries": f"{first.number}, ink {second.year}/{second.serial}", "reason": "x"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["inquiries"] == [first, second]
    form = HoldForm(data={"kind": "inquiries", "inquiries": "INK 2025/0999; nonsens", "reason": "x"})
    assert form.has_error("inquiries", "bad_inquiry_number")
    form = HoldForm(data={"kind": "inquiries", "inquiries": "INK 2025/0999", "reason": "x"})
    assert form.has_error("inquiries", "unknown_inquiries")


def test_decision_form_offers_an_inquiry_retention():
    data = {
        "reference": "KS 2026/1",
        "deciding_body": "Kommunstyrelsen",
        "decided_on": "2026-01-01",
        "in_force_from": "2026-01-01",
        "scope": "Inkomna frågor.",
        "months_inquiry": "24",
    }
    form = DecisionForm(data=data)
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["retention"]["inquiry"] == 24
    assert "section 5" in str(form.fields["months_inquiry"].label) or "avsnitt 5" in str(
        form.fields["months_inquiry"].label
    )
