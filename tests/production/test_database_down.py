"""When the database is unreachable, pages answer 503 with a clear page and Retry-After."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


def test_a_view_losing_the_database_shows_the_unavailable_page(client, world):
    client.force_login(world.users["employee"])
    response = client.get("/test-database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "private, no-store"
    assert "tillfälligt otillgängligt" in response.text
    assert "Content-Security-Policy" in response


def test_the_unavailable_page_in_english(client, world):
    client.force_login(world.users["employee"])
    client.cookies["django_language"] = "en"
    response = client.get("/test-database-gone/")
    assert "temporarily unavailable" in response.text


def test_losing_the_database_before_the_view_also_answers_503(client, world, monkeypatch):
    """The session is read in middleware, before any view: Django's 500 handler turns it into 503."""
    client.force_login(world.users["employee"])
    client.raise_request_exception = False

    def refuse(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", refuse)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tillfälligt otillgängligt" in response.text


def test_other_errors_stay_500(client, world, monkeypatch):
    client.force_login(world.users["employee"])
    client.raise_request_exception = False

    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "load", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500
