"""registry.views.home: the start page by role, the health check and the interface language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ...factories import MandateFactory

pytestmark = pytest.mark.django_db


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


def test_home_shows_pending_acknowledgements_and_expiring_mandates(client, world):
    MandateFactory(employee=world.users["employee"], channel=world.channel, granted_by=world.users["manager"])
    client.force_login(world.users["employee"])
    assert "Uppdrag som väntar på din bekräftelse" in client.get(reverse("home")).content.decode()
    today = timezone.localdate()
    MandateFactory(
        employee=world.users["archivist"],
        channel=world.channel,
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=5),
        acknowledged_at=timezone.now(),
    )
    client.force_login(world.users["manager"])
    response = client.get(reverse("home"))
    assert [m.employee for m in response.context["unit_expiring"]] == [world.users["archivist"]]
