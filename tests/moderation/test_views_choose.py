"""Choosing records from the log for a request or a hold; the review starts from the original text."""

import html
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from moderation.models import DisclosureItem, DisposedRecord
from moderation.services import decisions as decision_services
from moderation.services import disclosure as disclosure_services
from moderation.services import disposal as disposal_services

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(log_removal):
    return [log_removal(text=f"Kommentar {n}") for n in range(3)]


def test_archivists_get_check_boxes_on_the_log(client, world, records):
    archivist = client_for(client, world, "archivist").get(reverse("moderation:record_list")).content.decode()
    assert archivist.count('name="records"') == 3
    assert reverse("moderation:disclosure_create") in archivist and reverse("moderation:hold_create") in archivist
    client.logout()
    web = client_for(client, world, "web_team").get(reverse("moderation:record_list")).content.decode()
    assert 'name="records"' not in web


def test_chosen_records_fill_the_request_form(client, world, records):
    """The check boxes' numbers land in the typed-numbers field; saving registers those records."""
    client = client_for(client, world, "archivist")
    chosen = [records[0].sequence, records[2].sequence]
    page = client.get(reverse("moderation:disclosure_create"), {"records": chosen})
    assert page.context["form"].initial["records"] == f"{chosen[0]}, {chosen[1]}"
    response = client.post(
        reverse("moderation:disclosure_create"),
        {
            "received_on": "2026-11-02",
            "description": "Två kommentarer.",
            "records": page.context["form"].initial["records"],
        },
    )
    assert response.status_code == 302
    assert sorted(DisclosureItem.objects.values_list("record__sequence", flat=True)) == chosen


def test_chosen_records_fill_the_hold_form(client, world, records):
    client = client_for(client, world, "archivist")
    page = client.get(reverse("moderation:hold_create"), {"records": [records[1].sequence]})
    assert page.context["form"].initial == {"kind": "records", "records": str(records[1].sequence)}


def test_typed_numbers_still_work(client, world, records):
    client = client_for(client, world, "archivist")
    response = client.post(
        reverse("moderation:hold_create"),
        {"kind": "records", "records": f"{records[0].sequence}-{records[1].sequence}", "reason": "Polisanmälan."},
    )
    assert response.status_code == 302


def _request_for(world, record):
    return disclosure_services.disclosure_create(
        actor=world.users["archivist"], received_on=date(2026, 11, 1), description="Begäran.", records=[record]
    )


def test_review_starts_from_the_original_text(client, world, log_removal):
    record = log_removal(text="Ring 070-123 45 67, hälsningar Anna", category="h")
    request = _request_for(world, record)
    item = request.items.get()
    client = client_for(client, world, "archivist")
    page = client.get(reverse("moderation:disclosure_review", kwargs={"pk": request.pk, "item_pk": item.pk}))
    assert page.context["form"].initial["redacted_text"] == "Ring 070-123 45 67, hälsningar Anna"
    with pytest.raises(ValidationError) as excinfo:
        disclosure_services.disclosure_review(
            actor=world.users["archivist"],
            item=item,
            decision="partial",
            redacted_text="Ring 070-123 45 67, hälsningar Anna",
            redaction_note="OSL 21:1",
        )
    assert excinfo.value.error_dict["redacted_text"][0].code == "nothing_masked"
    disclosure_services.disclosure_review(
        actor=world.users["archivist"],
        item=item,
        decision="partial",
        redacted_text="Ring [–], hälsningar Anna",
        redaction_note="OSL 21:1",
    )


def test_a_disposed_record_shows_as_disposed_never_released(client, world, log_removal):
    record = log_removal(text="Gammal kommentar.")
    request = _request_for(world, record)
    decision_services.decision_register(
        actor=world.users["archivist"],
        reference="KS 2026/1",
        deciding_body="Kommunstyrelsen",
        decided_on=date(2026, 1, 1),
        in_force_from=date(2026, 1, 1),
        in_force_until=None,
        scope="Borttagna kommentarer.",
        retention={"a": 12},
    )
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        disposal_services.disposal_apply(actor=world.users["archivist"])
    assert DisposedRecord.objects.filter(record=record).exists()
    client = client_for(client, world, "archivist")
    page = html.unescape(client.get(request.get_absolute_url()).content.decode())
    language = page.split('lang="', 1)[1].split('"', 1)[0]
    with translation.override(language):
        assert gettext("Disposed of: only the record of the removal remains") in page
        assert gettext("Released (not confidential)") not in page
    item = request.items.get()
    review = client.get(reverse("moderation:disclosure_review", kwargs={"pk": request.pk, "item_pk": item.pk}))
    assert review.context["disposed"] is True and review.context["form"].initial["redacted_text"] == ""
