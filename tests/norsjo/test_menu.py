"""The main menu (norsjo.templatetags.menu): each role's links, in order, and the page marked current."""

import re

import pytest
from django.urls import reverse

from registry.models import Channel

from ..conftest import client_for

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>\s*<form', re.DOTALL)
LINK = re.compile(r'<a class="nav-link( active)?" (aria-current="page")?\s*href="([^"]+)">([^<]+)</a>')

BASE = ["Start", "Kanaler", "Mina uppdrag"]
# Each role's top-level links (the web team's dropdown aside), as a person reads them.
EXPECTED = {
    "employee": BASE,
    "writer": [*BASE, "Modereringslogg", "Logga en borttagning"],
    "manager": [*BASE, "Verksamhetens uppdrag", "Modereringslogg"],
    "web_team": [*BASE, "Modereringslogg", "Logga en borttagning"],
    "archivist": [*BASE, "Modereringslogg", "Arkiv"],
    "registrar": [*BASE, "Inkomna frågor"],
    "admin": [*BASE, "Grafisk profil"],
}


def _links(response):
    menus = MENU.findall(response.content.decode())
    assert len(menus) == 1
    return LINK.findall(menus[0])


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_own_links_in_order(client, world, role):
    client_for(client, world, role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    links = _links(response)
    assert [label for *_, label in links] == EXPECTED[role]
    # On the start page, the start link alone is current.
    assert [(active, current, url) for active, current, url, _ in links if active or current] == [
        (" active", 'aria-current="page"', reverse("home"))
    ]


@pytest.mark.parametrize(
    ("role", "url", "active", "current"),
    [
        # A channel's page keeps "Channels" active without marking it the current page.
        ("web_team", lambda w: reverse("registry:channel_detail", args=[w.channel.pk]), "Kanaler", None),
        ("web_team", lambda w: reverse("registry:channel_list"), "Kanaler", "Kanaler"),
        ("archivist", lambda w: reverse("moderation:record_list"), "Modereringslogg", "Modereringslogg"),
        # The log-a-removal page is not the log's.
        ("writer", lambda w: reverse("moderation:log_start"), "Logga en borttagning", "Logga en borttagning"),
        # An archive page marks the archive, not the log the archive's address begins with.
        ("archivist", lambda w: reverse("moderation:hold_list"), "Arkiv", None),
        ("manager", lambda w: reverse("mandates:manager"), "Verksamhetens uppdrag", "Verksamhetens uppdrag"),
    ],
)
def test_the_page_s_section_is_marked(client, world, role, url, active, current):
    client_for(client, world, role)
    response = client.get(url(world))
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # the log-a-removal start goes straight to the only channel
        response = client.get(response.url)
    links = _links(response)
    assert [label for marked, _, _, label in links if marked] == [active]
    assert [label for _, aria, _, label in links if aria] == ([current] if current else [])


def test_the_web_team_is_offered_to_log_a_removal_only_while_a_channel_is_open(client, world):
    """registry.selectors.moderates_any_channel: any open channel for the web team (a prepared query)."""
    client_for(client, world, "web_team")
    assert "Logga en borttagning" in [label for *_, label in _links(client.get(reverse("home")))]
    Channel.objects.update(status=Channel.Status.REJECTED, is_published=False, rejection_reason="Prov.")
    assert "Logga en borttagning" not in [label for *_, label in _links(client.get(reverse("home")))]
    Channel.objects.filter(pk=world.proposed.pk).update(status=Channel.Status.PROPOSED)
    assert "Logga en borttagning" in [label for *_, label in _links(client.get(reverse("home")))]
