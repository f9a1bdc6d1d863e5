"""Platform account security: the flags (registry.selectors.account_security), the record, the reminder."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry import reminders
from registry.models import AccountSecurityCheck, HistoryEntry, Mandate
from registry.selectors.account_security import account_security, account_security_flagged
from registry.services.account_security import account_security_record
from registry.services.reviews import channel_review_record

from ..factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin(world, username, **kwargs):
    today = timezone.localdate()
    return MandateFactory(
        employee=UserFactory(username=username),
        channel=world.channel,
        role=Mandate.Role.ACCOUNT_ADMIN,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=300),
        acknowledged_at=timezone.now() - timedelta(days=10),
        **kwargs,
    ).employee


@pytest.fixture
def admins(world):
    return [_admin(world, "adm1"), _admin(world, "adm2")]


def _flags(channel, **kwargs):
    return account_security([channel], **kwargs)[0].flags


def _record(world, admins, **kwargs):
    data = {"administrators": admins, "two_factor": True, "recovery_address": "kultur@norsjo.example"} | kwargs
    return account_security_record(channel=world.channel, actor=world.users["manager"], **data)


def test_a_channel_never_checked_is_flagged(world):
    assert _flags(world.channel) == ("unchecked",)


def test_a_good_check_clears_every_flag_and_is_recorded_in_history(world, admins):
    check = _record(world, admins)
    assert _flags(world.channel) == ()
    assert set(check.administrators.all()) == set(admins)
    entry = HistoryEntry.objects.of(world.channel).get(action="channel.account_security_checked")
    assert entry.changes["recovery_address"] == "kultur@norsjo.example"


def test_flags_few_administrators_no_two_factor_and_a_persons_recovery_address(world, admins):
    # The recovery address is the e-mail of an employee without a mandate on the channel.
    _record(world, admins[:1], two_factor=False, recovery_address="ANSTALLD@norsjo.example")
    assert _flags(world.channel) == ("few_administrators", "no_two_factor", "personal_recovery")


def test_a_writer_s_own_address_is_not_flagged_while_the_mandate_is_active(world, admins):
    _record(world, admins, recovery_address="skribent@norsjo.example")
    assert _flags(world.channel) == ()
    # A year later the writer's mandate has ended (and the check is old).
    later = world.mandate.valid_until + timedelta(days=1)
    assert "personal_recovery" in _flags(world.channel, on=later)


def test_an_administrator_whose_mandate_ends_raises_the_flag(world, admins):
    _record(world, admins)
    Mandate.objects.filter(employee=admins[1]).update(
        revoked_at=timezone.now(), revoked_by=world.users["manager"], revocation_reason="Slutat."
    )
    assert _flags(world.channel) == ("few_administrators",)


def test_a_check_older_than_12_months_is_flagged(world, admins):
    _record(world, admins, checked_on=timezone.localdate() - timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(days=360)):
        assert "unchecked" in _flags(world.channel)


def test_account_security_record_refuses_an_administrator_without_mandate(world, admins):
    with pytest.raises(ValidationError) as excinfo:
        _record(world, [*admins, world.users["employee"]])
    assert excinfo.value.code == "administrator_without_mandate"
    assert "administrators" in excinfo.value.message_dict
    assert not AccountSecurityCheck.objects.exists()


def test_account_security_record_needs_a_recovery_address(world, admins):
    with pytest.raises(ValidationError) as excinfo:
        _record(world, admins, recovery_address=" ")
    assert excinfo.value.code == "recovery_address_required"


def test_no_field_can_hold_a_password():
    """Never store a password: no field of the check is named or described as one."""
    names = {field.name for field in AccountSecurityCheck._meta.get_fields()}
    assert not {name for name in names if "pass" in name or "secret" in name}


def test_the_yearly_review_records_account_security(world, admins):
    review = channel_review_record(
        channel=world.channel,
        actor=world.users["manager"],
        still_needed=True,
        purpose_ok=True,
        writers_ok=True,
        administrators=admins,
        two_factor=True,
        recovery_address="kultur@norsjo.example",
    )
    assert review.security_checks.get().channel == world.channel
    assert world.channel not in [state.channel for state in account_security_flagged()]


def test_flagged_accounts_are_scoped_to_a_managers_units(world):
    assert {s.channel for s in account_security_flagged(world.users["manager"])} == {world.channel}
    assert {s.channel for s in account_security_flagged(world.users["web_team"])} == {
        world.channel,
        world.other_channel,
    }


def test_the_daily_run_reminds_the_units_managers_once_per_state(world, admins):
    reminders.send_due()
    sent = [m for m in mail.outbox if "säkerhet" in m.subject]
    assert sorted(m.to[0] for m in sent) == ["chef2@norsjo.example", "chef@norsjo.example"]
    assert "inte kontrollerat" in sent[0].body and "/granskning/" in sent[0].body
    mail.outbox.clear()
    reminders.send_due()
    assert not [m for m in mail.outbox if "säkerhet" in m.subject]
    _record(world, admins, two_factor=False)
    reminders.send_due()
    [again] = [m for m in mail.outbox if "säkerhet" in m.subject]
    assert again.to == ["chef@norsjo.example"] and "tvåstegsverifiering är avstängd" in again.body


def test_start_pages_show_the_flag_until_the_review_records_a_good_check(client, world, admins):
    client.force_login(world.users["manager"])
    assert "inte kontrollerat de senaste 12 månaderna" in client.get(reverse("home")).content.decode()
    url = reverse("registry:review_create", kwargs={"pk": world.channel.pk})
    form = client.get(url).content.decode()
    assert "adm1" in form or admins[0].get_full_name() in form
    assert "lösenord" in form  # the help text says no password is kept
    response = client.post(
        url,
        {
            "still_needed": "yes",
            "purpose_ok": "yes",
            "writers_ok": "yes",
            "administrators": [a.pk for a in admins],
            "two_factor": "yes",
            "recovery_address": "kultur@norsjo.example",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert world.channel.name not in html.split("account-security-heading")[-1]
    client.force_login(world.users["web_team"])
    html = client.get(reverse("home")).content.decode().split("account-security-heading")[-1]
    assert world.other_channel.name in html and world.channel.name not in html


def _home(user, **kwargs):
    from registry.selectors.account_security import account_security_home

    home = account_security_home(user, **kwargs)
    return [(state.channel.pk, state.check and state.check.pk, state.flags) for state in home["flagged"]], home["count"]


def _rule(user, **kwargs):
    flagged = account_security_flagged(user, **kwargs)
    return [(state.channel.pk, state.check and state.check.pk, state.flags) for state in flagged], len(flagged)


@pytest.mark.parametrize(
    "check",
    [
        {},  # in order
        {"two_factor": False, "recovery_address": "ANSTALLD@norsjo.example", "few": True},
        {"recovery_address": "skribent@norsjo.example"},
        {"checked_on": "old"},
    ],
)
def test_the_start_page_reads_the_same_flags_as_the_rule(world, admins, check):
    """account_security_home (one query compiled once) answers as account_security_flagged, for each role."""
    check = dict(check)
    if check.pop("few", False):
        admins = admins[:1]
    if check.get("checked_on") == "old":
        # Two checks: the latest (two-factor off) is the one that counts.
        _record(world, admins, checked_on=timezone.localdate() - timedelta(days=3), two_factor=False)
        _record(world, admins, checked_on=timezone.localdate() - timedelta(days=9))
    else:
        _record(world, admins, **check)
    for role in ("web_team", "manager"):
        user = world.users[role]
        assert _home(user) == _rule(user)
        later = timezone.localdate() + timedelta(days=370)
        assert _home(user, on=later) == _rule(user, on=later)
    assert _home(world.users["web_team"])[1] >= 1
