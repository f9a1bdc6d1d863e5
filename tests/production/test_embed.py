"""Only an @embeddable view may be framed or fetched by other sites, and only from configured origins."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


def _directives(response) -> dict:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_embeddable_view_may_be_framed_by_configured_origins(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.norsjo.se", "https://intra.norsjo.se"]
    response = client.get("/test-embed/", HTTP_ORIGIN="https://www.norsjo.se")
    assert response.status_code == 200
    assert _directives(response)["frame-ancestors"] == "https://www.norsjo.se https://intra.norsjo.se"
    assert "X-Frame-Options" not in response
    assert response["Access-Control-Allow-Origin"] == "https://www.norsjo.se"
    assert "Origin" in response["Vary"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_embeddable_view_refuses_other_origins(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.norsjo.se"]
    response = client.get("/test-embed/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    assert _directives(response)["frame-ancestors"] == "https://www.norsjo.se"


def test_embeddable_view_stays_unframeable_without_configured_origins(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    response = client.get("/test-embed/", HTTP_ORIGIN="https://www.norsjo.se")
    assert _directives(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "Access-Control-Allow-Origin" not in response


def test_other_views_are_never_frameable(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.norsjo.se"]
    response = client.get("/test-plain/", HTTP_ORIGIN="https://www.norsjo.se")
    assert _directives(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "Access-Control-Allow-Origin" not in response
