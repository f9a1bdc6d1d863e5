"""registry.services.mandates: grant (and who may grant whom, 4:2), acknowledge, revoke, renew, expiries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import guidelines, permissions, selectors
from registry.models import Channel, GuidelineVersion, HistoryEntry, Mandate
from registry.services.channels import channel_close
from registry.services.mandates import (
    mandate_acknowledge,
    mandate_default_until,
    mandate_grant,
    mandate_grant_many,
    mandate_renew,
    mandate_revoke,
    mandates_record_expiries,
)

from ...conftest import ROLES
from ...factories import ChannelFactory, MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


SCOPE = "Publicera evenemang och svara på frågor."


def _grant(world, *, actor=None, channel=None, employee=None, **kwargs):
    return mandate_grant(
        actor=actor or world.users["manager"],
        channel=channel or world.channel,
        employee=employee or world.users["employee"],
        scope=kwargs.pop("scope", SCOPE),
        **kwargs,
    )


def _actions(subject):
    return [entry.action for entry in selectors.history_for(subject)]


GRANT_SCOPE = "Svara på frågor om bibliotekets öppettider."


def _grant_as(world, *, actor, employee, channel=None):
    return mandate_grant(actor=actor, channel=channel or world.channel, employee=employee, scope=GRANT_SCOPE)


# The manager's own mandate on the unit's channel, tried by every role.
OWN_MANDATE_OUTCOME = {
    "employee": PermissionDenied,
    "writer": PermissionDenied,
    "manager": "self_grant",
    "other_manager": PermissionDenied,  # a manager of another unit
    "web_team": None,
    "archivist": PermissionDenied,
    "admin": PermissionDenied,
}


def test_mandate_grant_by_unit_manager_records_history(world):
    """A manager of the channel's unit grants; the mandate awaits acknowledgement; history says who and why."""
    mandate = _grant(world, role=Mandate.Role.MODERATOR)
    assert mandate.state == Mandate.State.AWAITING_ACKNOWLEDGEMENT
    assert mandate.granted_by == world.users["manager"]
    entry = selectors.history_for(mandate).get()
    assert (entry.action, entry.actor, entry.reason) == ("mandate.granted", world.users["manager"], SCOPE)


def test_mandate_grant_default_and_maximum_period(world, settings):
    """The end date defaults to MANDATE_DEFAULT_DAYS of validity and may not exceed MANDATE_MAX_DAYS."""
    today = timezone.localdate()
    mandate = _grant(world)
    assert (mandate.valid_from, mandate.valid_until) == (today, today + timedelta(days=364))
    settings.MANDATE_MAX_DAYS = 30
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, employee=world.users["archivist"], valid_until=today + timedelta(days=30))
    assert excinfo.value.code == "too_long"
    assert _grant(world, employee=world.users["archivist"], valid_until=today + timedelta(days=29))


@pytest.mark.parametrize(
    ("offsets", "code"),
    [((-1, 10), "past_start"), ((10, 9), "period_order")],
)
def test_mandate_grant_refuses_bad_periods(world, offsets, code):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, valid_from=today + timedelta(offsets[0]), valid_until=today + timedelta(offsets[1]))
    assert excinfo.value.code == code


def test_mandate_grant_refuses_other_units_channel(world):
    """A manager cannot grant on another unit's channel; the web team does not grant either."""
    with pytest.raises(PermissionDenied):
        _grant(world, channel=world.other_channel)
    for role in ["web_team", "writer", "employee", "archivist", "admin"]:
        with pytest.raises(PermissionDenied):
            _grant(world, actor=world.users[role])
    assert not Mandate.objects.filter(employee=world.users["employee"]).exists()


@pytest.mark.parametrize("status", [Channel.Status.PROPOSED, Channel.Status.CLOSED, Channel.Status.REJECTED])
def test_mandate_grant_refuses_channel_not_in_use(world, status):
    """A mandate on a proposed, closed or rejected channel cannot be granted."""
    extra = {"closed_on": timezone.localdate()} if status == Channel.Status.CLOSED else {}
    extra |= {"rejection_reason": "Nej."} if status == Channel.Status.REJECTED else {}
    channel = ChannelFactory(unit=world.unit, status=status, **extra)
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, channel=channel)
    assert excinfo.value.code == "channel_not_open"


def test_mandate_grant_allowed_on_paused_channel(world):
    channel = ChannelFactory(unit=world.unit, status=Channel.Status.PAUSED)
    assert _grant(world, channel=channel).channel == channel


def test_mandate_grant_refuses_overlap(world):
    """An employee cannot hold two overlapping mandates for the same channel and role."""
    today = timezone.localdate()
    _grant(world, valid_from=today, valid_until=today + timedelta(days=100))
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, valid_from=today + timedelta(days=100), valid_until=today + timedelta(days=200))
    assert excinfo.value.code == "overlap"
    # The day after the end, another role, or another channel: no overlap.
    _grant(world, valid_from=today + timedelta(days=101), valid_until=today + timedelta(days=200))
    _grant(world, role=Mandate.Role.MODERATOR, valid_from=today, valid_until=today + timedelta(days=10))
    _grant(world, channel=ChannelFactory(unit=world.unit), valid_from=today, valid_until=today + timedelta(days=10))


def test_mandate_grant_after_revocation_is_allowed(world):
    """A revoked mandate no longer blocks a new one for the same period."""
    mandate = _grant(world)
    mandate_revoke(mandate=mandate, actor=world.users["manager"], reason="Fel period.")
    assert _grant(world).pk != mandate.pk


def test_mandate_grant_refuses_empty_scope_and_inactive_employee(world):
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, scope="   ")
    assert excinfo.value.code == "scope_required"
    gone = UserFactory(username="slutat", is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, employee=gone)
    assert excinfo.value.code == "inactive_employee"


def test_mandate_grant_many_is_all_or_nothing(world):
    """Several channels in one grant: one mandate each, or none when one of them is refused."""
    second = ChannelFactory(unit=world.unit)
    third = ChannelFactory(unit=world.unit)
    granted = mandate_grant_many(
        actor=world.users["manager"], channels=[world.channel, second], employee=world.users["employee"], scope=SCOPE
    )
    assert {m.channel for m in granted} == {world.channel, second}
    with pytest.raises(ValidationError) as excinfo:
        mandate_grant_many(
            actor=world.users["manager"], channels=[third, second], employee=world.users["employee"], scope=SCOPE
        )
    assert excinfo.value.code == "overlap"
    assert not Mandate.objects.filter(channel=third).exists()
    with pytest.raises(PermissionDenied):
        mandate_grant_many(
            actor=world.users["manager"],
            channels=[third, world.other_channel],
            employee=world.users["employee"],
            scope=SCOPE,
        )
    assert not Mandate.objects.filter(channel=third).exists()


def test_mandate_acknowledge_records_time_and_guidelines_version(world):
    """The employee confirms; the time and the version of the guidelines they read are kept (4:2)."""
    mandate = _grant(world)
    moment = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        mandate_acknowledge(mandate=mandate, actor=world.users["employee"], confirmed=True)
    mandate.refresh_from_db()
    assert mandate.acknowledged_at == moment
    assert mandate.acknowledged_version.sha256 == guidelines.digest(guidelines.read_text())
    assert mandate.acknowledged_version.text == guidelines.read_text()
    assert mandate.state == Mandate.State.ACTIVE
    assert _actions(mandate) == ["mandate.acknowledged", "mandate.granted"]


def test_mandate_acknowledge_only_by_the_employee(world):
    """Nobody else, not even the manager or the web team, acknowledges for the employee."""
    mandate = _grant(world)
    for role in ["manager", "web_team", "writer", "admin"]:
        with pytest.raises(PermissionDenied):
            mandate_acknowledge(mandate=mandate, actor=world.users[role], confirmed=True)
    mandate.refresh_from_db()
    assert mandate.acknowledged_at is None


def test_mandate_acknowledge_requires_confirmation_and_a_pending_mandate(world):
    mandate = _grant(world)
    with pytest.raises(ValidationError) as excinfo:
        mandate_acknowledge(mandate=mandate, actor=world.users["employee"], confirmed=False)
    assert excinfo.value.code == "confirmation_required"
    mandate_acknowledge(mandate=mandate, actor=world.users["employee"], confirmed=True)
    with pytest.raises(ValidationError) as excinfo:
        mandate_acknowledge(mandate=mandate, actor=world.users["employee"], confirmed=True)
    assert excinfo.value.code == "not_awaiting"
    revoked = _grant(world, role=Mandate.Role.MODERATOR)
    mandate_revoke(mandate=revoked, actor=world.users["manager"], reason="Behövs inte.")
    with pytest.raises(ValidationError) as excinfo:
        mandate_acknowledge(mandate=revoked, actor=world.users["employee"], confirmed=True)
    assert excinfo.value.code == "not_awaiting"


def test_mandate_acknowledge_records_new_version_when_guidelines_change(world, tmp_path, monkeypatch):
    """When the guidelines text changes, new acknowledgements record the new version; old ones keep theirs."""
    first = _grant(world)
    mandate_acknowledge(mandate=first, actor=world.users["employee"], confirmed=True)
    changed = tmp_path / "riktlinjer.md"
    changed.write_text(guidelines.read_text() + "\n11. En ny punkt.\n", encoding="utf-8")
    monkeypatch.setattr(guidelines, "GUIDELINES_FILE", changed)
    second = _grant(world, role=Mandate.Role.MODERATOR)
    mandate_acknowledge(mandate=second, actor=world.users["employee"], confirmed=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.acknowledged_version != second.acknowledged_version
    assert "En ny punkt" in second.acknowledged_version.text
    assert GuidelineVersion.objects.count() == 2


@pytest.mark.parametrize("role", ["manager", "co_manager", "web_team"])
def test_mandate_revoke_by_granting_manager_other_manager_or_web_team(world, role):
    """The granting manager, another manager of the unit and the web team may revoke, with a reason."""
    co_manager = UserFactory(username="chef3")
    world.unit.managers.add(co_manager)
    actor = co_manager if role == "co_manager" else world.users[role]
    mandate_revoke(mandate=world.mandate, actor=actor, reason="Har bytt tjänst.")
    world.mandate.refresh_from_db()
    assert world.mandate.state == Mandate.State.REVOKED
    assert (world.mandate.revoked_by, world.mandate.revocation_reason) == (actor, "Har bytt tjänst.")
    entry = selectors.history_for(world.mandate).first()
    assert (entry.action, entry.actor, entry.reason) == ("mandate.revoked", actor, "Har bytt tjänst.")
    assert not permissions.can_moderate(world.users["writer"], world.channel)


def test_mandate_revoke_by_granting_manager_who_left_the_unit(world):
    """The granting manager may still revoke after leaving the unit's managers."""
    world.unit.managers.remove(world.users["manager"])
    mandate_revoke(mandate=world.mandate, actor=world.users["manager"], reason="Avslutad.")
    world.mandate.refresh_from_db()
    assert world.mandate.revoked_at is not None


@pytest.mark.parametrize("role", ["writer", "employee", "other_manager", "archivist", "admin"])
def test_mandate_revoke_refused_to_others(world, role):
    with pytest.raises(PermissionDenied):
        mandate_revoke(mandate=world.mandate, actor=world.users[role], reason="Nej.")


def test_mandate_revoke_requires_reason_and_a_current_mandate(world):
    manager = world.users["manager"]
    with pytest.raises(ValidationError) as excinfo:
        mandate_revoke(mandate=world.mandate, actor=manager, reason="  ")
    assert excinfo.value.code == "reason_required"
    mandate_revoke(mandate=world.mandate, actor=manager, reason="Klart.")
    with pytest.raises(ValidationError) as excinfo:
        mandate_revoke(mandate=world.mandate, actor=manager, reason="Igen.")
    assert excinfo.value.code == "already_revoked"
    today = timezone.localdate()
    old = MandateFactory(
        channel=world.channel, granted_by=manager, valid_from=today - timedelta(90), valid_until=today - timedelta(1)
    )
    with pytest.raises(ValidationError) as excinfo:
        mandate_revoke(mandate=old, actor=manager, reason="För sent.")
    assert excinfo.value.code == "already_ended"


def test_mandate_renew_starts_the_day_after_the_old_ends(world):
    """A renewal is a new mandate from the day after the old one ends, linked to it, recorded on both."""
    old = world.mandate
    renewal = mandate_renew(mandate=old, actor=world.users["manager"])
    assert renewal.renewal_of == old
    assert renewal.valid_from == old.valid_until + timedelta(days=1)
    assert renewal.valid_until == mandate_default_until(renewal.valid_from)
    assert (renewal.employee, renewal.channel, renewal.role, renewal.scope) == (
        old.employee,
        old.channel,
        old.role,
        old.scope,
    )
    assert renewal.state == Mandate.State.AWAITING_ACKNOWLEDGEMENT
    assert _actions(old)[0] == "mandate.renewed"
    assert _actions(renewal) == ["mandate.granted"]
    with pytest.raises(ValidationError) as excinfo:
        mandate_renew(mandate=old, actor=world.users["manager"])
    assert excinfo.value.code == "already_renewed"
    assert not Mandate.objects.expiring(within_days=400).filter(pk=old.pk).exists()


def test_mandate_renew_of_an_ended_mandate_starts_today(world):
    today = timezone.localdate()
    old = MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(100),
        valid_until=today - timedelta(3),
        acknowledged_at=timezone.now(),
    )
    renewal = mandate_renew(mandate=old, actor=world.users["manager"], valid_until=today + timedelta(30))
    assert (renewal.valid_from, renewal.valid_until) == (today, today + timedelta(30))


def test_mandate_renew_refused_to_web_team_other_unit_and_revoked(world):
    for role in ["web_team", "other_manager", "writer"]:
        with pytest.raises(PermissionDenied):
            mandate_renew(mandate=world.mandate, actor=world.users[role])
    mandate_revoke(mandate=world.mandate, actor=world.users["manager"], reason="Slut.")
    with pytest.raises(ValidationError) as excinfo:
        mandate_renew(mandate=world.mandate, actor=world.users["manager"])
    assert excinfo.value.code == "already_revoked"


def test_channel_close_ends_its_mandates(world):
    """Closing a channel revokes its current mandates with the closing reason, kept in their history."""
    today = timezone.localdate()
    pending = _grant(world, valid_from=today + timedelta(days=5))
    expired = MandateFactory(
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(90),
        valid_until=today - timedelta(1),
    )
    channel_close(channel=world.channel, actor=world.users["web_team"], reason="Kontot läggs ner.")
    for mandate in (world.mandate, pending):
        mandate.refresh_from_db()
        assert mandate.state == Mandate.State.REVOKED
        assert mandate.revoked_by == world.users["web_team"]
        assert "Kontot läggs ner." in mandate.revocation_reason
        assert _actions(mandate)[0] == "mandate.revoked"
    expired.refresh_from_db()
    assert expired.revoked_at is None
    assert not permissions.can_moderate(world.users["writer"], world.channel)
    assert list(selectors.appointed_writers(world.channel)) == []


def test_mandates_record_expiries_once(world):
    """The daily run records "expired" once per mandate, by the system, however often it runs."""
    today = timezone.localdate()
    old = MandateFactory(
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(90),
        valid_until=today - timedelta(1),
        acknowledged_at=timezone.now() - timedelta(89),
    )
    assert mandates_record_expiries() == 1
    assert mandates_record_expiries() == 0
    entry = HistoryEntry.objects.get(action="mandate.expired")
    assert (entry.subject, entry.actor) == (old, None)
    # The writer's mandate expires when its last day has passed.
    assert mandates_record_expiries(today=world.mandate.valid_until) == 0
    assert mandates_record_expiries(today=world.mandate.valid_until + timedelta(days=1)) == 1


def test_manager_cannot_grant_himself(world, manager):
    with pytest.raises(ValidationError) as excinfo:
        _grant_as(world, actor=manager, employee=manager)
    assert excinfo.value.code == "self_grant"
    with pytest.raises(ValidationError) as excinfo:
        mandate_grant_many(actor=manager, channels=[world.channel], employee=manager, scope=GRANT_SCOPE)
    assert excinfo.value.code == "self_grant"
    assert not Mandate.objects.filter(employee=manager).exists()


def test_nobody_grants_an_administrator(world, manager, web_team):
    admin = world.users["admin"]
    world.unit.managers.add(admin)  # even an administrator who manages the unit
    for actor in (manager, web_team):
        with pytest.raises(ValidationError) as excinfo:
            _grant_as(world, actor=actor, employee=admin)
        assert excinfo.value.code == "administrator"
    assert not Mandate.objects.filter(employee=admin).exists()


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_managers_own_mandate_for_every_role(world, manager, role):
    """A manager's own mandate comes from the web team or another manager of the unit, nobody else."""
    expected = OWN_MANDATE_OUTCOME[role]
    actor = world.users[role]
    if expected is None:
        mandate = _grant_as(world, actor=actor, employee=manager)
        assert mandate.granted_by == actor
    elif expected is PermissionDenied:
        with pytest.raises(PermissionDenied):
            _grant_as(world, actor=actor, employee=manager)
    else:
        with pytest.raises(ValidationError) as excinfo:
            _grant_as(world, actor=actor, employee=manager)
        assert excinfo.value.code == expected


def test_another_manager_of_the_unit_grants_the_managers_mandate(world, manager):
    colleague = UserFactory(username="chef3")
    world.unit.managers.add(colleague)
    assert _grant_as(world, actor=colleague, employee=manager).granted_by == colleague
    assert _grant_as(world, actor=manager, employee=colleague).granted_by == manager


def test_web_team_grants_only_the_units_managers(world, web_team):
    """The web team does not appoint a unit's staff: that stays the manager's (4:2)."""
    with pytest.raises(PermissionDenied):
        _grant_as(world, actor=web_team, employee=world.users["employee"])
    with pytest.raises(PermissionDenied):  # a manager, but of another unit
        _grant_as(world, actor=web_team, employee=world.users["other_manager"])


def test_web_team_member_who_manages_cannot_grant_himself(world, web_team):
    world.unit.managers.add(web_team)
    web_team.__dict__.pop("_kanal_managed_unit_ids", None)  # forget the remembered answer
    with pytest.raises(ValidationError) as excinfo:
        _grant_as(world, actor=web_team, employee=web_team)
    assert excinfo.value.code == "self_grant"


def test_renewal_of_own_mandate_follows_the_same_rule(world, manager, web_team):
    """Renewing is granting again: the manager does not renew his own mandate; the web team does."""
    today = timezone.localdate()
    own = MandateFactory(
        employee=manager,
        channel=world.channel,
        granted_by=web_team,
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=10),
        acknowledged_at=timezone.now(),
    )
    assert not permissions.can_renew_mandate(manager, own)
    with pytest.raises(ValidationError) as excinfo:
        mandate_renew(mandate=own, actor=manager)
    assert excinfo.value.code == "self_grant"
    assert permissions.can_renew_mandate(web_team, own)
    assert mandate_renew(mandate=own, actor=web_team).granted_by == web_team
