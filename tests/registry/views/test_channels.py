"""registry.views.channels: the register's screens, their permission matrix, and the web team's
decision on a proposed change of address."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from registry.forms import ChannelFilterForm
from registry.models import Channel, ChannelChange
from registry.services.channels import (
    channel_update,
)

from ...factories import ChannelFactory, MandateFactory
from ...matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db


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


NEW_URL = "https://www.facebook.com/norsjo.bibliotek.ny"


NEW_NORMAL = "https://facebook.com/norsjo.bibliotek.ny"


def _verify(client, url):
    response = client.get(reverse("public:api_verify"), {"url": url})
    assert response.status_code == 200
    return response.json()


def _listed_urls(client):
    return [channel["url"] for channel in client.get(reverse("public:api_channels")).json()["channels"]]


def _channel_post(unit_slug):
    def data(world):
        return {
            "url": "https://www.instagram.com/norsjo.simhall",
            "name": "Norsjö simhall",
            "unit": unit_slug,
            "purpose": "Öppettider.",
            "audience": "Badgäster.",
        }

    return data


def _pending_change(world):
    """A manager's proposed change of the library page's address, waiting for the web team."""
    # Fuzzing calls this again and again in one test: one proposal is enough.
    existing = ChannelChange.objects.filter(url="https://facebook.com/norsjo.bibliotek.ny").first()
    if existing is not None:
        return {"pk": existing.pk}
    change = ChannelChange.objects.create(
        channel=world.channel,
        platform=world.channel.platform,
        url="https://facebook.com/norsjo.bibliotek.ny",
        handle="norsjo.bibliotek.ny",
        proposed_by=world.users["manager"],
    )
    return {"pk": change.pk}


def _pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


MATRIX = [
    Row("home", expect(200)),
    Row("healthz", expect(200, anonymous=200)),
    Row("theme_css", expect(200, anonymous=200)),
    Row("login", expect(302, anonymous=200)),
    Row("logout", expect(302, anonymous=302), method="post"),
    Row("password_change", expect(200)),
    Row("password_change_done", expect(200)),
    Row("registry:channel_list", expect(200)),
    Row("registry:channel_detail", expect(200), kwargs=_pk("channel")),
    Row("registry:channel_create", only({"manager": 200, "other_manager": 200, "web_team": 200})),
    # A manager posting another unit's slug gets the form back with an error (200), not a channel.
    Row(
        "registry:channel_create",
        only({"manager": 302, "other_manager": 200, "web_team": 302}),
        method="post",
        data=_channel_post("kultur"),
    ),
    Row("registry:channel_edit", only({"manager": 200, "web_team": 200}), kwargs=_pk("channel")),
    Row("registry:channel_edit", only({"other_manager": 200, "web_team": 200}), kwargs=_pk("other_channel")),
    Row("registry:channel_approve", only({"web_team": 302}), method="post", kwargs=_pk("proposed")),
    Row("registry:channel_approve", expect(405, anonymous=302), kwargs=_pk("proposed")),
    Row("registry:channel_reject", only({"web_team": 200}), kwargs=_pk("proposed")),
    Row(
        "registry:channel_reject",
        only({"web_team": 302}),
        method="post",
        kwargs=_pk("proposed"),
        data=lambda w: {"reason": "Oklart syfte."},
    ),
    Row("registry:channel_publish", only({"web_team": 302}), method="post", kwargs=_pk("other_channel")),
    Row("registry:channel_unpublish", only({"web_team": 302}), method="post", kwargs=_pk("channel")),
    Row("registry:channel_pause", only({"web_team": 200}), kwargs=_pk("channel")),
    Row("registry:channel_pause", only({"web_team": 302}), method="post", kwargs=_pk("channel")),
    Row("registry:channel_resume", only({"web_team": 302}), method="post", kwargs=_pk("channel")),
    Row("registry:channel_close", only({"web_team": 200}), kwargs=_pk("channel")),
    Row(
        "registry:channel_close",
        only({"web_team": 302}),
        method="post",
        kwargs=_pk("channel"),
        data=lambda w: {"reason": "Ersatt."},
    ),
    # A proposed change of an official address: decided by the web team only (issue 10, item 7).
    Row("registry:channel_change_approve", only({"web_team": 200}), kwargs=_pending_change),
    Row("registry:channel_change_approve", only({"web_team": 302}), method="post", kwargs=_pending_change),
    Row("registry:channel_change_reject", only({"web_team": 200}), kwargs=_pending_change),
    Row(
        "registry:channel_change_reject",
        only({"web_team": 302}),
        method="post",
        kwargs=_pending_change,
        data=lambda w: {"reason": "Inte kommunens konto."},
    ),
    # An unknown change is "not found" for everyone signed in.
    Row("registry:channel_change_approve", expect(404), kwargs=lambda w: {"pk": 999999}),
]


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


@params(MATRIX)
def test_registry_permission_matrix(client, world, row, role):
    """Every registry URL answers every role as the matrix says."""
    run_row(client, world, row, role)


def test_channel_detail_unknown_is_404(client, world):
    client.force_login(world.users["employee"])
    assert client.get(reverse("registry:channel_detail", kwargs={"pk": 999999})).status_code == 404


def test_channel_create_duplicate_shows_link_to_existing(client, world, manager):
    """A duplicate is refused with a clear message and a link to the existing channel; nothing is lost."""
    client.force_login(manager)
    data = _channel_post("kultur")(world) | {"url": world.channel.url.upper()}
    response = client.post(reverse("registry:channel_create"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("url", code="duplicate")
    assert world.channel.get_absolute_url() in response.content.decode()
    assert response.context["form"]["purpose"].value() == "Öppettider."
    assert Channel.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("url", "inte en adress", "invalid_url"),
        ("url", "https://facebook.com/" + "x" * 600, "max_length"),
        ("purpose", "x" * 2001, "max_length"),
        ("purpose", "", "required"),
        ("audience", "", "required"),
        ("name", "n" * 201, "max_length"),
        ("unit", "social", "invalid_choice"),
        ("unit", "' OR 1=1 --", "invalid_choice"),
        ("platform", "myspace", "invalid_choice"),
        ("contact_email", "inte-en-adress", "invalid"),
    ],
)
def test_channel_create_bad_input_gets_clear_error(client, world, manager, field, value, code):
    """Bad or tampered input is answered with the form and a coded error, never a 500."""
    client.force_login(manager)
    data = _channel_post("kultur")(world) | {field: value}
    response = client.post(reverse("registry:channel_create"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code=code)
    assert Channel.objects.count() == 3


def test_channel_create_shows_swedish_messages(client, world, manager):
    """The interface speaks Swedish by default."""
    client.force_login(manager)
    response = client.post(reverse("registry:channel_create"), {"url": "inte en adress"})
    body = response.content.decode()
    assert 'lang="sv"' in body
    assert "är inte en giltig webbadress" in body


def test_channel_list_filters_and_paginates(client, world):
    """The list filters by platform, unit and status."""
    client.force_login(world.users["employee"])
    ChannelFactory.create_batch(30, unit=world.unit, created_by=world.users["web_team"])
    response = client.get(reverse("registry:channel_list"), {"unit": "kultur", "page": "2"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == 2
    assert all(channel.unit == world.unit for channel in page.object_list)
    response = client.get(reverse("registry:channel_list"), {"status": "proposed"})
    assert [c.name for c in response.context["page"].object_list] == ["Ung i Norsjö"]
    response = client.get(reverse("registry:channel_list"), {"q": "zzzz-ingen-träff"})
    assert "Inga kanaler matchar filtret." in response.content.decode()


@pytest.mark.parametrize("rows", [5, 200])
def test_channel_list_query_count_is_constant(client, world, django_assert_max_num_queries, rows):
    """The register's first page costs the same number of queries at 5 and at 200 channels."""
    ChannelFactory.create_batch(rows, unit=world.unit, created_by=world.users["web_team"])
    client.force_login(world.users["web_team"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registry:channel_list"))
    assert len(response.context["page"].object_list) == min(rows + 3, 25)


def test_channel_list_bad_filters_do_not_fail(client, world):
    client.force_login(world.users["employee"])
    response = client.get(reverse("registry:channel_list"), {"platform": "nope", "page": "x" * 50, "status": "<b>"})
    assert response.status_code == 200


def _normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "bibliotek", "platform": "facebook", "unit": "kultur", "status": "active"},
        {"q": "<b>" + "x" * 200, "platform": "nope", "status": "<b>"},
        {"q": "0", "platform": "", "unit": "okänd"},
    ],
)
def test_channel_list_filter_renders_as_crispy_forms_does(client, world, query):
    """The register's filter fields are written in its template: the same markup crispy-forms gives them."""
    client.force_login(world.users["employee"])
    body = client.get(reverse("registry:channel_list"), query).content.decode()
    form = re.search(r'<form method="get" class="filters.*?>(.*?)<div class="col-md-1', body, re.S).group(1)
    expected = ChannelFilterForm(query or None)
    crispy = "".join(
        f'<div class="col-md-{width}">{as_crispy_field(expected[name])}</div>'
        for name, width in (("q", 4), ("platform", 2), ("unit", 3), ("status", 2))
    )
    assert _normalise(form) == _normalise(crispy)


def test_channel_page_lists_appointed_writers_and_on_whose_mandate(client, world):
    client.force_login(world.users["employee"])
    response = client.get(world.channel.get_absolute_url())
    assert list(response.context["appointed"]) == [world.mandate]
    body = response.content.decode()
    assert "Utsedda skribenter" in body
    assert world.users["writer"].get_full_name() in body
    assert f"på uppdrag av {world.users['manager'].get_full_name()}" in body


def test_channel_detail_query_count_is_constant(client, world, django_assert_max_num_queries):
    for _ in range(30):
        MandateFactory(channel=world.channel, acknowledged_at=timezone.now())
    client.force_login(world.users["manager"])
    with django_assert_max_num_queries(12):
        response = client.get(world.channel.get_absolute_url())
    assert len(response.context["appointed"]) == 31
