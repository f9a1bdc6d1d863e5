"""The public endpoints' per-client rate limit (norsjo.ratelimit): 429 with Retry-After, per real client."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from norsjo.models import RateLimitCounter
from norsjo.ratelimit import parse_rate

pytestmark = pytest.mark.django_db

CLIENT_A = "198.51.100.10"
CLIENT_B = "203.0.113.20"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_RATES = {"public": "4/m", "verify": "2/m"}
    settings.PUBLIC_LIST_STATE_SECONDS = 0


def _get(client, path, forwarded=CLIENT_A, **params):
    return client.get(path, params, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.parametrize(
    ("path", "params", "limit", "json"),
    [
        ("/sociala-medier/kontrollera/", {"url": "facebook.com/norsjo"}, 2, False),
        ("/api/v1/verify/", {"url": "facebook.com/norsjo"}, 2, True),
        ("/sociala-medier/", {}, 4, False),
        ("/sociala-medier/inbaddning/", {}, 4, False),
        ("/api/v1/channels/", {}, 4, True),
        ("/api/v1/channels.csv", {}, 4, True),
        ("/api/v1/organisation.jsonld", {}, 4, True),
    ],
)
def test_client_over_the_rate_gets_429_with_retry_after(client, world, path, params, limit, json):
    """The request after the limit is 429 with Retry-After; another client behind the same proxy is not limited."""
    with time_machine.travel(timezone.now().replace(second=10, microsecond=0), tick=False):
        for _ in range(limit):
            assert _get(client, path, **params).status_code == 200
        refused = _get(client, path, **params)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert refused["Content-Type"].endswith("; charset=utf-8")
        if json:
            assert refused.json()["error"] == "rate_limited"
            assert refused["Access-Control-Allow-Origin"] == "*"
        else:
            assert refused["Content-Type"].startswith("text/html")
        # The client cannot escape by writing another address in front of nginx's entry.
        assert _get(client, path, forwarded=f"{CLIENT_B}, {CLIENT_A}", **params).status_code == 429
        assert _get(client, path, forwarded=CLIENT_B, **params).status_code == 200


def test_limit_ends_with_the_window(client, world):
    with time_machine.travel(timezone.now().replace(second=30, microsecond=0), tick=False) as clock:
        for _ in range(2):
            _get(client, "/api/v1/verify/", url="facebook.com/norsjo")
        assert _get(client, "/api/v1/verify/", url="facebook.com/norsjo").status_code == 429
        clock.shift(timedelta(seconds=31))
        assert _get(client, "/api/v1/verify/", url="facebook.com/norsjo").status_code == 200
    # The ended window's count was cleared when the new one began.
    assert RateLimitCounter.objects.count() == 1


def test_scopes_are_counted_apart(client, world):
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False):
        for _ in range(2):
            _get(client, "/api/v1/verify/", url="facebook.com/norsjo")
        assert _get(client, "/api/v1/verify/", url="facebook.com/norsjo").status_code == 429
        assert _get(client, "/sociala-medier/").status_code == 200


def test_the_accessibility_statement_is_not_limited(client, world):
    for _ in range(6):
        assert _get(client, "/sociala-medier/tillganglighet/").status_code == 200


def test_no_limit_when_switched_off(client, world, settings):
    settings.RATELIMIT_RATES = {"public": "0", "verify": ""}
    for _ in range(6):
        assert _get(client, "/api/v1/verify/", url="facebook.com/norsjo").status_code == 200
    settings.RATELIMIT_RATES = {"public": "1/m", "verify": "1/m"}
    settings.RATELIMIT_ENABLED = False
    for _ in range(3):
        assert _get(client, "/sociala-medier/").status_code == 200
    assert not RateLimitCounter.objects.exists()


@pytest.mark.parametrize(
    ("text", "rate"), [("30/m", (30, 60)), ("5/s", (5, 1)), (" 100 / h ", (100, 3600)), ("0", None)]
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["30", "30/min", "ten/m", "-1/m"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_a_counted_request_costs_one_query_more(client, world, django_assert_max_num_queries, settings):
    """Counting is one upsert (plus an indexed delete at a client's new window; SET LOCAL on PostgreSQL)."""
    settings.RATELIMIT_RATES = {"public": "100/m", "verify": "100/m"}
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False):
        _get(client, "/sociala-medier/tillganglighet/")
        _get(client, "/sociala-medier/")
        settings.RATELIMIT_ENABLED = False
        with django_assert_max_num_queries(10) as unlimited:
            _get(client, "/sociala-medier/")
        settings.RATELIMIT_ENABLED = True
        with django_assert_max_num_queries(10) as limited:
            _get(client, "/sociala-medier/")
    # SQLite: the upsert. PostgreSQL: SET LOCAL and the upsert, in a savepoint inside the test's transaction.
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    assert len(limited) - len(unlimited) == (4 if postgres else 1)
