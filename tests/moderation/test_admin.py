"""The archival models in the admin: visible to the admin, read-only on every path."""

from datetime import date

import pytest
from django.urls import reverse

from moderation.models import DisclosureRequest, DisposalDecision, DisposalRun, Hold
from moderation.services import decisions as decision_services
from moderation.services import disclosure as disclosure_services
from moderation.services import holds as hold_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(world, log_removal):
    archivist = world.users["archivist"]
    record = log_removal(text="Hemlig uppgift om grannen.", category="h")
    decision = decision_services.decision_register(
        actor=archivist,
        reference="KS 2026/123",
        deciding_body="Kommunstyrelsen",
        decided_on=date(2026, 1, 20),
        in_force_from=date(2026, 2, 1),
        in_force_until=None,
        scope="Borttagna kommentarer.",
        retention={"a": 12, "h": 24},
    )
    hold = hold_services.hold_place(
        actor=archivist, kind="records", records=[record], reason="Begäran om utlämnande.", reference="KS 2026/311"
    )
    request = disclosure_services.disclosure_create(
        actor=archivist, received_on=date(2026, 11, 2), description="Kommentaren om grannen.", records=[record]
    )
    item = request.items.get()
    disclosure_services.disclosure_review(
        actor=archivist,
        item=item,
        decision="partial",
        redacted_text="Hemlig uppgift om [–].",
        redaction_note="OSL 26 kap. 1 §.",
    )
    run = DisposalRun.objects.create(
        decision=decision,
        as_of=date(2026, 11, 1),
        executed_at="2026-11-01T10:00:00Z",
        executed_by=archivist,
        source=DisposalRun.Source.COMMAND,
        record_count=0,
        file_count=0,
    )
    return {"disposaldecision": decision, "hold": hold, "disclosurerequest": request, "disposalrun": run}


@pytest.mark.parametrize("model", ["disposaldecision", "hold", "disclosurerequest", "disposalrun"])
def test_archival_admin_is_read_only(client, world, archived, model):
    obj = archived[model]
    client.force_login(world.users["admin"])
    assert client.get(reverse(f"admin:moderation_{model}_changelist")).status_code == 200
    change_url = reverse(f"admin:moderation_{model}_change", args=[obj.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change_url, {"reference": "Ändrat", "reason": "Ändrat"}).status_code == 403
    assert client.get(reverse(f"admin:moderation_{model}_delete", args=[obj.pk])).status_code == 403
    assert client.get(reverse(f"admin:moderation_{model}_add")).status_code == 403
    assert "Hemlig uppgift" not in page.content.decode(), "no comment content, not even as released in part"


def test_archival_admin_shows_retention_and_changes_nothing(client, world, archived):
    decision = archived["disposaldecision"]
    client.force_login(world.users["admin"])
    page = client.get(reverse("admin:moderation_disposaldecision_change", args=[decision.pk]))
    assert "KS 2026/123" in page.content.decode() and 'id="retention_periods-group"' in page.content.decode()
    assert 'name="retention_periods-0-months"' not in page.content.decode()
    assert DisposalDecision.objects.get().reference == "KS 2026/123"
    assert Hold.objects.get().reason == "Begäran om utlämnande."
    assert DisclosureRequest.objects.get().items.get().decision == "partial"


def test_archival_admin_is_refused_to_the_archivist(client, world, archived):
    """Archivists use their own screens; the admin is for the administrator (is_staff)."""
    client.force_login(world.users["archivist"])
    response = client.get(reverse("admin:moderation_hold_changelist"))
    assert response.status_code == 302
