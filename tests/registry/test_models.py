"""registry.models: row rules the database enforces, computed states, records that are never deleted."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from registry import history, permissions
from registry.models import Channel, HistoryEntry, Mandate, Platform
from registry.platforms import lookalike_key

from ..factories import ChannelFactory, MandateFactory

pytestmark = pytest.mark.django_db


UTC = ZoneInfo("UTC")


def _acknowledged(world, valid_from, valid_until):
    return MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=valid_from,
        valid_until=valid_until,
        acknowledged_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_channel_database_refuses_published_inactive_channel(world):
    """The row rule holds even when code bypasses the services."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.filter(pk=world.proposed.pk).update(is_published=True)


def test_platform_catalogue_is_seeded(catalogue):
    slugs = set(Platform.objects.values_list("slug", flat=True))
    assert {"facebook", "instagram", "youtube", "x", "linkedin", "flickr", "tiktok", "threads", "mastodon"} <= slugs
    assert {"blog", "forum", "other"} <= slugs


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


def test_stored_lookalike_key_is_the_python_key(world):
    """The database computes the same key as Python, so the index finds what Python looks for."""
    handles = ["Norsjo.Kommun", "@n0rsj0_k0mmun", "norsjökornmun", "ÅÄÖ-vvåäö", "nоrsjо", "", "x" * 200]
    platform = Platform.objects.get(slug="facebook")
    for n, handle in enumerate(handles):
        ChannelFactory(unit=world.unit, platform=platform, url=f"https://facebook.com/k{n}", handle=handle)
    stored = dict(Channel.objects.filter(handle__in=handles).values_list("handle", "lookalike_key"))
    assert stored == {handle: lookalike_key(handle) for handle in handles}
    heads = Channel.objects.filter(handle__in=handles).values_list("handle", "lookalike_head", "lookalike_tail")
    assert {h: (head, tail) for h, head, tail in heads} == {
        h: (lookalike_key(h)[:5], lookalike_key(h)[-5:] if lookalike_key(h) else "") for h in handles
    }


def _history_entry(world):
    return history.record(world.channel, action="channel.updated", actor=world.users["web_team"], changes={})


def test_history_entry_refuses_a_second_save(world):
    """A history entry is written once (pretix's LogEntry): saving it again raises."""
    entry = _history_entry(world)
    entry.reason = "Ändrad i efterhand."
    with pytest.raises(TypeError):
        entry.save()
    entry.refresh_from_db()
    assert entry.reason == ""


def test_history_entry_refuses_delete(world):
    """A history entry is never deleted, one by one or in bulk."""
    entry = _history_entry(world)
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(TypeError):
        HistoryEntry.objects.all().delete()
    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_history_entry_refuses_update(world):
    """No queryset path changes a history entry: update, bulk_update, update_or_create."""
    entry = _history_entry(world)
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).update(reason="Ändrad.")
    entry.reason = "Ändrad."
    with pytest.raises(TypeError):
        HistoryEntry.objects.bulk_update([entry], ["reason"])
    with pytest.raises(TypeError):
        HistoryEntry.objects.update_or_create(pk=entry.pk, defaults={"reason": "Ändrad."})
    assert HistoryEntry.objects.get(pk=entry.pk).reason == ""
