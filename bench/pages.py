"""Benchmark the signed-in pages in-process, per role, against the signed-in /healthz floor.

    .venv/bin/python bench/pages.py [--requests 30] [--warmup 5] [--database sqlite|postgres|both]
                                    [--database-url postgres://postgres@127.0.0.1:5432/bench_pages]
                                    [--channels 500 --records 600]
                                    [--json PATH] [--duplicates] [--profile ROLE/PAGE]

What it does (docs/performance.md, "Pages (issue 15)"):

1. Creates a database of its own: SQLite in a temporary file, and/or PostgreSQL at
   --database-url (the database is dropped and re-created, and dropped again at the end; its
   name must contain "bench"). Migrates it and loads the demo data through the demo modules
   (``registry.demo.load``, ``moderation.demo.load``, what ``load_demo_data`` runs; the
   command itself refuses DEBUG off, the functions do not), then registers extra channels
   through ``registry.services.channels.channel_register`` until the register list shows a full page
   (25 rows) to everyone. ``--channels``/``--records`` grow it to a municipality's size
   (bench/load.py's register: 500 channels; its log: 600 removals), ``grow``.
2. Signs each demo role in (``force_login``, the same session a sign-in makes) and asks, with
   Django's test client (no network, DEBUG off, the production middleware), every page of
   PAGES the role may see, plus the signed-in ``/healthz`` as the floor. After --warmup
   requests per page, --requests rounds are timed; the pages take turns within a round, so a
   busy machine slows them all alike. Any answer but 200 stops the script with the URL.
3. For each page, one more request under ``CaptureQueriesContext``: its number of queries and
   of duplicates (the same SQL with the same parameters run again in the same request).
4. Prints a table per database: median and 90th percentile (ms), queries, duplicates and the
   median's ratio to the floor's median. --json saves the figures; --duplicates lists each
   duplicated query with the code that issued it; --profile ROLE/PAGE (e.g. chef/home) runs
   cProfile over that page's requests and prints where the time goes.

With ``--database both`` each database runs in a child process of its own (Django's settings
are per process) and the parent merges their figures.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_pages"
REGISTER_ROWS = 25  # registry.views.PAGE_SIZE: the register list's page
LOG_SEARCH = "öppettiderna"  # in a demo removal on the library's page, visible to every log user

# The demo's people, by the role the issue names (registry/demo.py, PRODUCT.md).
ROLES = {
    "manager": "chef",
    "writer": "skribent",
    "web team": "webb",
    "archivist": "arkivarie",
    "administrator": "admin",
}
EVERYONE = tuple(ROLES)
LOG_USERS = ("manager", "writer", "web team", "archivist")  # moderation.permissions.can_use_log
MANDATE_SEERS = ("manager", "writer", "web team")  # registry.permissions.can_see_mandate (the writer's)

# key, label, URL name, who sees it. {channel} is the library's page (the writer's mandate, the
# demo's removals), {mandate} the writer's mandate on it. A role not listed gets 403/404 there:
# it is not asked. A role listed that does not get 200 stops the run.
PAGES = [
    ("floor", "/healthz (signed in)", "healthz", EVERYONE),
    ("home", "start page", "home", EVERYONE),
    ("register", f"register list ({REGISTER_ROWS} rows)", "registry:channel_list", EVERYONE),
    ("channel", "channel page", "registry:channel_detail", EVERYONE),
    ("log", "moderation log", "moderation:record_list", LOG_USERS),
    ("search", "log search", "moderation:record_list", LOG_USERS),
    ("removal", "log-a-removal form", "moderation:record_create", ("writer", "web team")),
    ("mine", "my mandates", "mandates:mine", EVERYONE),
    ("manager", "manager's view", "mandates:manager", ("manager",)),
    ("writers", "appointed writers", "mandates:writers", ("web team",)),
    ("mandate", "a mandate's page", "mandates:detail", MANDATE_SEERS),
]


TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}


class PageError(SystemExit):
    pass


# --------------------------------------------------------------------------------------------
# Database and Django (one database per process)
# --------------------------------------------------------------------------------------------


def _postgres(url: str, *, create: bool) -> None:
    """Drop the benchmark's PostgreSQL database, and create it again when *create*."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and re-create {name!r}: the database name must contain 'bench'")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver",
            # Django's test client speaks plain http (as tests/environment.py).
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "norsjo.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    from moderation.transparency.keys import throwaway_key_environment

    os.environ.update(throwaway_key_environment(ROOT / "bench" / "out"))
    import django

    # No static files are collected: whitenoise's warning says so on every client.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings

    assert not settings.DEBUG, "the benchmark measures with DEBUG off"
    # Each sign-in is a security event (norsjo.security_log), always logged: not the benchmark's output.
    logging.getLogger("norsjo.security").setLevel(logging.WARNING)


def grow(channels: int, records: int) -> None:
    """Make the demo a municipality's size: *channels* more active channels in the manager's unit
    (half of them on the public list, as bench/load.py's register) and *records* more removals on
    the library's page (every log user's), logged through the service as every removal is."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from moderation.services.log import removal_log
    from registry.models import Channel, Platform
    from registry.platforms import normalise_url

    manager, web_team = User.objects.get(username=ROLES["manager"]), User.objects.get(username=ROLES["web team"])
    unit = manager.managed_units.order_by("pk").first()
    platform = Platform.objects.get(slug="facebook")
    Channel.objects.bulk_create(
        Channel(
            unit=unit,
            platform=platform,
            name=f"Norsjö skalkanal {i:04d}",
            url=f"https://www.facebook.com/norsjo.scale{i}",
            handle=f"norsjo.scale{i}",
            purpose="Nyheter.",
            audience="Invånare.",
            created_by=web_team,
            status=Channel.Status.ACTIVE,
            is_published=i % 2 == 0,
        )
        for i in range(channels)
    )
    library = Channel.objects.get(url=normalise_url("https://www.facebook.com/norsjobibliotek"))
    now = timezone.now()
    texts = ("Köp billiga klockor här!", "Du är en idiot.", "Bibliotekets öppettider är för korta.")
    for i in range(records):
        removal_log(
            actor=web_team,
            channel=library,
            category=("g", "a", "other")[i % 3],
            action="deleted",
            removed_at=now - timedelta(hours=i + 1),
            text=f"{texts[i % 3]} ({i})",
            author_name=f"Skribent {i}",
            explanation="Upprepad." if i % 3 == 2 else "",
        )


def seed(channels: int = 0, records: int = 0) -> dict:
    """Migrate, load the demo data and fill the register to a page; return the URLs to ask."""
    from django.core.management import call_command
    from django.urls import reverse

    from moderation import demo as moderation_demo
    from registry import demo
    from registry.models import Channel, Mandate, Unit
    from registry.platforms import normalise_url
    from registry.services.channels import channel_register

    call_command("migrate", verbosity=0, interactive=False)
    users = demo.load()  # what load_demo_data runs; only the command insists on DEBUG
    moderation_demo.load(users)
    units = list(Unit.objects.filter(is_active=True).order_by("slug"))
    n = 0
    while Channel.objects.exclude(status=Channel.Status.REJECTED).count() < REGISTER_ROWS + 5:
        channel_register(
            actor=users["webb"],
            unit=units[n % len(units)],
            url=f"https://www.facebook.com/norsjo.bench{n}",
            name=f"Norsjö bänkkanal {n:02d}",
            purpose="Informera invånarna om verksamheten, öppettider och evenemang.",
            audience="Invånare och besökare i Norsjö.",
        )
        n += 1
    grow(channels, records)
    library = Channel.objects.get(url=normalise_url("https://www.facebook.com/norsjobibliotek"))
    mandate = Mandate.objects.filter(employee=users["skribent"], channel=library, role=Mandate.Role.WRITER).first()
    urls = {}
    for key, _, name, _ in PAGES:
        kwargs = {}
        if key == "channel":
            kwargs = {"pk": library.pk}
        elif key == "removal":
            kwargs = {"channel_pk": library.pk}
        elif key == "mandate":
            kwargs = {"pk": mandate.pk}
        urls[key] = reverse(name, kwargs=kwargs) + (f"?q={LOG_SEARCH}" if key == "search" else "")
    return urls


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def _client(username: str):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _refresh_session(client) -> None:
    """Mark the session as just seen, so the next request does not renew it (norsjo.middleware)."""
    from norsjo.sessions import SESSION_SEEN_KEY

    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time())
    session.save()


def _get(client, url: str, who: str):
    response = client.get(url)
    if response.status_code != 200:
        raise PageError(f"GET {url} as {who} answered {response.status_code}, not 200: the benchmark stops")
    return response


class _Origins:
    """An execute wrapper that notes, for each query, the project code that issued it."""

    def __init__(self):
        self.origins = []

    def __call__(self, execute, sql, params, many, context):
        self.origins.append(_origin(traceback.extract_stack()[:-1]))
        return execute(sql, params, many, context)


def _origin(stack) -> str:
    """The project's frames that led to a query, innermost first (not Django, the middleware or this script)."""
    own = [
        f"{Path(frame.filename).relative_to(ROOT)}:{frame.name}:{frame.lineno}"
        for frame in stack
        if frame.filename.startswith(str(ROOT))
        and "/.venv/" not in frame.filename
        and not frame.filename.startswith(str(ROOT / "bench"))
        and not frame.filename.endswith("middleware.py")
    ]
    return " <- ".join(reversed(own[-3:])) or "?"


def count_queries(client, url: str, who: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _refresh_session(client)
    origins = _Origins()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(origins):
        _get(client, url, who)
    sqls = [query["sql"] for query in captured.captured_queries]
    # BEGIN, COMMIT and ROLLBACK are logged by Django's transaction handling, not executed through
    # the wrapper: they have no origin of their own.
    where = iter(origins.origins)
    issued = ["(transaction)" if sql in TRANSACTION else next(where, "?") for sql in sqls]
    seen = Counter(sqls)
    duplicated = defaultdict(list)
    for sql, origin in zip(sqls, issued, strict=True):
        if seen[sql] > 1:
            duplicated[sql].append(origin)
    return {
        "queries": len(sqls),
        "duplicates": len(sqls) - len(seen),
        "duplicated": [{"sql": sql, "times": seen[sql], "origins": where} for sql, where in duplicated.items()],
    }


def measure(urls: dict, requests: int, warmup: int, profile: str = "", profile_out: str = "") -> dict:
    """Time every page of every role, interleaved; return {role: {page: figures}}."""
    asked = [(role, key, label) for role in ROLES for key, label, _, roles in PAGES if role in roles]
    clients = {role: _client(username) for role, username in ROLES.items()}
    for role, key, _ in asked:
        for _ in range(warmup):
            _get(clients[role], urls[key], role)
    times = defaultdict(list)
    profiler = cProfile.Profile() if profile else None
    for _ in range(requests):
        for role, key, _ in asked:
            client, url = clients[role], urls[key]
            profiling = profiler is not None and profile == f"{role}/{key}"
            if profiling:
                profiler.enable()
            start = time.perf_counter()
            _get(client, url, role)
            elapsed = time.perf_counter() - start
            if profiling:
                profiler.disable()
            times[role, key].append(elapsed)
    results = defaultdict(dict)
    for role, key, label in asked:
        values = sorted(times[role, key])
        results[role][key] = {
            "label": label,
            "url": urls[key],
            "median_ms": statistics.median(values) * 1000,
            "p90_ms": _p90(values) * 1000,
            "times": [value * 1000 for value in values],
            **count_queries(clients[role], urls[key], role),
        }
    if profiler is not None:
        if not any(profile == f"{role}/{key}" for role, key, _ in asked):
            raise SystemExit(f"--profile {profile}: no such role/page (e.g. chef/home, skribent/removal)")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        # The project's own functions (views, selectors, permissions, template tags), and crispy-forms.
        own = re.escape(str(ROOT)) + r"/(registry|moderation|norsjo|accounts)/|crispy_forms"
        stats.sort_stats("cumulative").print_stats(own, 40)
        if profile_out:
            stats.dump_stats(profile_out)
        print(f"\ncProfile of {profile}, {requests} requests:\n{out.getvalue()}")
    return results


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def floor_ms(results: dict) -> float:
    """The floor: the median of every signed-in /healthz request of the run, whoever asked."""
    return statistics.median(ms for pages in results.values() for ms in pages.get("floor", {}).get("times", []))


def print_table(run: dict) -> None:
    database, results, requests = run["database"], run["results"], run["requests"]
    floor = floor_ms(results)
    scale = run.get("scale") or {}
    if scale.get("channels") or scale.get("records"):
        database = f"{database} (demo + {scale['channels']} channels, + {scale['records']} removals)"
    print(
        f"\n{database}: median and p90 of {requests} requests per page and role after warm-up, DEBUG off, "
        f"in-process; floor = signed-in /healthz, median of all roles' requests {floor:.2f} ms; "
        "load average {:.1f} before, {:.1f} after".format(*run["load_average"])
    )
    print(f"{'page':28} {'role':14} {'median':>8} {'p90':>8} {'queries':>8} {'dupl.':>6} {'× floor':>8}")
    labels = {key: label for key, label, _, _ in PAGES}
    for key in labels:
        for role, pages in results.items():
            if key not in pages:
                continue
            page = pages[key]
            print(
                f"{labels[key]:28} {role:14} {page['median_ms']:6.1f}ms {page['p90_ms']:6.1f}ms "
                f"{page['queries']:8d} {page['duplicates']:6d} {page['median_ms'] / floor:7.1f}×"
            )


def print_duplicates(database: str, results: dict) -> None:
    print(f"\n{database}: queries run more than once in one request (SQL cut at 160 characters)")
    for role, pages in results.items():
        for key, page in pages.items():
            for duplicate in page["duplicated"]:
                print(f"  {role}/{key}: {duplicate['times']}× {duplicate['sql'][:160]}")
                for origin in sorted(set(duplicate["origins"])):
                    print(f"      from {origin}")


def run_one(database: str, args) -> dict:
    tmp = tempfile.TemporaryDirectory(prefix="bench-pages-")
    url = args.database_url if database == "postgres" else f"sqlite:///{tmp.name}/bench.sqlite3"
    if database == "postgres":
        _postgres(url, create=True)
    try:
        setup_django(url)
        urls = seed(args.channels, args.records)
        load_before = os.getloadavg()[0]
        results = measure(urls, args.requests, args.warmup, args.profile, args.profile_out)
        load_after = os.getloadavg()[0]
        from django.db import connection

        connection.close()
    finally:
        if database == "postgres":
            _postgres(url, create=False)
        tmp.cleanup()
    return {
        "database": database,
        "requests": args.requests,
        "scale": {"channels": args.channels, "records": args.records},
        "floor_ms": floor_ms(results),
        # The machine's 1-minute load average before and after: a shared machine's noise, on record.
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page and role (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page and role first")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES, help="PostgreSQL; dropped and re-created")
    parser.add_argument("--channels", type=int, default=0, help="more channels in the manager's unit (e.g. 500)")
    parser.add_argument("--records", type=int, default=0, help="more removals in the log (e.g. 600)")
    parser.add_argument("--json", default="", help="save the figures to this file")
    parser.add_argument("--duplicates", action="store_true", help="list each duplicated query and its origin")
    parser.add_argument("--profile", default="", help="cProfile one ROLE/PAGE, e.g. chef/home (role by username)")
    parser.add_argument("--profile-out", default="", help="save the --profile statistics to this file (pstats)")
    parser.add_argument("--quiet-table", action="store_true", help=argparse.SUPPRESS)  # a child of --database both
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    if args.profile:
        # The roles are named by the demo username on the command line: chef/home, skribent/removal.
        username, _, page = args.profile.partition("/")
        by_name = {name: role for role, name in ROLES.items()}
        args.profile = f"{by_name.get(username, username)}/{page}"

    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    runs = []
    if len(databases) == 1:
        runs.append(run_one(databases[0], args))
    else:
        # One process per database: Django's settings, and so its database, are per process.
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
            for database in databases:
                out = Path(tmp) / f"{database}.json"
                command = [sys.executable, __file__, "--database", database, "--json", str(out)]
                command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
                command += ["--database-url", args.database_url, "--quiet-table"]
                command += ["--channels", str(args.channels), "--records", str(args.records)]
                if args.profile:
                    command += ["--profile", args.profile, "--profile-out", args.profile_out]
                result = subprocess.run(command, cwd=ROOT, check=False)
                if result.returncode != 0:
                    raise SystemExit(f"the {database} run failed (exit status {result.returncode})")
                runs.extend(json.loads(out.read_text())["runs"])
    if not args.quiet_table:
        for run in runs:
            print_table(run)
            if args.duplicates:
                print_duplicates(run["database"], run["results"])
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": runs}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
