"""Registry views: the permission matrix, and what each screen shows and refuses."""

import pytest
from django.urls import reverse

from registry.models import Channel, ChannelChange

from ..matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db


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
    from ..factories import ChannelFactory

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
    from ..factories import ChannelFactory

    ChannelFactory.create_batch(rows, unit=world.unit, created_by=world.users["web_team"])
    client.force_login(world.users["web_team"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registry:channel_list"))
    assert len(response.context["page"].object_list) == min(rows + 3, 25)


def test_channel_list_bad_filters_do_not_fail(client, world):
    client.force_login(world.users["employee"])
    response = client.get(reverse("registry:channel_list"), {"platform": "nope", "page": "x" * 50, "status": "<b>"})
    assert response.status_code == 200


def test_healthz_reports_ok(client, db):
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok"}


def test_healthz_reports_503_when_database_fails(client, db, monkeypatch):
    """When the database does not answer, /healthz says so with 503."""
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] != "ok"


def test_language_switch_to_english(client, world):
    client.force_login(world.users["employee"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("registry:channel_list"))
    assert 'lang="en"' in response.content.decode()
    assert "Channel register" in response.content.decode()


def test_interface_is_swedish_even_for_an_english_browser(client, world):
    """Swedish is the default whatever the browser asks for; English is a choice."""
    client.force_login(world.users["employee"])
    response = client.get(reverse("registry:channel_list"), headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="sv"' in response.content.decode()


def test_home_shows_a_writer_their_channels_with_the_way_to_log(client, world):
    """A writer's start page lists the channels of their mandates, each with "log a removal"."""
    client.force_login(world.users["writer"])
    response = client.get(reverse("home"))
    assert list(response.context["my_channels"]) == [world.channel]
    assert reverse("moderation:record_create", args=[world.channel.pk]) in response.content.decode()
    client.force_login(world.users["employee"])
    assert not client.get(reverse("home")).context["my_channels"]


def test_home_shows_an_archivist_the_records(client, world):
    client.force_login(world.users["archivist"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("moderation:archive_home") in body
