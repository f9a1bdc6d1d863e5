"""A per-client rate limit for the public endpoints, as a view decorator.

    @rate_limited("verify")
    def public_verify(request): ...

Each *scope* has a rate in ``settings.RATELIMIT_RATES`` ("30/m": thirty requests a minute;
empty or "0": no limit), read from the environment. The client is ``client_ip`` (the same
address the sign-in lockout and the security log use, correct behind the reverse proxy). A
client over the rate gets 429 with ``Retry-After`` until its window ends.

The counts live in the database (``RateLimitCounter``): every gunicorn worker, and every
server, sees the same count without another service to run. One request costs one upsert
(``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, SQLite 3.35+ and PostgreSQL); on
PostgreSQL its commit does not wait for the disk (``synchronous_commit = off``: a crash may
forget the last counts, which is harmless). A new window of a client clears the windows that
have ended. nginx's ``limit_req`` in front (docs/deploy.md) stops floods before they reach
Python; this limit is the application's own, per scope, and works without it.
"""

import math
import re
import time
from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.shortcuts import render
from django.utils.translation import ngettext

from .models import RateLimitCounter
from .security_log import client_ip

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(s|m|h)\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(text: str) -> tuple[int, int] | None:
    """Return (requests, seconds) for a rate such as "30/m"; ``None`` for no limit ("" or "0")."""
    if not text or text.strip() == "0":
        return None
    match = _RATE.match(text)
    if not match:
        raise ImproperlyConfigured(f"Rate limit {text!r} is not a rate such as 30/m (per s, m or h).")
    requests, period = int(match.group(1)), _PERIODS[match.group(2)]
    return (requests, period) if requests > 0 else None


def rate_for(scope: str) -> tuple[int, int] | None:
    if not settings.RATELIMIT_ENABLED:
        return None
    return parse_rate(settings.RATELIMIT_RATES.get(scope, ""))


def _count(key: str, expires_at: int) -> int:
    """Add one to the count under *key* (kept until *expires_at*) and return the new count."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    # One statement, so SQLite needs no transaction; on PostgreSQL one, for SET LOCAL.
    with transaction.atomic() if connection.vendor == "postgresql" else nullcontext(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - our table
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires_at],
        )
        (count,) = cursor.fetchone()
    if count == 1:
        # A new window of this client: clear the windows that have ended (an indexed delete).
        RateLimitCounter.objects.filter(expires_at__lte=int(time.time())).delete()
    return count


def retry_after(scope: str, request) -> int:
    """Count this request of the client against *scope*; return 0, or the seconds it must wait."""
    rate = rate_for(scope)
    if rate is None:
        return 0
    requests, period = rate
    now = time.time()
    window = int(now // period)
    expires_at = (window + 1) * period
    if _count(f"{scope}:{client_ip(request)}:{window}", expires_at) <= requests:
        return 0
    return max(1, math.ceil(expires_at - now))


def too_many_requests_message(seconds: int) -> str:
    return ngettext(
        "You have made too many requests. Try again in %(seconds)d second.",
        "You have made too many requests. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def too_many_requests_page(request, seconds: int):
    """The answer of a public page to a client over its rate: a short page, 429."""
    return render(
        request,
        "too_many_requests.html",
        {"message": too_many_requests_message(seconds)},
        status=429,
    )


def rate_limited(scope: str, *, respond=too_many_requests_page, methods: tuple[str, ...] | None = None):
    """Decorate a view: a client over the rate of *scope* gets ``respond(request, seconds)`` with Retry-After.

    *methods* (e.g. ``("POST",)``) counts only those requests: a public form's submissions,
    not the reading of its page.
    """

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            seconds = retry_after(scope, request)
            if seconds:
                response = respond(request, seconds)
                response["Retry-After"] = str(seconds)
                response["Cache-Control"] = "no-store"
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorator
