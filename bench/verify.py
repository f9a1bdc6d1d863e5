"""Benchmark "is this really you?" (/api/v1/verify/) in-process at 10,000 channels: old lookup vs new.

    .venv/bin/python bench/verify.py [--channels 10000] [--requests 60]
                                     [--database-url postgres://postgres@127.0.0.1:5432/bench_verify]

It creates its own database (SQLite in a temporary directory unless --database-url is given; a
PostgreSQL database is dropped and re-created), fills it with --channels published channels
whose handles look like a municipality's (most start with "norsjo"), and times the verify API
through Django's test client for addresses that are not official: lookalikes, unknown handles
and a long input. Each address is asked with the lookup of 163a688 (difflib over every active
or paused channel, the baseline, reproduced below) and with the current one (indexed lookalike
keys, a bounded comparison), in the same run; it prints median and 90th percentile per
request and the ratios. See docs/performance.md.
"""

import argparse
import difflib
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["kommun", "bibliotek", "skola", "fritid", "kultur", "ungdom", "idrott", "vatten", "museum", "turism"]
ADDRESSES = [
    ("lookalike, confusable", "https://facebook.com/norsj0kommun"),
    ("lookalike, one letter more", "https://facebook.com/norsjobibliotekk"),
    ("unknown handle", "https://facebook.com/helt.annat.konto"),
    ("long input (400 characters)", "https://facebook.com/norsjo" + "kommun" * 66),
]


def _recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(f"postgresql://{parts.netloc}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DEBUG"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    # One client asks many times: the benchmark measures the lookup, not the rate limit.
    os.environ["RATELIMIT_ENABLED"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")
    from moderation.transparency.keys import throwaway_key_environment

    os.environ.update(throwaway_key_environment(ROOT / "bench" / "out"))
    import django

    django.setup()


def fill(channels: int) -> None:
    from django.contrib.auth.models import User

    from registry.models import Channel, Platform, Unit

    user = User.objects.create(username="bench")
    unit = Unit.objects.create(name="Kommunstyrelsen", slug="ks")
    facebook = Platform.objects.get(slug="facebook")
    rows = []
    for n in range(channels):
        word = WORDS[n % len(WORDS)]
        # Nine in ten start with the municipality's name, as real registers do.
        handle = f"norsjo{word}{n}" if n % 10 else f"{word}.norsjo{n}"
        rows.append(
            Channel(
                platform=facebook,
                name=f"Norsjö {word} {n}",
                url=f"https://facebook.com/{handle}",
                handle=handle,
                unit=unit,
                purpose="Information.",
                audience="Invånare.",
                status=Channel.Status.ACTIVE,
                is_published=True,
                created_by=user,
            )
        )
    Channel.objects.bulk_create(rows, batch_size=2000)


# The lookup of 163a688, the baseline: every active or paused channel of the platform compared.
_HANDLE_NOISE = re.compile(r"[^0-9a-z]")


def _handle_key(text: str) -> str:
    return _HANDLE_NOISE.sub("", text.lower())


def old_similar_channels(recognition) -> tuple:
    from registry.models import Channel

    key = _handle_key(recognition.handle or recognition.url.rsplit("/", 1)[-1])
    if len(key) < 3:
        return ()
    candidates = Channel.objects.filter(status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED])
    if recognition.platform != "other":
        candidates = candidates.filter(platform__slug=recognition.platform)
    matches = []
    for pk, handle, url in candidates.values_list("pk", "handle", "url"):
        other = _handle_key(handle or url.rsplit("/", 1)[-1])
        if other and (key == other or difflib.SequenceMatcher(None, key, other).ratio() >= 0.8):
            matches.append(pk)
    if not matches:
        return ()
    return tuple(Channel.objects.with_related().filter(pk__in=matches).order_by("name", "pk")[:5])


def measure(client, url: str, requests: int) -> list[float]:
    client.get("/api/v1/verify/", {"url": url})  # warm up
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get("/api/v1/verify/", {"url": url})
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    return times


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.sqlite3"
    if args.database_url:
        _recreate_postgres(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from registry.selectors import public as selectors  # where verify_url looks its lookalikes up

    call_command("migrate", verbosity=0)
    fill(args.channels)
    new_lookup = selectors.lookalike_channels
    client = Client()
    print(f"verify API, {args.channels} published channels, {connection.vendor}, {args.requests} requests each")
    print(f"{'address':32} {'old median':>11} {'old p90':>9} {'new median':>11} {'new p90':>9} {'ratio':>7}")
    for label, address in ADDRESSES:
        selectors.lookalike_channels = old_similar_channels
        old = measure(client, address, args.requests)
        selectors.lookalike_channels = new_lookup
        new = measure(client, address, args.requests)
        old_median, new_median = statistics.median(old), statistics.median(new)
        print(
            f"{label:32} {old_median * 1000:9.1f}ms {_p90(old) * 1000:7.1f}ms "
            f"{new_median * 1000:9.1f}ms {_p90(new) * 1000:7.1f}ms {old_median / new_median:6.0f}x"
        )
    selectors.lookalike_channels = new_lookup
    tmp.cleanup()


if __name__ == "__main__":
    main()
