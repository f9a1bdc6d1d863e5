"""Benchmark the public list under concurrent load against a static file on the same server.

    .venv/bin/python bench/public_list.py [--channels 1000] [--seconds 5] [--threads 8] [--workers 2]
                                          [--database-url postgres://postgres@127.0.0.1:5432/bench_public]

It creates its own database (SQLite in a temporary directory unless --database-url is given;
a PostgreSQL database is created and dropped by the script), fills it with channels, counts
the queries of one uncached request at 10 channels and at --channels channels, then starts
gunicorn on loopback and measures requests per second of a static file, /sociala-medier/ and
/api/v1/channels/ with a bounded pool of client threads, and prints the ratios.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
STATIC_PATH = "/static/css/app.css"
# Every client asks for gzip, as browsers do; whitenoise serves the small static file as it is.
GZIP = {"Accept-Encoding": "gzip, deflate"}
TARGETS = [
    ("static file", STATIC_PATH, GZIP),
    ("public list (HTML)", "/sociala-medier/", GZIP),
    ("API (JSON)", "/api/v1/channels/", GZIP),
    ("API, uncompressed", "/api/v1/channels/", {}),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database_url: str, state_seconds: float = 0) -> dict:
    sys.path.insert(0, str(ROOT))
    from moderation.transparency.keys import throwaway_key_environment

    return (
        os.environ
        | throwaway_key_environment(ROOT / "bench" / "out")
        | {
            "PUBLIC_LIST_STATE_SECONDS": str(state_seconds),
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "WARNING",
            # Every benchmark thread comes from loopback: the per-client rate limit would throttle them all.
            "RATELIMIT_ENABLED": "false",
            "DJANGO_SETTINGS_MODULE": "norsjo.settings",
        }
    )


def _create_postgres_database(url: str, *, drop: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def _fill(count: int) -> None:
    """Make exactly *count* published active channels, spread over 20 units and 6 platforms."""
    from django.contrib.auth.models import User

    from registry.models import Channel, Platform, Unit

    creator, _ = User.objects.get_or_create(username="bench")
    units = [Unit.objects.get_or_create(slug=f"enhet-{i}", defaults={"name": f"Enhet {i:02d}"})[0] for i in range(20)]
    platforms = list(Platform.objects.filter(slug__in=["facebook", "instagram", "youtube", "x", "linkedin", "flickr"]))
    existing = Channel.objects.count()
    Channel.objects.bulk_create(
        [
            Channel(
                platform=platforms[i % len(platforms)],
                name=f"Norsjö kanal {i:04d}",
                url=f"https://facebook.com/norsjo.bench{i}",
                handle=f"norsjo.bench{i}",
                unit=units[i % len(units)],
                purpose="Informera invånarna om verksamheten, öppettider och evenemang i kommunen.",
                audience="Invånare och besökare i Norsjö.",
                status=Channel.Status.ACTIVE,
                is_published=True,
                created_by=creator,
            )
            for i in range(existing, count)
        ]
    )


def _count_queries(path: str) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def prepare(database_url: str, channels: int) -> dict:
    """Migrate, fill and count queries in this process; return {size: {path: queries}}."""
    os.environ.update(_environment(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    counts = {}
    for size in sorted({10, channels}):
        _fill(size)
        counts[size] = {path: _count_queries(path) for path in ("/sociala-medier/", "/api/v1/channels/")}
    connection.close()
    return counts


def _worker(port: int, path: str, headers: dict, deadline: float, results: list, lock: threading.Lock) -> None:
    done = failed = 0
    while time.perf_counter() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status in (200, 304):
                done += 1
            else:
                failed += 1
        except OSError:
            failed += 1
        finally:
            connection.close()
    with lock:
        results.append((done, failed))


def load(port: int, path: str, headers: dict, *, seconds: float, threads: int) -> tuple[float, int]:
    """Return (requests per second, failures) for *path* under *threads* concurrent clients."""
    results, lock = [], threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds
    pool = [
        threading.Thread(target=_worker, args=(port, path, headers, deadline, results, lock)) for _ in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    return sum(done for done, _ in results) / elapsed, sum(failed for _, failed in results)


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="measure each target this many times; keep the best")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL; the database is created and dropped")
    parser.add_argument(
        "--state-seconds",
        type=float,
        default=1.0,
        help="PUBLIC_LIST_STATE_SECONDS for the server (the default setting is 1; 0 queries on every request)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-public-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if database_url.startswith("postgres"):
            _create_postgres_database(database_url)
        try:
            counts = prepare(database_url, args.channels)
            print("Queries per uncached request (rendered-page cache empty):")
            for size, paths in counts.items():
                print(f"  {size:>5} channels: " + ", ".join(f"{path} {n}" for path, n in paths.items()))

            port = _free_port()
            server = subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/gunicorn"),
                    "norsjo.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=_environment(database_url, args.state_seconds),
            )
            try:
                _wait_for(port)
                for _, path, headers in TARGETS:  # warm up: fill each worker's cache
                    load(port, path, headers, seconds=0.5, threads=args.threads)
                connection = http.client.HTTPConnection("127.0.0.1", port)
                connection.request("GET", "/api/v1/channels/", headers=GZIP)
                etag = connection.getresponse().getheader("ETag")
                connection.close()
                targets = [*TARGETS, ("API, 304 revalidation", "/api/v1/channels/", GZIP | {"If-None-Match": etag})]
                rates = {}
                for _ in range(args.rounds):
                    for label, path, headers in targets:
                        rate, failed = load(port, path, headers, seconds=args.seconds, threads=args.threads)
                        if failed:
                            print(f"  warning: {failed} failed requests for {path}")
                        rates[label] = max(rates.get(label, 0.0), rate)
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if database_url.startswith("postgres"):
                _create_postgres_database(database_url, drop=True)

    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"\ngunicorn, {args.workers} sync workers, {args.threads} client threads, {args.seconds:g} s per target, "
        f"best of {args.rounds}, {args.channels} channels, {database}, "
        f"PUBLIC_LIST_STATE_SECONDS={args.state_seconds:g}:"
    )
    static = rates["static file"]
    for label, rate in rates.items():
        print(f"  {label:<24} {rate:8.0f} req/s   ratio to static file {rate / static:5.2f}")


if __name__ == "__main__":
    main()
