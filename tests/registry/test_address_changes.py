"""A change of an official channel's address waits for the web team (issue 10, item 7).

An active or paused channel's address is official: the verify API, the public list and its
JSON answer for it. A manager's change of it is a proposal (``ChannelChange``) until the web
team approves it; the platform must agree with the address on every path.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registry.forms import ChannelForm
from registry.models import Channel, ChannelChange, HistoryEntry, Platform, Unit
from registry.permissions import address_change_needs_approval
from registry.platforms import check_platform, recognise
from registry.services.channels import (
    channel_change_approve,
    channel_change_reject,
    channel_close,
    channel_register,
    channel_update,
)

from ..factories import ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_public_list(settings):
    """Read the public list's validators on every request and start with an empty cache."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


NEW_URL = "https://www.facebook.com/norsjo.bibliotek.ny"
NEW_NORMAL = "https://facebook.com/norsjo.bibliotek.ny"


def _edit_post(channel, **overrides):
    data = {
        "url": channel.url,
        "platform": channel.platform.slug,
        "name": channel.name,
        "handle": channel.handle,
        "unit": channel.unit.slug,
        "purpose": channel.purpose,
        "audience": channel.audience,
        "contact_email": channel.contact_email,
    }
    return data | overrides


def _verify(client, url):
    response = client.get(reverse("public:api_verify"), {"url": url})
    assert response.status_code == 200
    return response.json()


def _listed_urls(client):
    return [channel["url"] for channel in client.get(reverse("public:api_channels")).json()["channels"]]


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


# The platform must agree with the address, on every path (issue 10, item 7).


@pytest.mark.parametrize(
    ("url", "platform", "agrees"),
    [
        ("https://www.facebook.com/norsjo", "facebook", True),
        ("https://www.facebook.com/norsjo", "instagram", False),
        ("https://www.facebook.com/norsjo", "other", False),
        ("https://www.instagram.com/norsjo", "instagram", True),
        ("https://norsjo.example/forum", "forum", True),
        ("https://norsjo.example/forum", "other", True),
        ("https://norsjo.example/forum", "facebook", False),
        ("https://norsjo.blogspot.com", "blog", True),
        ("https://norsjo.blogspot.com", "youtube", False),
        ("https://mastodon.social/@norsjo", "mastodon", True),
    ],
)
def test_check_platform(url, platform, agrees):
    recognition = recognise(url)
    if agrees:
        check_platform(recognition, platform)
    else:
        with pytest.raises(ValidationError) as excinfo:
            check_platform(recognition, platform)
        assert excinfo.value.code == "platform_mismatch"


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


def test_form_refuses_a_platform_that_does_not_match(world):
    form = ChannelForm(
        {
            "url": "https://www.facebook.com/norsjo.falsk",
            "platform": "instagram",
            "name": "Falsk",
            "unit": "kultur",
            "purpose": "Syfte.",
            "audience": "Alla.",
        },
        units=Unit.objects.all(),
    )
    assert not form.is_valid()
    assert form.has_error("platform", code="platform_mismatch")


def test_edit_view_shows_platform_mismatch_on_the_field(client, world, web_team):
    client.force_login(web_team)
    response = client.post(
        reverse("registry:channel_edit", kwargs={"pk": world.channel.pk}),
        _edit_post(world.channel, platform="tiktok"),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("platform", code="platform_mismatch")


def test_web_team_home_lists_pending_changes(client, world, manager, web_team):
    channel_update(channel=world.channel, actor=manager, url=NEW_URL)
    client.force_login(web_team)
    response = client.get(reverse("home"))
    assert [change.url for change in response.context["address_changes"]] == [NEW_NORMAL]
