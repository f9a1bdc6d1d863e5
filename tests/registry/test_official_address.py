"""What makes an address official (issue 10, item 7): the verify API and the public list answer
for the approved address only; a manager's new address waits for the web team.

Kept apart from ``test_address_changes.py`` and free of its new names, so that it fails on
163a688 by behaviour (the new address was official at once), not by an import.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_URL = "https://www.facebook.com/norsjo.bibliotek.ny"
NEW_NORMAL = "https://facebook.com/norsjo.bibliotek.ny"


@pytest.fixture(autouse=True)
def _fresh_public_list(settings):
    """Read the public list's validators on every request and start with an empty cache."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


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


def test_manager_edit_of_official_address_waits_for_web_team(client, world, manager, web_team):
    """A manager's new address for an active, published channel is not official until the web team approves."""
    channel = world.channel
    old_url = channel.url
    client.force_login(manager)
    response = client.post(
        reverse("registry:channel_edit", kwargs={"pk": channel.pk}),
        _edit_post(channel, url=NEW_URL, handle="", purpose="Nytt syfte."),
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.url == old_url  # the approved address stays
    assert channel.purpose == "Nytt syfte."  # other fields change at once

    client.logout()
    assert _verify(client, old_url)["status"] == "official"
    assert _verify(client, NEW_URL)["official"] is False
    assert _verify(client, NEW_URL)["status"] == "unknown"
    assert old_url in _listed_urls(client) and NEW_NORMAL not in _listed_urls(client)
    assert NEW_NORMAL not in client.get(reverse("public:list")).content.decode()

    # Shown as a proposal on the channel page, to the manager and the web team.
    for user, decides in ((manager, False), (web_team, True)):
        client.force_login(user)
        page = client.get(channel.get_absolute_url())
        change = page.context["pending_change"]
        assert (change.status, change.url, change.handle) == ("pending", NEW_NORMAL, "norsjo.bibliotek.ny")
        assert page.context["can_decide_change"] is decides
        assert NEW_NORMAL in page.content.decode()
    client.force_login(world.users["employee"])
    assert client.get(channel.get_absolute_url()).context["pending_change"] is None

    # The web team approves after a confirmation page.
    client.force_login(web_team)
    approve = reverse("registry:channel_change_approve", kwargs={"pk": change.pk})
    assert client.get(approve).status_code == 200
    assert client.post(approve).status_code == 302
    client.logout()
    assert _verify(client, NEW_URL)["status"] == "official"
    assert _verify(client, old_url)["official"] is False
    assert NEW_NORMAL in _listed_urls(client) and old_url not in _listed_urls(client)
