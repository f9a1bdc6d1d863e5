"""registry.services.channels: registration, the lifecycle, edits, and proposed changes of an
official address (issue 10, item 7)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from registry import selectors
from registry.models import Channel, ChannelChange, HistoryEntry, Platform
from registry.permissions import address_change_needs_approval
from registry.services.channels import (
    channel_approve,
    channel_change_approve,
    channel_change_reject,
    channel_close,
    channel_pause,
    channel_register,
    channel_reject,
    channel_resume,
    channel_set_published,
    channel_update,
)

from ...factories import ChannelFactory

pytestmark = pytest.mark.django_db


def _propose(world, actor, url="https://www.instagram.com/norsjo.simhall/", unit=None):
    return channel_register(
        actor=actor,
        unit=unit or world.unit,
        url=url,
        name="Norsjö simhall",
        purpose="Öppettider och aktiviteter.",
        audience="Badgäster.",
    )


@pytest.fixture(autouse=True)
def _fresh_public_list(settings):
    """Read the public list's validators on every request and start with an empty cache."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


NEW_URL = "https://www.facebook.com/norsjo.bibliotek.ny"


NEW_NORMAL = "https://facebook.com/norsjo.bibliotek.ny"


def test_channel_register_by_manager_is_a_proposal_with_recognised_platform(world, manager):
    """A manager's registration waits for approval; platform and handle come from the URL."""
    channel = _propose(world, manager)
    assert channel.status == Channel.Status.PROPOSED
    assert channel.platform.slug == "instagram"
    assert channel.handle == "@norsjo.simhall"
    assert channel.url == "https://instagram.com/norsjo.simhall"
    assert [e.action for e in selectors.history_for(channel)] == ["channel.proposed"]


def test_channel_register_by_web_team_is_active_at_once(world, web_team):
    """The web team registers channels directly."""
    channel = _propose(world, web_team)
    assert channel.status == Channel.Status.ACTIVE
    assert not channel.is_published


def test_channel_register_refuses_other_units(world, manager):
    """A manager cannot propose a channel for a unit they do not manage."""
    with pytest.raises(PermissionDenied):
        _propose(world, manager, unit=world.other_unit)


@pytest.mark.parametrize("role", ["employee", "writer", "archivist", "admin"])
def test_channel_register_refuses_roles_without_the_right(world, role):
    """Only managers and the web team register channels."""
    with pytest.raises(PermissionDenied):
        _propose(world, world.users[role])


def test_channel_register_refuses_duplicate_and_names_existing(world, manager):
    """The same page pasted differently is refused with the existing channel."""
    with pytest.raises(ValidationError) as excinfo:
        _propose(world, manager, url=world.channel.url.replace("https://", "http://www.").upper())
    assert excinfo.value.code == "duplicate"
    assert excinfo.value.params["channel"] == world.channel


def test_channel_register_allows_address_of_rejected_proposal(world, manager, web_team):
    """A rejected proposal does not block a new proposal for the same address."""
    channel_reject(channel=world.proposed, actor=web_team, reason="Oklart syfte.")
    again = _propose(world, manager, url=world.proposed.url)
    assert again.status == Channel.Status.PROPOSED


def test_channel_approve_makes_proposal_active(world, web_team):
    channel = channel_approve(channel=world.proposed, actor=web_team)
    assert channel.status == Channel.Status.ACTIVE
    with pytest.raises(ValidationError) as excinfo:
        channel_approve(channel=channel, actor=web_team)
    assert excinfo.value.code == "not_proposed"


def test_channel_approve_refused_to_manager(world, manager):
    """A manager cannot approve their own proposal."""
    with pytest.raises(PermissionDenied):
        channel_approve(channel=world.proposed, actor=manager)


def test_channel_reject_requires_reason(world, web_team):
    with pytest.raises(ValidationError) as excinfo:
        channel_reject(channel=world.proposed, actor=web_team, reason="  ")
    assert excinfo.value.code == "reason_required"
    world.proposed.refresh_from_db()
    assert world.proposed.status == Channel.Status.PROPOSED


def test_channel_publish_only_active(world, web_team):
    """Only an active channel goes on the public list; pausing takes it off."""
    with pytest.raises(ValidationError) as excinfo:
        channel_set_published(channel=world.proposed, actor=web_team, published=True)
    assert excinfo.value.code == "not_active"
    channel = channel_pause(channel=world.channel, actor=web_team)
    assert channel.status == Channel.Status.PAUSED and not channel.is_published
    channel = channel_resume(channel=channel, actor=web_team)
    assert channel.status == Channel.Status.ACTIVE and not channel.is_published


def test_channel_close_keeps_channel_with_date(world, web_team):
    """Closing keeps the channel in the register with its closing date; it cannot change after."""
    channel = channel_close(channel=world.channel, actor=web_team, reason="Ersatt av ny sida.")
    assert channel.status == Channel.Status.CLOSED
    assert channel.closed_on is not None
    assert not channel.is_published
    assert Channel.objects.filter(pk=channel.pk).exists()
    with pytest.raises(ValidationError) as excinfo:
        channel_close(channel=channel, actor=web_team, reason="Igen.")
    assert excinfo.value.code == "closed"
    with pytest.raises(PermissionDenied):
        channel_update(channel=channel, actor=web_team, name="Nytt namn")


def test_channel_close_refused_to_manager(world, manager):
    with pytest.raises(PermissionDenied):
        channel_close(channel=world.channel, actor=manager, reason="Behövs inte.")


def test_channel_update_records_changes(world, manager):
    """Every change is kept with old and new value."""
    channel_update(channel=world.channel, actor=manager, name="Biblioteket i Norsjö", purpose="Nytt syfte.")
    entry = selectors.history_for(world.channel).first()
    assert entry.action == "channel.updated"
    assert entry.actor == manager
    assert entry.changes["name"] == ["Norsjö bibliotek", "Biblioteket i Norsjö"]


def test_channel_update_refuses_move_to_foreign_unit(world, manager):
    with pytest.raises(PermissionDenied):
        channel_update(channel=world.channel, actor=manager, unit=world.other_unit)


def test_channel_update_refuses_duplicate_url(world, web_team):
    with pytest.raises(ValidationError) as excinfo:
        channel_update(channel=world.channel, actor=web_team, url=world.other_channel.url)
    assert excinfo.value.code == "duplicate"


def test_channel_update_records_the_proposal_in_history(world, manager):
    """The proposal is kept in the channel's history, field by field, keyed by model field name."""
    channel = world.channel
    channel_update(channel=channel, actor=manager, url=NEW_URL, handle="")
    entry = HistoryEntry.objects.get(action="channel.change_proposed")
    assert entry.actor == manager
    assert entry.changes == {
        "url": [channel.url, NEW_NORMAL],
        "handle": [channel.handle, "norsjo.bibliotek.ny"],
    }
    assert not HistoryEntry.objects.filter(action="channel.updated").exists()
    assert entry.action_label != entry.action  # a label, not the raw code


@pytest.mark.parametrize("status", [Channel.Status.ACTIVE, Channel.Status.PAUSED])
def test_address_change_of_official_channel_needs_approval(world, manager, web_team, status):
    """Active and paused channels are official: the manager proposes, the web team applies directly."""
    channel = world.channel
    Channel.objects.filter(pk=channel.pk).update(status=status, is_published=False)
    channel.refresh_from_db()
    assert address_change_needs_approval(manager, channel)
    assert not address_change_needs_approval(web_team, channel)
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    channel.refresh_from_db()
    assert channel.url != NEW_NORMAL


def test_web_team_edit_applies_directly_and_withdraws_a_pending_proposal(world, manager, web_team):
    """The web team is who approves: its own change applies at once, and an older proposal is withdrawn."""
    channel = world.channel
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    channel_update(channel=channel, actor=web_team, url="https://facebook.com/norsjo.bibliotek2")
    channel.refresh_from_db()
    assert channel.url == "https://facebook.com/norsjo.bibliotek2"
    assert ChannelChange.objects.get().status == ChannelChange.Status.WITHDRAWN
    assert HistoryEntry.objects.filter(action="channel.change_withdrawn").exists()
    assert HistoryEntry.objects.get(action="channel.updated").changes["url"][1] == channel.url


def test_manager_edit_of_proposed_channel_applies_directly(world, manager):
    """A proposed channel is not official yet: the manager corrects its address at once."""
    channel = world.proposed
    assert not address_change_needs_approval(manager, channel)
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    channel.refresh_from_db()
    assert channel.url == NEW_NORMAL
    assert not ChannelChange.objects.exists()


def test_platform_change_needs_approval(world, manager):
    """Changing the platform is a change of address too."""
    channel = ChannelFactory(
        unit=world.unit,
        url="https://norsjo.example/forum",
        platform=Platform.objects.get(slug="other"),
        created_by=world.users["web_team"],
    )
    forum = Platform.objects.get(slug="forum")
    channel_update(channel=channel, actor=manager, platform=forum)
    channel.refresh_from_db()
    assert channel.platform.slug == "other"
    assert ChannelChange.objects.get(channel=channel).platform == forum


def test_a_new_proposal_replaces_the_pending_one(world, manager):
    channel = world.channel
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    channel_update(channel=channel, actor=manager, url=NEW_URL)  # the same again: nothing new
    assert ChannelChange.objects.count() == 1
    channel_update(channel=channel, actor=manager, url="https://facebook.com/norsjo.bibliotek3")
    assert list(ChannelChange.objects.order_by("pk").values_list("status", flat=True)) == ["withdrawn", "pending"]


def test_editing_other_fields_keeps_the_pending_proposal(world, manager):
    channel = world.channel
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    channel_update(channel=channel, actor=manager, url=channel.url, purpose="Ändrat syfte.")
    assert ChannelChange.objects.get().status == "pending"


def test_reject_keeps_the_address_and_needs_a_reason(world, manager, web_team):
    channel = world.channel
    old_url = channel.url
    channel_update(channel=channel, actor=manager, url=NEW_URL)
    change = ChannelChange.objects.get()
    with pytest.raises(ValidationError) as excinfo:
        channel_change_reject(change=change, actor=web_team, reason="  ")
    assert excinfo.value.code == "reason_required"
    channel_change_reject(change=change, actor=web_team, reason="Inte kommunens konto.")
    change.refresh_from_db()
    channel.refresh_from_db()
    assert change.status == "rejected" and change.decided_by == web_team
    assert channel.url == old_url
    entry = HistoryEntry.objects.get(action="channel.change_rejected")
    assert entry.reason == "Inte kommunens konto."
    assert entry.changes["url"] == [old_url, NEW_NORMAL]
    with pytest.raises(ValidationError) as excinfo:
        channel_change_approve(change=change, actor=web_team)
    assert excinfo.value.code == "change_not_pending"


@pytest.mark.parametrize("role", ["manager", "other_manager", "employee", "writer", "archivist", "admin"])
def test_only_the_web_team_decides_a_change(world, manager, role):
    channel_update(channel=world.channel, actor=manager, url=NEW_URL)
    change = ChannelChange.objects.get()
    with pytest.raises(PermissionDenied):
        channel_change_approve(change=change, actor=world.users[role])
    with pytest.raises(PermissionDenied):
        channel_change_reject(change=change, actor=world.users[role], reason="Nej.")
    assert ChannelChange.objects.get().status == "pending"


def test_a_pending_claim_blocks_the_address(world, manager, web_team):
    """No two claims on one address: a pending proposal counts as one."""
    channel_update(channel=world.channel, actor=manager, url=NEW_URL)
    with pytest.raises(ValidationError) as excinfo:
        channel_register(actor=web_team, unit=world.unit, url=NEW_URL, name="Kopia", purpose="Syfte.", audience="Alla.")
    assert excinfo.value.code == "duplicate"
    assert excinfo.value.params["channel"] == world.channel
    other = ChannelFactory(unit=world.unit, created_by=web_team)
    with pytest.raises(ValidationError) as excinfo:
        channel_update(channel=other, actor=manager, url=NEW_URL)
    assert excinfo.value.code == "duplicate"
    with pytest.raises(ValidationError) as excinfo:
        channel_update(channel=other, actor=web_team, url=NEW_URL)
    assert excinfo.value.code == "duplicate"
    # Nor may a proposal claim another channel's address.
    with pytest.raises(ValidationError) as excinfo:
        channel_update(channel=other, actor=manager, url=world.channel.url)
    assert excinfo.value.code == "duplicate"


def test_closing_withdraws_the_pending_proposal(world, manager, web_team):
    channel_update(channel=world.channel, actor=manager, url=NEW_URL)
    channel_close(channel=world.channel, actor=web_team, reason="Ersatt.")
    assert ChannelChange.objects.get().status == "withdrawn"
    # The address is free again.
    channel_register(actor=web_team, unit=world.unit, url=NEW_URL, name="Ny sida", purpose="Syfte.", audience="Alla.")


def test_approve_refuses_an_address_taken_meanwhile(world, manager, web_team):
    """Had the address been taken since (e.g. data loaded outside the services), approval refuses it."""
    channel_update(channel=world.channel, actor=manager, url=NEW_URL)
    ChannelFactory(unit=world.unit, url=NEW_NORMAL, created_by=web_team)
    with pytest.raises(ValidationError) as excinfo:
        channel_change_approve(change=ChannelChange.objects.get(), actor=web_team)
    assert excinfo.value.code == "duplicate"
    assert ChannelChange.objects.get().status == "pending"


def test_register_refuses_a_platform_that_does_not_match(world, web_team):
    with pytest.raises(ValidationError) as excinfo:
        channel_register(
            actor=web_team,
            unit=world.unit,
            url="https://www.facebook.com/norsjo.falsk",
            platform=Platform.objects.get(slug="instagram"),
            name="Falsk",
            purpose="Syfte.",
            audience="Alla.",
        )
    assert excinfo.value.error_dict["platform"][0].code == "platform_mismatch"
    assert not Channel.objects.filter(name="Falsk").exists()


@pytest.mark.parametrize("role", ["manager", "web_team"])
def test_update_refuses_a_platform_that_does_not_match(world, role):
    with pytest.raises(ValidationError) as excinfo:
        channel_update(channel=world.channel, actor=world.users[role], platform=Platform.objects.get(slug="youtube"))
    assert excinfo.value.error_dict["platform"][0].code == "platform_mismatch"
    assert not ChannelChange.objects.exists()
