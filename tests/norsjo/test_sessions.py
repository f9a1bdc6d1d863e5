"""Session lifetime (norsjo.sessions, SessionLifetimeMiddleware): 30 minutes idle, 10 hours in all."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def test_session_ends_after_thirty_minutes_idle(client, world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(world.users["employee"])
        assert _signed_in(client)
        clock.shift(timedelta(minutes=29))
        assert _signed_in(client)  # activity renews it ...
        clock.shift(timedelta(minutes=29))
        assert _signed_in(client)  # ... so 58 minutes after sign-in it still lives
        clock.shift(timedelta(minutes=31))
        assert not _signed_in(client)  # 31 minutes idle: gone


def test_session_ends_ten_hours_after_sign_in_however_active(client, world, caplog):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(world.users["employee"])
        for _ in range(33):  # a request every 18 minutes: 9 h 54 min
            clock.shift(timedelta(minutes=18))
            assert _signed_in(client)
        clock.shift(timedelta(minutes=18))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert any(getattr(r, "security", {}).get("event") == "auth.session_expired" for r in caplog.records)
