"""Benchmark the moderation log on PostgreSQL.

1. Logging throughput through ``moderation.services.log.removal_log`` (hash chain, row lock),
   with one and with four concurrent writers.
2. Server time of the list's first page, the next page, filters and searches at
   1,000,000 records (bulk-generated in SQL in the benchmark's own database).

Usage (PostgreSQL on 127.0.0.1, trust auth; the database is dropped and re-created):

    .venv/bin/python bench/moderation.py [--records 1000000] [--database bench_moderation]

Figures are written to stdout; see docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "kommun",
    "bibliotek",
    "skola",
    "simhall",
    "idiot",
    "förbannade",
    "korrupta",
    "politiker",
    "lögnare",
    "skattepengar",
    "snö",
    "plogning",
    "vägen",
    "bussen",
    "fritidsgård",
    "öppettider",
    "kalas",
    "reklam",
    "köp",
    "billigt",
    "erbjudande",
    "klicka",
    "länk",
    "tjäna",
    "pengar",
    "invandrare",
    "hat",
    "skäms",
    "dumma",
    "tjänstemän",
    "ansvar",
    "fullmäktige",
    "beslut",
    "budget",
    "äldreboende",
    "mat",
    "personal",
    "sommarjobb",
    "ungdomar",
    "idrott",
    "hall",
    "konsert",
    "biljetter",
    "vinnare",
    "grattis",
    "lotteri",
    "skit",
    "helvete",
    "jävla",
    "fan",
    "granne",
    "adress",
    "personnummer",
    "socialtjänst",
    "ärende",
    "barn",
    "förskola",
    "lärare",
    "rektor",
    "betyg",
    "mobbning",
]


def setup_django(database: str):
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DEBUG"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    # Django's test client speaks plain http: no redirect to https (on by default with DEBUG off).
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")
    from moderation.transparency.keys import throwaway_key_environment

    os.environ.update(throwaway_key_environment(ROOT / "bench" / "out"))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client expose the page's context


def recreate_database(database: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def make_world():
    """Users, units and channels like a municipality's: 5 units, 20 channels."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from registry.catalogue import ensure_catalogue
    from registry.models import Channel, Mandate, Platform, Unit
    from registry.permissions import ARCHIVIST_GROUP, WEB_TEAM_GROUP

    ensure_catalogue(Platform, Group)
    web = User.objects.create_user("webb")
    web.groups.add(Group.objects.get(name=WEB_TEAM_GROUP))
    archivist = User.objects.create_user("arkivarie")
    archivist.groups.add(Group.objects.get(name=ARCHIVIST_GROUP))
    writer = User.objects.create_user("skribent")
    manager = User.objects.create_user("chef")
    facebook = Platform.objects.get(slug="facebook")
    channels = []
    for u in range(5):
        unit = Unit.objects.create(name=f"Förvaltning {u}", slug=f"forvaltning-{u}")
        if u == 0:
            unit.managers.add(manager)
        for c in range(4):
            channels.append(
                Channel.objects.create(
                    platform=facebook,
                    name=f"Kanal {u}-{c}",
                    url=f"https://facebook.com/norsjo.{u}.{c}",
                    unit=unit,
                    purpose="Information.",
                    audience="Invånare.",
                    status=Channel.Status.ACTIVE,
                    created_by=web,
                )
            )
    today = timezone.localdate()
    Mandate.objects.create(
        employee=writer,
        channel=channels[0],
        scope="Moderera.",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=300),
        granted_by=manager,
        acknowledged_at=timezone.now() - timedelta(days=9),
    )
    return {"webb": web, "arkivarie": archivist, "skribent": writer, "chef": manager}, channels


def bench_logging(users, channels, *, writers: int, per_writer: int) -> float:
    from django.db import connections
    from django.utils import timezone

    from moderation.services import log as services

    barrier = threading.Barrier(writers + 1)
    errors = []

    def work(index):
        try:
            barrier.wait()
            for n in range(per_writer):
                services.removal_log(
                    actor=users["webb"],
                    channel=channels[(index + n) % len(channels)],
                    category="abcdefg"[n % 7],
                    action="deleted",
                    removed_at=timezone.now() - timedelta(minutes=1),
                    comment_published_at=timezone.now() - timedelta(hours=2),
                    text=f"Skribent {index} kommentar {n}: du är en idiot och kommunen är korrupt.",
                    author_name="Arg Medborgare",
                    author_handle=f"arg{n}",
                    comment_url=f"https://facebook.com/x/posts/{n}",
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return writers * per_writer / elapsed


BULK_SQL = """
WITH words AS (SELECT %(words)s::text[] AS w),
base AS (
    SELECT g,
           (SELECT ARRAY(SELECT w[1 + floor(random() * array_length(w, 1))::int]
                         FROM generate_series(1, 14) s WHERE s > 0 * g)) AS picked
    FROM generate_series(%(first)s, %(last)s) g, words
)
INSERT INTO moderation_removedcommentcontent
    (record_id, text, author_name, author_handle, author_url, comment_url, post_url, explanation)
SELECT r.id, array_to_string(b.picked, ' '), 'Person ' || (r.sequence %% 5000), 'konto' || (r.sequence %% 20000),
       '', '', '', ''
FROM base b JOIN moderation_removedcomment r ON r.sequence = b.g
"""

BULK_RECORDS_SQL = """
INSERT INTO moderation_removedcomment
    (sequence, channel_id, channel_name, unit_name, platform_name, category, legally_required, confidential,
     action, comment_published_at, removed_at, logged_by_id, logged_at, addendum_to_id, content_sha256,
     attachments_sha256, previous_hash, record_hash)
SELECT g, c.id, c.name, 'Förvaltning', 'Facebook', cat, cat IN ('b', 'c', 'd', 'e'), cat = 'h',
       CASE WHEN g %% 3 = 0 THEN 'unpublished' ELSE 'deleted' END,
       ts - make_interval(mins => (g %% 4000)), ts, %(user)s, ts, NULL,
       md5(g::text) || md5(g::text), md5(g::text) || md5(g::text), md5((g - 1)::text) || md5((g - 1)::text),
       md5(g::text || 'r') || md5(g::text || 'h')
FROM (
    SELECT g,
           (ARRAY['a','b','c','d','e','f','g','h','other'])[1 + (g %% 9)] AS cat,
           now() - make_interval(secs => (%(total)s - g) * 30) AS ts,
           %(channels)s::bigint[] AS chans
    FROM generate_series(%(first)s, %(last)s) g
) x JOIN registry_channel c ON c.id = x.chans[1 + (x.g %% array_length(x.chans, 1))]
"""


def bulk_fill(total: int, users, channels):
    """Fill the log to *total* records in SQL (synthetic hashes: this part measures reads only)."""
    from django.db import connection

    from moderation import search, triggers
    from moderation.models import ChainHead, RemovedComment

    start = (RemovedComment.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    if start > total:
        return
    with connection.cursor() as cursor:
        cursor.execute(search.DROP_INDEX)
        triggers.uninstall(connection)  # the chain head is updated once below, not per row
        step = 100_000
        for first in range(start, total + 1, step):
            last = min(first + step - 1, total)
            params = {
                "first": first,
                "last": last,
                "user": users["webb"].pk,
                "channels": [c.pk for c in channels],
                "words": WORDS,
                "total": total,
            }
            cursor.execute(BULK_RECORDS_SQL, params)
            cursor.execute(BULK_SQL, params)
            print(f"  {last:>9,} records", flush=True)
        cursor.execute(search.CREATE_INDEX)
        triggers.install(connection)
    # As autovacuum would have done by the time a log holds a million records.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    ChainHead.objects.filter(pk=1).update(sequence=total)


def timed_get(client, url, params, repeat=15):
    times = []
    response = None
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], response


def bench_reads(users, channels):
    from django.test import Client
    from django.urls import reverse

    url = reverse("moderation:record_list")
    cases = []
    for username in ("arkivarie", "webb", "chef", "skribent"):
        client = Client()
        client.force_login(users[username])
        first = client.get(url).context["page"]
        scenarios = [
            ("first page", {}),
            ("next page", {"after": first.next_after}),
            ("channel filter", {"channel": channels[3].pk}),
            ("category + period", {"category": "b", "removed_from": "2020-01-01"}),
            ("search, common word", {"q": "kommun"}),
            ("search, two words", {"q": "korrupta politiker"}),
            ("search, rare word", {"q": "personnummer"}),
            ("search, author", {"q": "konto4711"}),
            ("search, no match", {"q": "zyxwvutsr"}),
        ]
        if username in ("chef", "skribent"):
            scenarios = scenarios[:2] + scenarios[4:6]
        for name, params in scenarios:
            median, p90, response = timed_get(client, url, params)
            cases.append((username, name, median, p90, len(response.context["page"].items)))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database", default="bench_moderation")
    parser.add_argument("--reads-only", action="store_true", help="reuse the filled database; measure reads")
    parser.add_argument("--logging-records", type=int, default=400, help="records per throughput run")
    args = parser.parse_args()

    if args.reads_only:
        setup_django(args.database)
        from django.contrib.auth.models import User

        from registry.models import Channel

        users = {u.username: u for u in User.objects.all()}
        channels = list(Channel.objects.order_by("pk"))
        _print_reads(users, channels)
        return
    recreate_database(args.database)
    setup_django(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    users, channels = make_world()

    print("Logging throughput (removal_log: checks, hash chain, row lock, content row):")
    one = bench_logging(users, channels, writers=1, per_writer=args.logging_records)
    print(f"  1 writer : {one:7.0f} records/s")
    four = bench_logging(users, channels, writers=4, per_writer=args.logging_records // 4)
    print(f"  4 writers: {four:7.0f} records/s")
    from moderation import integrity

    problems = list(integrity.verify(check_files=False))
    print(f"  chain after concurrent logging: {'intact' if not problems else problems[:3]}")

    print(f"Filling the log to {args.records:,} records ...", flush=True)
    started = time.perf_counter()
    bulk_fill(args.records, users, channels)
    print(f"  done in {time.perf_counter() - started:.0f} s")

    _print_reads(users, channels)


def _print_reads(users, channels):
    print("List and search, server time through the Django view (median / p90 of 15, ms):")
    for username, name, median, p90, rows in bench_reads(users, channels):
        print(f"  {username:<10} {name:<22} {median:7.1f} {p90:7.1f}   ({rows} rows)")


if __name__ == "__main__":
    main()
