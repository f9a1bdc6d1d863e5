"""Load test: many signed-in users through the main flows, against gunicorn + PostgreSQL on loopback.

    .venv/bin/python bench/load.py                      # 30 s, 24 users, HUP reloads, outage check
    .venv/bin/python bench/load.py --duration 60 --users 50 --no-outage

What it does, and what it reports (docs/performance.md, "Load"):

1. Starts a private PostgreSQL cluster on its own port in a temporary directory (never the
   shared server: the outage step stops it), migrates it and seeds units, channels and users.
2. Starts gunicorn with the production configuration (deploy/gunicorn.conf.py, DEBUG off,
   hashed static files) on loopback.
3. Signs every virtual user in, then runs them concurrently through FLOWS for --duration
   seconds; gunicorn is reloaded (HUP: new workers, old ones finish their requests) during the
   run. Every response must be the expected one: any other status or a failed connection is
   an error. Reports throughput and p50/p95/p99 latency, overall and per flow.
4. Checks that every write the server acknowledged (a 302 to the new channel) is in the
   database: nothing acknowledged is lost across the reloads.
5. Outage: stops PostgreSQL; /healthz must answer 503 and a page 503 with Retry-After; starts
   it again; the application must recover by itself (no restart), and the time it took is reported.

Exit status 0 only when there were zero errors, nothing lost, and the outage behaved.
"""

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "bench-password-9f3k"  # noqa: S105 - a throwaway cluster's users

# --------------------------------------------------------------------------------------------
# The flows. Each is one request a person makes; add the other features' flows here.
# ``roles``: who does it; ``weight``: how often; ``optional``: skipped (and said so) when the
# URL does not exist on this branch yet (404 in the warm-up).
# --------------------------------------------------------------------------------------------


@dataclass
class Flow:
    name: str
    path: str  # may contain {channel}: a random channel id
    roles: tuple = ("employee", "web_team", "manager")
    weight: int = 1
    method: str = "GET"
    expect: tuple = (200,)
    optional: bool = False
    form: dict | None = None  # POST data; values may be callables taking (user, counter)
    form_page: str | None = None  # the page whose form is posted (for the CSRF cookie)
    write: bool = False  # an acknowledged write: a 302 whose Location names the new object


def _new_channel(user, n):
    return {
        "url": f"https://www.instagram.com/bench.{user}.{n}",
        "name": f"Lasttest {user} {n}",
        "unit": "bench-unit",
        "purpose": "Belastningstest av registret.",
        "audience": "Ingen, det är ett test.",
    }


FLOWS = [
    Flow("start page", "/", weight=3),
    Flow("register list", "/kanaler/", weight=3),
    Flow("register search", "/kanaler/?q=bibliotek", weight=2),
    Flow("register filter", "/kanaler/?status=active&page=2", weight=1),
    Flow("channel detail", "/kanaler/{channel}/", weight=4),
    Flow("health check", "/healthz", roles=("anonymous",), weight=1),
    Flow(
        "register a channel",
        "/kanaler/ny/",
        roles=("web_team",),
        weight=2,
        method="POST",
        expect=(302,),
        form=_new_channel,
        form_page="/kanaler/ny/",
        write=True,
    ),
    # Built by other features; measured as soon as they are merged.
    Flow("public list", "/sociala-medier/", roles=("anonymous",), weight=2, optional=True),
    Flow("public API", "/api/v1/channels/", roles=("anonymous",), weight=1, optional=True),
    Flow("mandates", "/uppdrag/", roles=("manager",), weight=1, optional=True),
    Flow("moderation log search", "/moderering/?q=test", roles=("web_team",), weight=1, optional=True),
]


# --------------------------------------------------------------------------------------------
# A private PostgreSQL cluster
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, so stopping it hurts nobody else."""

    def __init__(self, base: Path, port: int):
        self.base, self.port = base, port
        self.data = base / "pgdata"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, *args, check=True):
        binary = shutil.which(args[0]) or args[0]
        result = subprocess.run([*self.as_postgres, binary, *args[1:]], capture_output=True, text=True, cwd="/")
        if check and result.returncode != 0:
            raise SystemExit(f"{args[0]} failed: {result.stdout}{result.stderr}")
        return result

    def init(self):
        self.base.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.base, "postgres")
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.start()
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench")

    def start(self):
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "pg.log"), "-w", "start")

    def stop(self):
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/bench"


# --------------------------------------------------------------------------------------------
# Seeding (runs in a subprocess with Django set up)
# --------------------------------------------------------------------------------------------


def seed(users: int, channels: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from registry.catalogue import ensure_catalogue
    from registry.models import Channel, Platform, Unit
    from registry.permissions import WEB_TEAM_GROUP

    ensure_catalogue(Platform, Group)
    password = make_password(PASSWORD)
    unit = Unit.objects.create(name="Belastningsförvaltningen", slug="bench-unit")
    web_team = Group.objects.get(name=WEB_TEAM_GROUP)
    for i in range(users):
        role = ("web_team", "employee", "manager")[i % 3]
        user = User.objects.create(username=f"{role}{i}", password=password)
        if role == "web_team":
            user.groups.add(web_team)
        elif role == "manager":
            unit.managers.add(user)
    creator = User.objects.filter(groups=web_team).first()
    platform = Platform.objects.get(slug="facebook")
    Channel.objects.bulk_create(
        Channel(
            unit=unit,
            platform=platform,
            name=f"Norsjö bibliotek {i}" if i % 10 == 0 else f"Kanal {i}",
            url=f"https://facebook.com/bench.seed.{i}",
            handle=f"bench.seed.{i}",
            purpose="Nyheter.",
            audience="Invånare.",
            created_by=creator,
            status=Channel.Status.ACTIVE,
        )
        for i in range(channels)
    )


# --------------------------------------------------------------------------------------------
# The virtual users
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    acknowledged: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sign_in(session, base, username):
    session.get(f"{base}/logga-in/", timeout=30)
    response = session.post(
        f"{base}/logga-in/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed: {response.status_code}")


def run_user(session, base, username, role, flows, channel_ids, shared, result: Result, seed_value):
    """Make requests as one person until ``shared["deadline"]``; record latencies, errors, writes."""
    import requests

    rng = random.Random(seed_value)
    mine = [flow for flow in flows if role in flow.roles]
    weights = [flow.weight for flow in mine]
    counter = 0
    while time.monotonic() < shared["deadline"]:
        flow = rng.choices(mine, weights)[0]
        counter += 1
        url = base + flow.path.format(channel=rng.choice(channel_ids))
        started = time.perf_counter()
        try:
            if flow.method == "POST":
                if "csrftoken" not in session.cookies:
                    session.get(base + flow.form_page, timeout=60)
                data = dict(flow.form(username, counter), csrfmiddlewaretoken=session.cookies["csrftoken"])
                response = session.post(url, data=data, allow_redirects=False, timeout=60)
            else:
                response = session.get(url, allow_redirects=False, timeout=60)
            elapsed = time.perf_counter() - started
            error = None if response.status_code in flow.expect else f"{flow.name}: {response.status_code} {url}"
        except requests.RequestException as exc:
            elapsed, error = time.perf_counter() - started, f"{flow.name}: {exc!r}"
        with result.lock:
            result.latencies[flow.name].append(elapsed)
            if error:
                result.errors.append(error)
            elif flow.write:
                match = re.search(r"/kanaler/(\d+)/", response.headers.get("Location", ""))
                if match:
                    result.acknowledged.append(int(match.group(1)))
                else:
                    result.errors.append(f"{flow.name}: acknowledged without the new object's address")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def wait_for(url, statuses=(200,), timeout=60.0):
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code in statuses:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return False


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--users", type=int, default=24, help="concurrent signed-in users (default 24)")
    parser.add_argument("--anonymous", type=int, default=1, help="concurrent anonymous visitors (default 1)")
    parser.add_argument("--channels", type=int, default=500, help="channels in the register (default 500)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--reloads", type=int, default=2, help="HUP reloads during the run (default 2)")
    parser.add_argument("--no-outage", action="store_true", help="skip the database outage check")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "load.json")
    args = parser.parse_args()

    import psycopg
    import requests

    workdir = Path(tempfile.mkdtemp(prefix="kanalregistret-load-"))
    workdir.chmod(0o755)  # the postgres user works in a directory inside
    postgres = PrivatePostgres(workdir / "pg", _free_port())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": postgres.url,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        # Loopback without TLS: the cookies must travel over plain http here.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    server = None
    report = {"users": args.users, "anonymous": args.anonymous, "duration_s": args.duration}
    failures = []
    try:
        print(f"PostgreSQL: private cluster on port {postgres.port} in {workdir}")
        postgres.init()
        manage = [PYTHON, "manage.py"]
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, __file__, "--seed", str(args.users), str(args.channels)], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", "norsjo.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=(workdir / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        if not wait_for(f"{base}/healthz"):
            raise SystemExit("gunicorn did not start; see " + str(workdir / "gunicorn.log"))

        with psycopg.connect(postgres.url.replace("postgres://", "postgresql://")) as db:
            channel_ids = [row[0] for row in db.execute("SELECT id FROM registry_channel")]
            users = [row[0] for row in db.execute("SELECT username FROM auth_user ORDER BY id")]

        # Warm-up: which optional flows exist on this branch?
        flows = []
        for flow in FLOWS:
            if flow.optional:
                status = requests.get(base + flow.path, allow_redirects=False, timeout=30).status_code
                if status == 404:
                    print(f"  (skipped: {flow.name}, {flow.path} is not on this branch)")
                    continue
            flows.append(flow)

        result = Result()
        print(f"Signing in {args.users} users ...")
        started = time.monotonic()
        threads = []
        barrier = threading.Barrier(args.users + args.anonymous + 1)

        shared = {"deadline": time.monotonic() + 3600}  # set once everyone is signed in

        def virtual_user(username, role, seed_value):
            session = requests.Session()
            if role != "anonymous":
                sign_in(session, base, username)
            barrier.wait()
            run_user(session, base, username, role, flows, channel_ids, shared, result, seed_value)

        roles = {name: re.sub(r"\d+$", "", name) for name in users}
        for i, username in enumerate(users[: args.users]):
            threads.append(threading.Thread(target=virtual_user, args=(username, roles[username], i), daemon=True))
        for i in range(args.anonymous):
            threads.append(threading.Thread(target=virtual_user, args=("", "anonymous", 1000 + i), daemon=True))
        for thread in threads:
            thread.start()
        barrier.wait()
        print(f"  signed in after {time.monotonic() - started:.1f} s; running for {args.duration:.0f} s")
        started = time.monotonic()
        shared["deadline"] = started + args.duration

        reloads = []
        for i in range(args.reloads):
            time.sleep(max(0.0, started + (i + 1) * args.duration / (args.reloads + 1) - time.monotonic()))
            at = time.monotonic() - started
            server.send_signal(signal.SIGHUP)
            reloads.append(round(at, 1))
            print(f"  HUP (graceful reload of every worker) at {at:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        # Every acknowledged write must be in the database.
        with psycopg.connect(postgres.url.replace("postgres://", "postgresql://")) as db:
            present = {row[0] for row in db.execute("SELECT id FROM registry_channel")}
        lost = sorted(set(result.acknowledged) - present)

        all_latencies = [value for values in result.latencies.values() for value in values]
        total = len(all_latencies)
        report.update(
            requests=total,
            elapsed_s=round(elapsed, 1),
            throughput_rps=round(total / elapsed, 1),
            p50_ms=round(percentile(all_latencies, 0.50) * 1000, 1),
            p95_ms=round(percentile(all_latencies, 0.95) * 1000, 1),
            p99_ms=round(percentile(all_latencies, 0.99) * 1000, 1),
            errors=len(result.errors),
            error_samples=result.errors[:10],
            reloads_at_s=reloads,
            acknowledged_writes=len(result.acknowledged),
            lost_writes=len(lost),
            flows={
                name: {
                    "requests": len(values),
                    "p50_ms": round(percentile(values, 0.50) * 1000, 1),
                    "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                    "mean_ms": round(statistics.fmean(values) * 1000, 1),
                }
                for name, values in sorted(result.latencies.items())
            },
            gunicorn={"workers": args.workers, "threads": args.threads, "worker_class": "gthread"},
        )
        if result.errors:
            failures.append(f"{len(result.errors)} errors, e.g. {result.errors[:3]}")
        if lost:
            failures.append(f"{len(lost)} acknowledged writes lost: {lost[:10]}")

        if not args.no_outage:
            outage = {}
            page_session = requests.Session()
            sign_in(page_session, base, users[1])
            print("Outage: stopping PostgreSQL ...")
            postgres.stop()
            health = requests.get(f"{base}/healthz", timeout=30)
            page = page_session.get(f"{base}/kanaler/", timeout=30, allow_redirects=False)
            outage.update(
                healthz_status=health.status_code,
                page_status=page.status_code,
                page_retry_after=page.headers.get("Retry-After"),
                page_says_unavailable="otillgängligt" in page.text,
            )
            retry = outage["page_retry_after"]
            print(f"  /healthz {health.status_code}, /kanaler/ {page.status_code}, Retry-After: {retry}")
            postgres.start()
            t0 = time.monotonic()
            recovered = wait_for(f"{base}/healthz", timeout=60)
            outage["healthz_recovered_after_s"] = round(time.monotonic() - t0, 2)
            # Several requests: every worker thread's old connection must be replaced by itself.
            statuses = [page_session.get(f"{base}/kanaler/", timeout=30).status_code for _ in range(20)]
            outage["pages_after_recovery"] = statuses
            report["outage"] = outage
            print(f"  back after {outage['healthz_recovered_after_s']} s; pages: {sorted(set(statuses))}")
            if health.status_code != 503 or page.status_code != 503 or not page.headers.get("Retry-After"):
                failures.append(f"outage: healthz {health.status_code}, page {page.status_code}")
            if not outage["page_says_unavailable"]:
                failures.append("outage: the page does not say the register is unavailable")
            if not recovered or set(statuses) != {200}:
                failures.append(f"outage: no recovery without a restart ({statuses})")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    report["passed"] = not failures
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        raise SystemExit(1)
    print("PASSED: zero errors, nothing acknowledged was lost" + ("" if args.no_outage else ", outage handled"))


def print_report(report):
    print()
    print(
        f"{report['requests']} requests in {report['elapsed_s']} s by {report['users']} signed-in users "
        f"+ {report['anonymous']} anonymous: {report['throughput_rps']} requests/s, "
        f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, "
        f"{report['errors']} errors; {report['acknowledged_writes']} acknowledged writes, "
        f"{report['lost_writes']} lost across {len(report['reloads_at_s'])} reloads"
    )
    print()
    print("| flow | requests | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, flow in report["flows"].items():
        print(f"| {name} | {flow['requests']} | {flow['p50_ms']} | {flow['p95_ms']} |")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
