"""Mandate services and states (4:2, 4:3): boundaries in Europe/Stockholm, overlaps, who may do what."""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
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

from ..factories import ChannelFactory, MandateFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
SCOPE = "Publicera evenemang och svara på frågor."


def _actions(subject):
    return [entry.action for entry in selectors.history_for(subject)]


def _grant(world, *, actor=None, channel=None, employee=None, **kwargs):
    return mandate_grant(
        actor=actor or world.users["manager"],
        channel=channel or world.channel,
        employee=employee or world.users["employee"],
        scope=kwargs.pop("scope", SCOPE),
        **kwargs,
    )


# States follow from data, on the municipality's day.


def _acknowledged(world, valid_from, valid_until):
    return MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=valid_from,
        valid_until=valid_until,
        acknowledged_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("utc", "state"),
    [
        # 1 June 2026 begins at 22:00 UTC on 31 May (CEST, UTC+2).
        (datetime(2026, 5, 31, 21, 59), Mandate.State.NOT_STARTED),
        (datetime(2026, 5, 31, 22, 30), Mandate.State.ACTIVE),
        # 31 December 2026 ends at 23:00 UTC (CET, UTC+1): 23:30 UTC is already 1 January in Stockholm.
        (datetime(2026, 12, 31, 22, 59), Mandate.State.ACTIVE),
        (datetime(2026, 12, 31, 23, 30), Mandate.State.EXPIRED),
    ],
)
def test_mandate_state_boundaries_follow_stockholm_day(world, utc, state):
    """A mandate is active from the first to the last day inclusive, as days fall in Europe/Stockholm."""
    mandate = _acknowledged(world, date(2026, 6, 1), date(2026, 12, 31))
    with time_machine.travel(utc.replace(tzinfo=UTC), tick=False):
        assert mandate.state == state
        assert Mandate.objects.active().filter(pk=mandate.pk).exists() == (state == Mandate.State.ACTIVE)
        assert permissions.can_moderate(world.users["employee"], world.channel) == (state == Mandate.State.ACTIVE)
        assert permissions.is_writer(world.users["employee"]) == (state == Mandate.State.ACTIVE)


def test_mandate_state_awaiting_until_acknowledged_then_revoked(world):
    """Unacknowledged is awaiting (even before the start); revoked wins over everything; past the end is expired."""
    today = timezone.localdate()
    mandate = MandateFactory(employee=world.users["employee"], channel=world.channel, valid_from=today + timedelta(5))
    assert mandate.state == Mandate.State.AWAITING_ACKNOWLEDGEMENT
    assert mandate.state_on(mandate.valid_until + timedelta(days=1)) == Mandate.State.EXPIRED
    assert list(Mandate.objects.awaiting_acknowledgement()) == [mandate]
    mandate.acknowledged_at = timezone.now()
    assert mandate.state == Mandate.State.NOT_STARTED
    mandate.revoked_at = timezone.now()
    assert mandate.state == Mandate.State.REVOKED


def test_mandate_queryset_states_agree_with_state_on(world):
    """Every QuerySet state filter returns exactly the mandates whose computed state says so."""
    today = timezone.localdate()
    employee, channel = world.users["employee"], world.channel
    now = timezone.now()
    made = {
        Mandate.State.ACTIVE: MandateFactory(employee=employee, channel=channel, acknowledged_at=now),
        Mandate.State.AWAITING_ACKNOWLEDGEMENT: MandateFactory(employee=employee, channel=world.other_channel),
        Mandate.State.NOT_STARTED: MandateFactory(
            employee=employee, channel=channel, role="moderator", valid_from=today + timedelta(3), acknowledged_at=now
        ),
        Mandate.State.EXPIRED: MandateFactory(
            employee=employee, channel=channel, valid_from=today - timedelta(400), valid_until=today - timedelta(35)
        ),
        Mandate.State.REVOKED: MandateFactory(
            employee=employee,
            channel=channel,
            role="account_admin",
            revoked_at=now,
            revoked_by=world.users["manager"],
            revocation_reason="Slutat.",
        ),
    }
    mine = Mandate.objects.filter(employee=employee)
    assert set(mine.active()) == {made[Mandate.State.ACTIVE]}
    assert set(mine.awaiting_acknowledgement()) == {made[Mandate.State.AWAITING_ACKNOWLEDGEMENT]}
    assert set(mine.not_started()) == {made[Mandate.State.NOT_STARTED]}
    assert set(mine.expired()) == {made[Mandate.State.EXPIRED]}
    assert set(mine.revoked()) == {made[Mandate.State.REVOKED]}
    for state, mandate in made.items():
        assert mandate.state == state


def test_mandate_cannot_be_deleted(world):
    """Mandates are records; they are never deleted."""
    with pytest.raises(TypeError):
        world.mandate.delete()
    with pytest.raises(TypeError):
        Mandate.objects.all().delete()


# Granting.


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


# Acknowledging.


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


def test_guidelines_copy_equals_shared_text():
    """The repository's copy is the same text as ../shared/guidelines/ (checked where that folder exists).

    A git worktree sits one folder deeper than the checkout, so the folders above are searched too.
    """
    base = Path(settings.BASE_DIR)
    candidates = [folder / "shared" / "guidelines" / guidelines.GUIDELINES_FILE.name for folder in base.parents]
    shared = next((path for path in candidates if path.exists()), None)
    if shared is None:
        pytest.skip(f"no shared/guidelines/ beside {base} or above it")
    assert guidelines.read_text() == shared.read_text(encoding="utf-8")


def test_guidelines_render_escapes_html_and_shifts_headings():
    html = guidelines.render("# Titel\n\n<script>alert(1)</script>\n\n1. Punkt")
    assert "<script>" not in html
    assert "<h2>Titel</h2>" in html
    assert "<ol>" in html


# Revoking.


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


# Renewing.


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


# Closing a channel; expiry.


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


def test_orphaned_channels_are_active_channels_without_an_active_writer(world):
    manager = world.users["manager"]
    assert list(selectors.orphaned_channels(manager)) == []
    lonely = ChannelFactory(unit=world.unit, name="Ensam kanal")
    MandateFactory(channel=lonely, role=Mandate.Role.MODERATOR, acknowledged_at=timezone.now())
    MandateFactory(channel=lonely, role=Mandate.Role.WRITER)  # awaiting acknowledgement: not yet a writer
    assert list(selectors.orphaned_channels(manager)) == [lonely]
