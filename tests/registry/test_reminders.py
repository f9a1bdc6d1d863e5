"""registry.reminders and the daily send_reminders run: each reminder sent once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from registry import reminders
from registry.models import HistoryEntry, Mandate, ReminderSent

from ..factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ending_in(world, days, **kwargs):
    today = timezone.localdate()
    return MandateFactory(
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=days),
        acknowledged_at=timezone.now() - timedelta(days=99),
        **kwargs,
    )


def _run():
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_send_reminders_twice_the_same_day_sends_nothing_twice(world):
    """Running it twice sends each reminder once; the second run finds nothing new."""
    _ending_in(world, 20, employee=UserFactory(username="anna"))
    MandateFactory(employee=world.users["employee"], channel=world.channel, granted_by=world.users["manager"])
    _run()
    first = len(mail.outbox)
    assert first == 2
    _run()
    assert len(mail.outbox) == first
    assert ReminderSent.objects.count() == 2


def test_send_reminders_expiring_30_then_7_days_to_the_units_managers(world):
    """A manager hears once when a mandate has 30 days left and once more at 7 days; not for renewed ones."""
    co_manager = UserFactory(username="chef3")
    world.unit.managers.add(co_manager)
    anna = UserFactory(username="anna", first_name="Anna", last_name="Berg")
    mandate = _ending_in(world, 25, employee=anna)
    renewed = _ending_in(world, 20, employee=UserFactory(username="bo", first_name="Bo", last_name="Ek"))
    MandateFactory(
        renewal_of=renewed,
        employee=renewed.employee,
        channel=world.channel,
        valid_from=renewed.valid_until + timedelta(1),
    )
    _ending_in(world, 60, employee=UserFactory(username="cecilia", first_name="Cecilia", last_name="Ås"))
    _run()
    expiring = [m for m in mail.outbox if "30 dagar" in m.subject]
    assert sorted(m.to[0] for m in expiring) == ["chef3@norsjo.example", "chef@norsjo.example"]
    body = expiring[0].body
    assert "Anna Berg" in body
    assert mandate.valid_until.isoformat() in body
    assert "Norsjö bibliotek" in body
    assert "/uppdrag/verksamhet/" in body
    assert "Bo Ek" not in body  # renewed: nothing to remind of
    assert "Cecilia Ås" not in body  # 60 days left: not yet
    assert "{%" not in body and "&amp;" not in body

    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=19)):  # 6 days left
        _run()
        _run()
    seven = [m for m in mail.outbox if "7 dagar" in m.subject]
    assert len(seven) == 2
    assert all("Anna Berg" in m.body for m in seven)
    assert not [m for m in mail.outbox if "30 dagar" in m.subject]


def test_send_reminders_pending_acknowledgement_to_the_employee(world):
    """The employee is asked, once, to read the guidelines and acknowledge; with a link to their mandates."""
    MandateFactory(employee=world.users["employee"], channel=world.channel, granted_by=world.users["manager"])
    MandateFactory(
        employee=world.users["employee"],
        channel=world.other_channel,
        granted_by=world.users["other_manager"],
        role=Mandate.Role.MODERATOR,
    )
    _run()
    [message] = mail.outbox
    assert message.to == ["anstalld@norsjo.example"]
    assert "bekräftelse" in message.subject
    assert "Norsjö bibliotek" in message.body and "Socialtjänsten informerar" in message.body
    assert "/uppdrag/" in message.body
    assert "anställd och inte som privatperson" in message.body


def test_send_reminders_skips_people_without_e_mail_and_revoked_mandates(world):
    nomail = UserFactory(username="utanpost", email="")
    MandateFactory(employee=nomail, channel=world.channel)
    MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        revoked_at=timezone.now(),
        revoked_by=world.users["manager"],
        revocation_reason="Fel.",
    )
    _run()
    assert mail.outbox == []


def test_send_reminders_records_expiries_in_history(world):
    today = timezone.localdate()
    MandateFactory(channel=world.channel, valid_from=today - timedelta(30), valid_until=today - timedelta(1))
    _run()
    _run()
    assert HistoryEntry.objects.filter(action="mandate.expired").count() == 1


def test_reminder_kinds_can_be_added(world, monkeypatch):
    """Another issue adds a kind (e.g. yearly reviews) and gets once-only sending from the same machinery."""

    class Review(reminders.ReminderKind):
        name = "test_review"
        subject_text = "Granska kanalen"
        template = "registry/email/acknowledgement_pending.txt"

        def due(self, today):
            yield reminders.Due(
                key=f"channel:{world.channel.pk}:{today.year}", recipient=world.users["web_team"], item=world.mandate
            )

    monkeypatch.setattr(reminders, "KINDS", list(reminders.KINDS))
    reminders.register(Review())
    with pytest.raises(ValueError):
        reminders.register(Review())
    assert reminders.send_due()["test_review"] == 1
    assert reminders.send_due()["test_review"] == 0


def test_send_reminders_overdue_yearly_review_to_the_units_managers(world):
    """A channel not reviewed for over a year reminds its unit's managers, once per overdue period."""
    from registry.models import Channel

    Channel.objects.filter(pk=world.channel.pk).update(created_at=timezone.now() - timedelta(days=800))
    _run()
    review_mails = [m for m in mail.outbox if "årliga genomgång" in m.subject]
    assert [m.to for m in review_mails] == [[world.users["manager"].email]]
    assert world.channel.name in review_mails[0].body
    assert "aldrig genomgången" in review_mails[0].body
    _run()
    assert len([m for m in mail.outbox if "årliga genomgång" in m.subject]) == 1
