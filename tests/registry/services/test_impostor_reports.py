"""registry.services.impostor_reports: receiving a report from the public and settling it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry.models import HistoryEntry, ImpostorReport
from registry.services.impostor_reports import impostor_report_receive, impostor_report_settle

pytestmark = pytest.mark.django_db


def test_impostor_report_receive_normalises_the_address(world):
    report = impostor_report_receive(url="https://www.facebook.com/Falska.Sidan/?utm_source=x")
    assert report.url == "https://facebook.com/falska.sidan"
    assert report.platform == "facebook"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"url": "  "}, "report_url_required"),
        ({"url": "inte en adress"}, "invalid_url"),
        ({"url": "https://facebook.com/x", "note": "n" * 2001}, "report_note_too_long"),
        ({"url": "https://facebook.com/x", "contact": "c" * 201}, "report_contact_too_long"),
    ],
)
def test_impostor_report_receive_refuses_bad_input(world, kwargs, code):
    with pytest.raises(ValidationError) as excinfo:
        impostor_report_receive(**kwargs)
    assert excinfo.value.code == code
    assert not ImpostorReport.objects.exists()


def test_impostor_report_receive_refuses_an_official_channel(world):
    """An active channel's address is not an impostor: the report is refused, keyed by the address."""
    with pytest.raises(ValidationError) as excinfo:
        impostor_report_receive(url=world.channel.url)
    assert excinfo.value.code == "report_official"
    assert "url" in excinfo.value.message_dict


def test_impostor_report_settle_records_the_outcome_and_history(world):
    report = impostor_report_receive(url="https://facebook.com/falsk")
    web_team = world.users["web_team"]
    impostor_report_settle(report=report, outcome="not_impostor", actor=web_team, note="En fanklubb.")
    report.refresh_from_db()
    assert report.outcome == "not_impostor" and report.settled_at and report.settled_note == "En fanklubb."
    entry = HistoryEntry.objects.of(report).get(action="impostor_report.settled")
    assert entry.actor == web_team and entry.reason == "En fanklubb."
    with pytest.raises(ValidationError) as excinfo:
        impostor_report_settle(report=report, outcome="reported", actor=web_team)
    assert excinfo.value.code == "report_settled"


@pytest.mark.parametrize("role", ["employee", "writer", "manager", "archivist", "admin"])
def test_only_the_web_team_settles(world, role):
    report = impostor_report_receive(url="https://facebook.com/falsk")
    with pytest.raises(PermissionDenied):
        impostor_report_settle(report=report, outcome="reported", actor=world.users[role])


def test_impostor_report_settle_refuses_unknown_outcome_and_a_duplicate_of_itself(world):
    report = impostor_report_receive(url="https://facebook.com/falsk")
    web_team = world.users["web_team"]
    with pytest.raises(ValidationError) as excinfo:
        impostor_report_settle(report=report, outcome="open", actor=web_team)
    assert excinfo.value.code == "report_outcome"
    with pytest.raises(ValidationError) as excinfo:
        impostor_report_settle(report=report, outcome="duplicate", actor=web_team, duplicate_of=report)
    assert excinfo.value.code == "duplicate_of_required"
