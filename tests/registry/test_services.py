"""The channel lifecycle: proposed -> active -> paused -> closed, rejection, publication."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry import selectors
from registry.models import Channel, Platform
from registry.services.channels import (
    channel_approve,
    channel_close,
    channel_pause,
    channel_register,
    channel_reject,
    channel_resume,
    channel_set_published,
    channel_update,
)

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


def test_channel_database_refuses_published_inactive_channel(world):
    """The row rule holds even when code bypasses the services."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.filter(pk=world.proposed.pk).update(is_published=True)


def test_platform_catalogue_is_seeded(catalogue):
    slugs = set(Platform.objects.values_list("slug", flat=True))
    assert {"facebook", "instagram", "youtube", "x", "linkedin", "flickr", "tiktok", "threads", "mastodon"} <= slugs
    assert {"blog", "forum", "other"} <= slugs
