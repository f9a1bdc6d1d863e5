""" "Is this really you?": lookalikes come from the public list only, through indexed candidates."""

import pytest
from django.urls import reverse

from registry import selectors
from registry.models import Channel, Platform
from registry.platforms import lookalike_key
from registry.services.channels import channel_close, channel_pause

from ..factories import ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(world):
    return ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )


def _similar(client, url: str) -> list[str]:
    return [
        channel["url"] for channel in client.get(reverse("public:api_verify"), {"url": url}).json().get("similar", [])
    ]


def test_lookalikes_never_show_unpublished_channels(client, world):
    """An active channel not on the public list is never shown to an anonymous caller as a lookalike."""
    ChannelFactory(unit=world.unit, url="https://facebook.com/norsjohemlig", handle="norsjohemlig")
    assert _similar(client, "facebook.com/norsjohemllg") == []
    html = client.get(reverse("public:verify"), {"url": "facebook.com/norsjohemllg"}).content.decode()
    assert "norsjohemlig" not in html


def test_lookalikes_never_show_paused_or_closed_channels(client, world):
    web_team = world.users["web_team"]
    paused = ChannelFactory(
        unit=world.unit, url="https://facebook.com/pausadsida", handle="pausadsida", is_published=True
    )
    channel_pause(channel=paused, actor=web_team)
    closed = ChannelFactory(
        unit=world.unit, url="https://facebook.com/stangdsida", handle="stangdsida", is_published=True
    )
    channel_close(channel=closed, actor=web_team, reason="Ersatt.")
    assert _similar(client, "facebook.com/pausadsida1") == []
    assert _similar(client, "facebook.com/stangdsida1") == []


@pytest.mark.parametrize(
    "pasted",
    [
        "facebook.com/norsj0kommun",  # a zero for an o
        "facebook.com/n0rsjo_kommun",
        "facebook.com/norsjokornmun",  # rn for m
        "facebook.com/NORSJOKOMMUN.1",
        "facebook.com/norsjokommunn",  # differs at the end: found by the key's start
        "facebook.com/xnorsjokommun",  # differs at the start: found by the key's end
        "facebook.com/nоrsjokommun",  # a Cyrillic о
    ],
)
def test_lookalikes_are_found(client, official, pasted):
    assert _similar(client, pasted) == [official.url]


def test_lookalikes_are_per_platform(client, official):
    assert _similar(client, "instagram.com/norsj0kommun") == []


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


def test_lookup_is_bounded(client, world, monkeypatch, django_assert_max_num_queries, settings):
    """However many channels share a stem, at most LOOKALIKE_CANDIDATES are compared, in a few queries."""
    settings.RATELIMIT_ENABLED = False  # its queries are pinned in tests/production/test_ratelimit.py
    platform = Platform.objects.get(slug="facebook")
    Channel.objects.bulk_create(
        Channel(
            platform=platform,
            name=f"Kanal {n}",
            url=f"https://facebook.com/norsjo{n:04d}",
            handle=f"norsjo{n:04d}",
            unit=world.unit,
            purpose="P",
            audience="A",
            status=Channel.Status.ACTIVE,
            is_published=True,
            created_by=world.users["web_team"],
        )
        for n in range(300)
    )
    monkeypatch.setattr(selectors, "LOOKALIKE_CANDIDATES", 50)
    compared = []
    original = selectors._looks_alike
    monkeypatch.setattr(selectors, "_looks_alike", lambda key, other: compared.append(other) or original(key, other))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("public:api_verify"), {"url": "facebook.com/norsjo" + "q" * 400})
    assert response.status_code == 200
    assert 0 < len(compared) <= 50
