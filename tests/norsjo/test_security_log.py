"""Security events are JSON lines carrying the request id."""

import io
import json
import logging

import pytest
from django.urls import reverse

from norsjo.log import JsonFormatter, RequestIdFilter
from norsjo.security_log import security_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_lines():
    """Capture what the production handler writes for the security logger, as parsed JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("norsjo.security")
    logger.addHandler(handler)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logger.removeHandler(handler)


def _events(lines, name):
    return [line for line in lines() if line["security"]["event"] == name]


def test_sign_in_success_is_logged_with_the_request_id(client, world, security_lines):
    response = client.post(
        reverse("login"),
        {"username": "chef", "password": "norsjo-demo"},
        HTTP_X_REQUEST_ID="req-0123456789abcdef",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-0123456789abcdef"
    (line,) = _events(security_lines, "auth.login")
    assert line["request_id"] == "req-0123456789abcdef"
    assert line["level"] == "INFO"
    assert line["logger"] == "norsjo.security"
    assert line["security"]["user"] == "chef"
    assert line["security"]["ip"] == "127.0.0.1"
    assert line["security"]["path"] == reverse("login")


def test_failed_sign_in_and_lockout_are_logged(client, world, security_lines):
    for _ in range(5):
        client.post(reverse("login"), {"username": "chef", "password": "wrong-password"})
    failures = _events(security_lines, "auth.login_failed")
    assert len(failures) == 5
    assert all(line["security"]["username"] == "chef" for line in failures)
    assert all(line["level"] == "WARNING" for line in failures)
    assert "wrong-password" not in json.dumps(security_lines())
    (lockout,) = _events(security_lines, "auth.lockout")
    assert lockout["security"]["username"] == "chef"
    # Every request got its own id.
    assert len({line["request_id"] for line in failures}) == 5


def test_permission_denied_is_logged(client, world, security_lines):
    client.force_login(world.users["employee"])
    response = client.get(reverse("registry:channel_create"), HTTP_X_REQUEST_ID="forbidden-request-1")
    assert response.status_code == 403
    assert "You do not have access" in response.text or "behörighet" in response.text or response.text
    (line,) = _events(security_lines, "permission.denied")
    assert line["request_id"] == "forbidden-request-1"
    assert line["security"]["user"] == "anstalld"
    assert line["security"]["status"] == 403


def test_sign_out_is_logged(client, world, security_lines):
    client.force_login(world.users["employee"])
    client.post(reverse("logout"))
    (line,) = _events(security_lines, "auth.logout")
    assert line["security"]["user"] == "anstalld"


def test_features_log_their_own_events(rf, world, security_lines):
    """The API other features call: record read, export, disposal."""
    request = rf.get("/moderering/1/")
    request.user = world.users["archivist"]
    security_event("record.read", request, record=1)
    security_event("record.export", request, records=12, confidential=1)
    security_event("record.disposal", None, user=world.users["archivist"], decision="KS 2026/12", records=3)
    lines = security_lines()
    assert [line["security"]["event"] for line in lines] == ["record.read", "record.export", "record.disposal"]
    assert lines[0]["security"]["user"] == "arkivarie" and lines[0]["security"]["record"] == 1
    assert lines[2]["security"]["decision"] == "KS 2026/12"
    assert lines[2]["request_id"] == "-"  # outside a request (a management command)


def test_request_id_is_made_when_missing_or_malformed(client, db):
    response = client.get(reverse("healthz"))
    assert len(response["X-Request-ID"]) == 32
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="bad id\r\nX-Injected: 1")
    assert len(response["X-Request-ID"]) == 32 and "Injected" not in response["X-Request-ID"]


def test_every_log_line_carries_the_request_id(client, world):
    """Not only security events: a formatter on the root logger sees the id of its request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/finns-inte/", HTTP_X_REQUEST_ID="not-found-request")
    finally:
        logger.removeHandler(handler)
    (line,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["request_id"] == "not-found-request"
    assert line["status_code"] == 404


def test_csrf_failure_is_logged(world, security_lines):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "chef", "password": "norsjo-demo"})
    assert response.status_code == 403
    (line,) = _events(security_lines, "csrf.failure")
    assert "CSRF" in line["security"]["reason"]
