"""A removal required by law (b–e) raises an alert: the e-mail, the start-page notice and its next steps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from moderation.models import LegalAlertHandled, PoliceReport
from moderation.selectors import alerts as alerts_module
from moderation.selectors.alerts import legal_alerts_for, open_legal_alerts
from moderation.services import alerts as alert_services
from moderation.services import holds as hold_services
from moderation.services import log as log_services

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Hemlig kommentartext som aldrig får stå i ett e-brev"


def test_removal_log_required_by_law_emails_web_team_and_archivists(
    world, log_removal, mailoutbox, django_capture_on_commit_callbacks
):
    """A removal in b–e sends one e-mail to each web team member and archivist, after commit, with a link only."""
    with django_capture_on_commit_callbacks(execute=True):
        record = log_removal(category="b", text=SECRET_TEXT)
    assert sorted(m.to[0] for m in mailoutbox) == ["arkivarie@norsjo.example", "webb@norsjo.example"]
    mail = mailoutbox[0]
    assert str(record.sequence) in mail.subject
    assert record.get_absolute_url() in mail.body
    assert reverse("moderation:police_report_create", kwargs={"pk": record.pk}) in mail.body
    assert f"records={record.sequence}" in mail.body
    for secret in (SECRET_TEXT, "Arg Medborgare", "arg.medborgare", "facebook.com"):
        assert secret not in mail.body and secret not in mail.subject


@pytest.mark.parametrize("category", ["a", "f", "g", "h", "other"])
def test_removal_log_not_required_by_law_sends_nothing(
    category, log_removal, mailoutbox, django_capture_on_commit_callbacks
):
    """Only b–e raise the alert."""
    with django_capture_on_commit_callbacks(execute=True):
        log_removal(category=category, explanation="Annat skäl.")
    assert mailoutbox == []


def test_removal_log_rolled_back_sends_nothing(log_removal, mailoutbox, django_capture_on_commit_callbacks):
    """The e-mail waits for the commit: a rolled-back record raises no alert."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        log_removal(category="c")
        raise RuntimeError
    assert callbacks == []
    assert mailoutbox == []


def test_addendum_reclassifying_into_law_raises_the_alert_once(
    world, log_removal, mailoutbox, django_capture_on_commit_callbacks
):
    """An addendum moving a record into b–e alerts; a further b–e addendum does not alert again."""
    record = log_removal(category="a")
    with django_capture_on_commit_callbacks(execute=True):
        log_services.addendum_add(actor=world.users["writer"], original=record, explanation="Hot.", category="d")
    assert len(mailoutbox) == 2
    assert record.get_absolute_url() in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        log_services.addendum_add(actor=world.users["writer"], original=record, explanation="Mer.", category="c")
    assert len(mailoutbox) == 2


def test_alert_mail_failure_keeps_the_record(log_removal, settings, django_capture_on_commit_callbacks):
    """A mail server that fails does not lose the record (the alert is sent robustly after commit)."""
    settings.EMAIL_BACKEND = "tests.moderation.test_alerts.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        record = log_removal(category="e")
    assert record.pk


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def _hold(world, record):
    return hold_services.hold_place(
        actor=world.users["archivist"], kind="records", reason="Polisanmälan.", records=[record]
    )


def test_open_legal_alerts_close_when_reported_and_held(world, log_removal):
    """The notice stays until both steps are done: a police report recorded and a hold on the record."""
    record = log_removal(category="b")
    log_removal(category="a")
    assert list(open_legal_alerts()) == [record]
    log_services.police_report_record(actor=world.users["web_team"], record=record, reference="5000-K1-26")
    assert list(open_legal_alerts()) == [record]
    _hold(world, record)
    assert list(open_legal_alerts()) == []


def test_open_legal_alerts_hold_alone_is_not_enough(world, log_removal):
    record = log_removal(category="c")
    _hold(world, record)
    alerts = legal_alerts_for(world.users["archivist"])
    assert [(a.record, a.police_report, a.held) for a in alerts["alerts"]] == [(record, False, True)]


def test_open_legal_alerts_follow_an_addendum_into_law(world, log_removal):
    """A record reclassified into b–e by an addendum is open; the addendum itself is not listed."""
    record = log_removal(category="a")
    log_services.addendum_add(actor=world.users["writer"], original=record, explanation="Hets.", category="b")
    assert list(open_legal_alerts()) == [record]


def test_legal_alert_mark_handled_closes_it(world, log_removal):
    record = log_removal(category="d")
    alert_services.legal_alert_mark_handled(actor=world.users["web_team"], record=record, note="Polisen informerad.")
    assert list(open_legal_alerts()) == []
    with pytest.raises(ValidationError) as excinfo:
        alert_services.legal_alert_mark_handled(actor=world.users["archivist"], record=record, note="Igen.")
    assert excinfo.value.code == "already_handled"


@pytest.mark.parametrize("role", ["writer", "manager", "employee", "admin"])
def test_legal_alert_mark_handled_only_web_team_and_archivists(world, log_removal, role):
    record = log_removal(category="d")
    with pytest.raises(PermissionDenied):
        alert_services.legal_alert_mark_handled(actor=world.users[role], record=record, note="x")
    assert not LegalAlertHandled.objects.exists()


def test_legal_alert_mark_handled_refuses_empty_note_and_other_records(world, log_removal):
    record = log_removal(category="d")
    with pytest.raises(ValidationError) as excinfo:
        alert_services.legal_alert_mark_handled(actor=world.users["web_team"], record=record, note="  ")
    assert excinfo.value.error_dict["note"][0].code == "note_required"
    with pytest.raises(ValidationError) as excinfo:
        alert_services.legal_alert_mark_handled(actor=world.users["web_team"], record=log_removal(), note="x")
    assert excinfo.value.code == "not_required"


def test_police_report_record_is_an_addendum_with_the_reference(world, log_removal):
    """The reference is logged as an addendum (the record never changes), by an archivist too."""
    record = log_removal(category="b")
    report = log_services.police_report_record(
        actor=world.users["archivist"], record=record, reference=" 5000-K123456-26 ", note="Anmält via webben."
    )
    assert report.record == record and report.reference == "5000-K123456-26"
    assert report.addendum.addendum_to == record
    assert report.addendum.category == "b"
    assert "5000-K123456-26" in report.addendum.content.explanation
    assert "Anmält via webben." in report.addendum.content.explanation
    assert PoliceReport.objects.get() == report


def test_police_report_record_refuses(world, log_removal):
    record = log_removal(category="b")
    with pytest.raises(PermissionDenied):
        log_services.police_report_record(actor=world.users["manager"], record=record, reference="K1")
    with pytest.raises(ValidationError) as excinfo:
        log_services.police_report_record(actor=world.users["web_team"], record=record, reference="  ")
    assert excinfo.value.error_dict["reference"][0].code == "reference_required"


def test_legal_alerts_for_only_web_team_and_archivists(world, log_removal):
    log_removal(category="b")
    assert legal_alerts_for(world.users["writer"]) is None
    assert legal_alerts_for(world.users["manager"]) is None
    assert legal_alerts_for(world.users["web_team"])["count"] == 1
    assert legal_alerts_for(world.users["web_team"])["can_hold"] is False
    assert legal_alerts_for(world.users["archivist"])["can_hold"] is True


def test_home_shows_the_notice_with_next_steps(client, world, log_removal):
    record = log_removal(category="b")
    client.force_login(world.users["archivist"])
    page = client.get(reverse("home")).content.decode()
    assert record.get_absolute_url() in page
    assert reverse("moderation:police_report_create", kwargs={"pk": record.pk}) in page
    assert f"records={record.sequence}" in page
    client.force_login(world.users["writer"])
    assert (
        reverse("moderation:police_report_create", kwargs={"pk": record.pk})
        not in client.get(reverse("home")).content.decode()
    )


def test_hold_form_is_filled_in_from_the_alert(client, world, log_removal):
    record = log_removal(category="b")
    client.force_login(world.users["archivist"])
    response = client.get(f"{reverse('moderation:hold_create')}?kind=records&records={record.sequence}&from_alert=1")
    assert response.context["form"].initial["records"] == str(record.sequence)
    assert response.context["form"].initial["reason"]


def test_police_report_view_records_and_redirects(client, world, log_removal):
    record = log_removal(category="b")
    client.force_login(world.users["web_team"])
    url = reverse("moderation:police_report_create", kwargs={"pk": record.pk})
    response = client.post(url, {"reference": ""})
    assert response.status_code == 400
    response = client.post(url, {"reference": "K99"})
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert PoliceReport.objects.get().reference == "K99"


def test_legal_alerts_for_counts_every_open_alert_beyond_those_shown(world, log_removal, monkeypatch):
    records = [log_removal(category="b") for _ in range(4)]
    monkeypatch.setattr(alerts_module, "LIMIT", 3)
    alerts = legal_alerts_for(world.users["web_team"])
    assert alerts["count"] == 4
    assert [alert.record for alert in alerts["alerts"]] == records[:0:-1]  # newest first
