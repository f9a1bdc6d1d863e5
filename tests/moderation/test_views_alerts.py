"""Views of the alert of a removal required by law, the 4:9 checklist, and the log form's PIN suggestion."""

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import RemovedComment

from ..matrix import Row, expect, only, params, run_row
from .test_views_log import _record_pk

pytestmark = pytest.mark.django_db

# The writer logged the b record: visible to SEE_ALL, and they may add addenda (so a police report).
REPORTERS = {"writer": 200, "web_team": 200, "archivist": 200, "manager": 403}
HANDLERS = {"web_team": 200, "archivist": 200, "writer": 403, "manager": 403}


def _as(statuses: dict, status: int) -> dict:
    return {role: status if code == 200 else code for role, code in statuses.items()}


MATRIX = [
    Row("moderation:confidentiality_checklist", expect(200)),
    Row("moderation:police_report_create", only(REPORTERS, default=404), kwargs=_record_pk("b")),
    Row(
        "moderation:police_report_create",
        only(_as(REPORTERS, 302), default=404),
        method="post",
        kwargs=_record_pk("b"),
        data=lambda w: {"reference": "5000-K1-26"},
    ),
    Row("moderation:legal_alert_handle", only(HANDLERS, default=404), kwargs=_record_pk("b")),
    Row(
        "moderation:legal_alert_handle",
        only(_as(HANDLERS, 302), default=404),
        method="post",
        kwargs=_record_pk("b"),
        data=lambda w: {"note": "Polisen har redan underrättats."},
    ),
]


@params(MATRIX)
def test_alert_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)


PIN_TEXT = "Ring mig, mitt personnummer är 811218-9876."


def _post(world, **overrides):
    return {
        "text": PIN_TEXT,
        "author_name": "Glad Person",
        "removed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "action": "deleted",
        "category": "a",
    } | overrides


def test_record_create_suggests_h_for_an_identity_number_before_saving(client, world):
    """4:9: a text with a personal identity number re-shows the form with the suggestion; nothing is saved."""
    client.force_login(world.users["writer"])
    url = reverse("moderation:record_create", args=[world.channel.pk])
    response = client.post(url, _post(world))
    assert response.status_code == 200
    assert response.context["suggest_confidential"] is True
    assert not RemovedComment.objects.exists()
    page = response.content.decode()
    assert 'id="identity-number-warning"' in page
    assert PIN_TEXT in page, "what was typed is kept"
    assert 'name="identity_number_seen" value="True"' in page
    assert reverse("moderation:confidentiality_checklist") in page


def test_record_create_keeps_the_writers_choice_on_the_second_submit(client, world):
    client.force_login(world.users["writer"])
    url = reverse("moderation:record_create", args=[world.channel.pk])
    response = client.post(url, _post(world, identity_number_seen="True"))
    assert response.status_code == 302
    record = RemovedComment.objects.get()
    assert record.category == "a" and not record.confidential


def test_record_create_uses_the_suggestion(client, world):
    client.force_login(world.users["writer"])
    url = reverse("moderation:record_create", args=[world.channel.pk])
    response = client.post(url, _post(world, identity_number_seen="True", use_suggestion="h"))
    assert response.status_code == 302
    record = RemovedComment.objects.get()
    assert record.category == "h" and record.confidential


@pytest.mark.parametrize(
    "overrides",
    [{"category": "h"}, {"text": "Ring 070-123 45 67."}, {"text": "Fel kontrollsiffra 811218-9875."}],
)
def test_record_create_no_suggestion(client, world, overrides):
    """Already h, or no valid identity number: saved at once."""
    client.force_login(world.users["writer"])
    response = client.post(reverse("moderation:record_create", args=[world.channel.pk]), _post(world, **overrides))
    assert response.status_code == 302
    assert RemovedComment.objects.count() == 1


def test_record_create_invalid_form_shows_no_suggestion_yet(client, world):
    """Errors come first; the suggestion comes with a form that could be saved."""
    client.force_login(world.users["writer"])
    response = client.post(reverse("moderation:record_create", args=[world.channel.pk]), _post(world, removed_at=""))
    assert response.status_code == 400
    assert response.context["suggest_confidential"] is False


def test_home_links_the_checklist_for_writers_only(client, world):
    checklist = reverse("moderation:confidentiality_checklist")
    client.force_login(world.users["writer"])
    assert checklist in client.get(reverse("home")).content.decode()
    client.force_login(world.users["employee"])
    assert checklist not in client.get(reverse("home")).content.decode()
