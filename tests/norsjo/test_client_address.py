"""The client's address behind the reverse proxy: one function for the lockout, the log and the rate limit."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from norsjo.security_log import client_ip

pytestmark = pytest.mark.django_db

CLIENT_A = "198.51.100.10"
CLIENT_B = "203.0.113.20"


def _behind_nginx(forwarded: str) -> dict:
    """The request as gunicorn sees it behind nginx: from loopback, nginx's entry appended last."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.10", "127.0.0.1"),  # no proxy trusted: the header is the client's say-so
        (1, "198.51.100.10", CLIENT_A),
        (1, f"{CLIENT_B}, {CLIENT_A}", CLIENT_A),  # a spoofed entry in front is ignored
        (1, f"{CLIENT_B},{CLIENT_B}, {CLIENT_A}", CLIENT_A),
        (2, f"{CLIENT_B}, {CLIENT_A}, 10.0.0.1", CLIENT_A),  # two proxies: the second from the right
        (2, "10.0.0.1", "127.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "", "127.0.0.1"),
        (1, "not-an-address", "127.0.0.1"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(rf, settings, count, forwarded, expected):
    """The client's address is the entry the first trusted proxy appended, never one the client wrote."""
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", **_behind_nginx(forwarded))
    assert client_ip(request) == expected


def test_client_ip_without_a_proxy_is_the_connection(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert client_ip(request) == "192.0.2.5"


def _sign_in(client, forwarded: str, password: str):
    return client.post(reverse("login"), {"username": "admin", "password": password}, **_behind_nginx(forwarded))


def test_lockout_behind_the_proxy_is_per_client(client, world, settings):
    """Five failures from client A lock `admin` out for A only; client B still signs in."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _sign_in(client, CLIENT_A, "wrong-password")
    locked = _sign_in(client, CLIENT_A, "norsjo-demo")
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}

    signed_in = _sign_in(client, CLIENT_B, "norsjo-demo")
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user.username == "admin"


def test_lockout_cannot_be_escaped_by_a_spoofed_forwarded_entry(client, world, settings):
    """A locked-out client that writes another address in front of nginx's entry stays locked out."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _sign_in(client, CLIENT_A, "wrong-password")
    assert _sign_in(client, f"{CLIENT_B}, {CLIENT_A}", "norsjo-demo").status_code == 429
    assert _sign_in(client, f"{CLIENT_B}, 192.0.2.1, {CLIENT_A}", "norsjo-demo").status_code == 429


def test_lockout_and_log_record_the_client_address(client, world, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level("INFO", logger="norsjo.security"):
        _sign_in(client, f"{CLIENT_B}, {CLIENT_A}", "wrong-password")
    (record,) = [r for r in caplog.records if r.name == "norsjo.security"]
    assert record.security["ip"] == CLIENT_A
    assert AccessAttempt.objects.get().ip_address == CLIENT_A
