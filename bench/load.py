"""Load test: many signed-in users through the main flows, against gunicorn + PostgreSQL on loopback.

    .venv/bin/python bench/load.py                      # 30 s, 24 users, HUP reloads, outage check
    .venv/bin/python bench/load.py --duration 60 --users 50 --no-outage

What it does, and what it reports (docs/performance.md, "Load"):

1. Starts a private PostgreSQL cluster on its own port in a temporary directory (never the
   shared server: the outage step stops it), migrates it and seeds, through the services,
   units, channels (half on the public list), users of every role, writers with an active
   (acknowledged) mandate on three channels each, and a moderation log of --records removals.
2. Starts gunicorn with the production configuration (deploy/gunicorn.conf.py, DEBUG off,
   hashed static files) on loopback.
3. Reverses every flow's URL name with the application's URLconf and tries each flow once as
   one of its people: a missing URL or an unexpected answer stops the script (no flow is ever
   skipped). Then signs every virtual user in and runs them concurrently through FLOWS for
   --duration seconds; gunicorn is reloaded (HUP: new workers, old ones finish their
   requests) during the run. Every response must be the expected one: any other status or a
   failed connection is an error. Writes go through the real forms: GET the form, POST it
   with the page's CSRF token. Reports throughput and p50/p95/p99 latency, overall and per flow.
4. Checks that every write the server acknowledged (a 302 to the new removal record or
   channel) is in the database with the text that was sent: nothing acknowledged is lost
   across the reloads; and that ``verify_moderation_log`` still verifies the hash chain.
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
# The flows. Each is one thing a person does; add a ``Flow(...)`` line for a new screen.
# Addresses are Django URL names, reversed by the application itself before the run (``urls``):
# a name that does not exist stops the script before any load (nothing is ever skipped), and
# every flow is tried once by one of its people before the run, which must give the expected
# status.
# ``roles``: who does it; ``weight``: how often; ``{channel}``: a random channel of the
# register; ``{my_channel}``: one of the channels the writer has an active mandate on.
# --------------------------------------------------------------------------------------------

PLACEHOLDER = 987654321  # reversed in place of a pk, then replaced by {channel} / {my_channel}
ROLES = ("web_team", "employee", "manager", "writer")
SIGNED_IN = ROLES
LOG_USERS = ("web_team", "manager", "writer")  # moderation.permissions.can_use_log


@dataclass
class Flow:
    name: str
    url_name: str
    placeholder: str = ""  # "channel" or "my_channel" when the URL takes a pk
    query: str = ""
    roles: tuple = SIGNED_IN
    weight: int = 1
    expect: tuple = (200,)
    form: object = None  # a write: GET the form, then POST form(user, n) with the page's CSRF token
    created: str = ""  # a write's acknowledgement: a 302 whose Location matches this (the new pk)
    table: str = ""  # ... and the table the new row must be in after the run

    @property
    def write(self) -> bool:
        return self.form is not None


def _new_channel(user, n):
    return {
        "url": f"https://www.instagram.com/bench.{user}.{n}",
        "name": f"Lasttest {user} {n}",
        "unit": "bench-unit",
        "purpose": "Belastningstest av registret.",
        "audience": "Ingen, det är ett test.",
    }


def _removal(user, n):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    removed = datetime.now(ZoneInfo("Europe/Stockholm")).replace(second=0, microsecond=0) - timedelta(minutes=5)
    return {
        # The marker makes each write findable: it is checked in the database after the run.
        "text": f"Köp billiga klockor nu! lasttest-{user}-{n}",
        "author_name": "Lasttest Spammare",
        "author_handle": f"spam.{user}",
        "comment_published_at": (removed - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "removed_at": removed.strftime("%Y-%m-%dT%H:%M"),
        "action": "deleted",
        "category": "g",  # commercial messages, spam
        "explanation": "",
    }


FLOWS = [
    Flow("start page", "home", weight=3),
    Flow("register list", "registry:channel_list", weight=3),
    Flow("register search", "registry:channel_list", query="q=bibliotek", weight=2),
    Flow("register filter", "registry:channel_list", query="status=active&page=2", weight=1),
    Flow("channel detail", "registry:channel_detail", placeholder="channel", weight=4),
    Flow("my mandates", "mandates:mine", roles=("writer",), weight=1),
    Flow("moderation log", "moderation:record_list", roles=LOG_USERS, weight=2),
    Flow("moderation search", "moderation:record_list", query="q=klockor", roles=LOG_USERS, weight=2),
    Flow(
        "log a removal",
        "moderation:record_create",
        placeholder="my_channel",
        roles=("writer",),
        weight=3,
        expect=(302,),
        form=_removal,
        created=r"^/moderering/(\d+)/$",
        table="moderation_removedcomment",
    ),
    Flow(
        "register a channel",
        "registry:channel_create",
        roles=("web_team",),
        weight=2,
        expect=(302,),
        form=_new_channel,
        created=r"^/kanaler/(\d+)/$",
        table="registry_channel",
    ),
    Flow("public list", "public:list", roles=("anonymous",), weight=2),
    Flow("public API", "public:api_channels", roles=("anonymous",), weight=1),
    Flow("health check", "healthz", roles=("anonymous",), weight=1),
]


def urls() -> dict:
    """Reverse every flow's URL name with the application's own URLconf (runs with Django set up)."""
    from django.urls import reverse

    paths = {}
    for flow in FLOWS:
        kwargs = {}
        if flow.placeholder:
            kwargs = {"channel_pk" if flow.url_name == "moderation:record_create" else "pk": PLACEHOLDER}
        path = reverse(flow.url_name, kwargs=kwargs)  # NoReverseMatch: the run stops here
        if flow.placeholder:
            path = path.replace(str(PLACEHOLDER), f"{{{flow.placeholder}}}")
        paths[flow.name] = path + (f"?{flow.query}" if flow.query else "")
    return paths


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


def seed(users: int, channels: int, records: int, out: Path) -> None:
    """Seed the register and the log through the services; write the URLs and who may log where to *out*."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")
    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from moderation.services.log import removal_log
    from registry.catalogue import ensure_catalogue
    from registry.models import Channel, Platform, Unit
    from registry.permissions import WEB_TEAM_GROUP
    from registry.services.mandates import mandate_acknowledge, mandate_grant

    ensure_catalogue(Platform, Group)
    password = make_password(PASSWORD)
    unit = Unit.objects.create(name="Belastningsförvaltningen", slug="bench-unit")
    web_team = Group.objects.get(name=WEB_TEAM_GROUP)
    people = []
    for i in range(users):
        role = ROLES[i % len(ROLES)]
        user = User.objects.create(username=f"{role}{i}", password=password)
        if role == "web_team":
            user.groups.add(web_team)
        elif role == "manager":
            unit.managers.add(user)
        people.append((user, role))
    creator = User.objects.filter(groups=web_team).first()
    manager = unit.managers.first()
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
            is_published=i % 2 == 0,  # half of them on the public list
        )
        for i in range(channels)
    )
    seeded = list(Channel.objects.order_by("pk"))
    # Writers: an active mandate (granted by the unit's manager, acknowledged) on three channels each.
    writer_channels = {}
    for n, (user, _role) in enumerate(p for p in people if p[1] == "writer"):
        mine = seeded[3 * n : 3 * n + 3]
        for channel in mine:
            mandate = mandate_grant(actor=manager, channel=channel, employee=user, scope="Moderera kommentarer.")
            mandate_acknowledge(mandate=mandate, actor=user, confirmed=True)
        writer_channels[user.username] = [channel.pk for channel in mine]
    # A moderation log to list and search (through the hash chain, like every removal).
    now = timezone.now()
    texts = ("Köp billiga klockor här!", "Du är en idiot.", "Bibliotekets öppettider är för korta.")
    for i in range(records):
        removal_log(
            actor=creator,
            channel=seeded[i % len(seeded)],
            category=("g", "a", "other")[i % 3],
            action="deleted",
            removed_at=now - timedelta(hours=i),
            text=f"{texts[i % 3]} ({i})",
            author_name=f"Skribent {i}",
            explanation="Upprepad." if i % 3 == 2 else "",
        )
    out.write_text(
        json.dumps(
            {
                "paths": urls(),
                "users": [[user.username, role] for user, role in people],
                "channels": [channel.pk for channel in seeded],
                "writer_channels": writer_channels,
            }
        )
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


def csrf_token(html: str) -> str:
    """The form's own CSRF token, as a browser would post it."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise ValueError("the form has no CSRF token")
    return match.group(1)


def request_flow(session, base, flow, path, username, counter, result: Result):
    """Make the flow's request(s); return (latency, error or None, the acknowledged pk or None)."""
    import requests

    url = base + path
    if not flow.write:
        started = time.perf_counter()
        try:
            response = session.get(url, allow_redirects=False, timeout=60)
        except requests.RequestException as exc:
            return time.perf_counter() - started, f"{flow.name}: {exc!r} GET {path}", None
        elapsed = time.perf_counter() - started
        if response.status_code not in flow.expect:
            return elapsed, f"{flow.name}: GET {path} -> {response.status_code}", None
        return elapsed, None, None
    # A write: GET the form (measured as "<name> (form)"), then POST it with its CSRF token.
    started = time.perf_counter()
    try:
        page = session.get(url, allow_redirects=False, timeout=60)
        form_elapsed = time.perf_counter() - started
        with result.lock:
            result.latencies[f"{flow.name} (form)"].append(form_elapsed)
        if page.status_code != 200:
            return None, f"{flow.name}: GET {path} -> {page.status_code}", None
        data = dict(flow.form(username, counter), csrfmiddlewaretoken=csrf_token(page.text))
        started = time.perf_counter()
        response = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60)
    except (requests.RequestException, ValueError) as exc:
        return time.perf_counter() - started, f"{flow.name}: {exc!r} {path}", None
    elapsed = time.perf_counter() - started
    if response.status_code not in flow.expect:
        body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:300]
        return elapsed, f"{flow.name}: POST {path} -> {response.status_code}: {body}", None
    location = response.headers.get("Location", "")
    match = re.match(flow.created, location)
    if not match:
        return elapsed, f"{flow.name}: acknowledged without the new object's address ({location!r})", None
    marker = data.get("text") or data.get("name")  # stored exactly as sent: checked after the run
    return elapsed, None, (flow.table, int(match.group(1)), marker)


def run_user(session, base, username, role, flows, plan, shared, result: Result, seed_value):
    """Make requests as one person until ``shared["deadline"]``; record latencies, errors, writes."""
    rng = random.Random(seed_value)
    mine = [flow for flow in flows if role in flow.roles]
    weights = [flow.weight for flow in mine]
    my_channels = plan["writer_channels"].get(username, [])
    counter = 0
    while time.monotonic() < shared["deadline"]:
        flow = rng.choices(mine, weights)[0]
        counter += 1
        path = plan["paths"][flow.name].format(
            channel=rng.choice(plan["channels"]), my_channel=rng.choice(my_channels) if my_channels else 0
        )
        elapsed, error, written = request_flow(session, base, flow, path, username, counter, result)
        with result.lock:
            if elapsed is not None:
                result.latencies[flow.name].append(elapsed)
            if error:
                result.errors.append(error)
            elif written:
                result.acknowledged.append(written)


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


def check_flows(base, plan, users):
    """Try every flow once as one of its people; stop loudly on anything but the expected answer."""
    import requests

    for flow in FLOWS:
        role = flow.roles[0]
        session = requests.Session()
        username = ""
        if role != "anonymous":
            username = next((name for name, their_role in users if their_role == role), None)
            if username is None:
                raise SystemExit(f"flow {flow.name!r}: no {role} among the seeded users")
            sign_in(session, base, username)
        my_channels = plan["writer_channels"].get(username) or [0]
        path = plan["paths"][flow.name].format(channel=plan["channels"][0], my_channel=my_channels[0])
        scratch = Result()
        _elapsed, error, _written = request_flow(session, base, flow, path, f"check-{username}", 0, scratch)
        if error:
            raise SystemExit(f"flow {flow.name!r} as {username or 'anonymous'} does not work: {error}")


def find_lost(dsn, acknowledged):
    """Return the acknowledged writes that are not in the database (or not with what was sent)."""
    import psycopg

    queries = {
        "registry_channel": "SELECT id, name FROM registry_channel",
        "moderation_removedcomment": (
            "SELECT r.id, c.text FROM moderation_removedcomment r "
            "JOIN moderation_removedcommentcontent c ON c.record_id = r.id"
        ),
    }
    with psycopg.connect(dsn) as db:
        present = {table: dict(db.execute(query).fetchall()) for table, query in queries.items()}
    lost = []
    for table, pk, marker in acknowledged:
        stored = present[table].get(pk)
        if stored != marker:
            lost.append([table, pk, marker])
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--users", type=int, default=24, help="concurrent signed-in users (default 24)")
    parser.add_argument("--anonymous", type=int, default=1, help="concurrent anonymous visitors (default 1)")
    parser.add_argument("--channels", type=int, default=500, help="channels in the register (default 500)")
    parser.add_argument("--records", type=int, default=600, help="removals in the moderation log (default 600)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--reloads", type=int, default=2, help="HUP reloads during the run (default 2)")
    parser.add_argument("--no-outage", action="store_true", help="skip the database outage check")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "load.json")
    args = parser.parse_args()

    import requests

    workdir = Path(tempfile.mkdtemp(prefix="kanalregistret-load-"))
    workdir.chmod(0o755)  # the postgres user works in a directory inside
    postgres = PrivatePostgres(workdir / "pg", _free_port())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    sys.path.insert(0, str(ROOT))
    from moderation.transparency.keys import throwaway_key_environment

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        **throwaway_key_environment(workdir),
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
        # Plain http on loopback: no redirect to https (on by default with DEBUG off).
        "SECURE_SSL_REDIRECT": "false",
        "AXES_FAILURE_LIMIT": "1000",
        # Every simulated client comes from loopback: the per-client rate limit would throttle them all.
        "RATELIMIT_ENABLED": "false",
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
        plan_file = workdir / "plan.json"
        # At least one person of every role, so that every flow can be checked before the run.
        seed_args = [str(max(args.users, len(ROLES))), str(args.channels), str(args.records), str(plan_file)]
        subprocess.run([PYTHON, __file__, "--seed", *seed_args], cwd=ROOT, env=env, check=True)
        plan = json.loads(plan_file.read_text())
        server = subprocess.Popen(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", "norsjo.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=(workdir / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        if not wait_for(f"{base}/healthz"):
            raise SystemExit("gunicorn did not start; see " + str(workdir / "gunicorn.log"))

        users = plan["users"][: args.users]
        roles = dict(users)
        print("Flows (each tried once before the run; any unexpected answer stops the script):")
        for flow in FLOWS:
            print(f"  {flow.name}: {plan['paths'][flow.name]}  ({', '.join(flow.roles)})")
        check_flows(base, plan, plan["users"])

        result = Result()
        print(f"Signing in {args.users} users ...")
        started = time.monotonic()
        threads = []
        barrier = threading.Barrier(len(users) + args.anonymous + 1)

        shared = {"deadline": time.monotonic() + 3600}  # set once everyone is signed in

        def virtual_user(username, role, seed_value):
            session = requests.Session()
            if role != "anonymous":
                sign_in(session, base, username)
            barrier.wait()
            run_user(session, base, username, role, FLOWS, plan, shared, result, seed_value)

        for i, (username, _role) in enumerate(users):
            threads.append(threading.Thread(target=virtual_user, args=(username, roles[username], i), daemon=True))
        for i in range(args.anonymous):
            threads.append(threading.Thread(target=virtual_user, args=("", "anonymous", 1000 + i), daemon=True))
        for thread in threads:
            thread.start()
        barrier.wait()
        print(f"  signed in after {time.monotonic() - started:.1f} s; running for {args.duration:.0f} s")
        started = time.monotonic()
        shared["deadline"] = started + args.duration

        reloads, load_samples = [], []
        for i in range(args.reloads):
            time.sleep(max(0.0, started + (i + 1) * args.duration / (args.reloads + 1) - time.monotonic()))
            at = time.monotonic() - started
            server.send_signal(signal.SIGHUP)
            reloads.append(round(at, 1))
            load_samples.append(os.getloadavg()[0])
            print(f"  HUP (graceful reload of every worker) at {at:.1f} s; load average {load_samples[-1]:.2f}")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        load_samples.append(os.getloadavg()[0])
        print(f"  end of the run: {uptime}")

        # Every acknowledged write must be in the database, with what was sent.
        lost = find_lost(postgres.url.replace("postgres://", "postgresql://"), result.acknowledged)
        by_flow = defaultdict(int)
        for table, _pk, _marker in result.acknowledged:
            by_flow[table] += 1
        # The hash chain of the log must still verify after concurrent appends across reloads.
        verify = subprocess.run([*manage, "verify_moderation_log"], cwd=ROOT, env=env, capture_output=True, text=True)
        print(f"  verify_moderation_log: exit {verify.returncode}: {verify.stdout.strip()[-200:]}")
        if verify.returncode != 0:
            failures.append(f"verify_moderation_log failed: {verify.stdout[-500:]}{verify.stderr[-500:]}")

        all_latencies = [value for values in result.latencies.values() for value in values]
        total = len(all_latencies)
        # The anonymous visitor's requests (public list, API, /healthz) are cheap and as many as the
        # queue lets through: the signed-in requests are the fairer measure of two versions' speed.
        anonymous_flows = {flow.name for flow in FLOWS if "anonymous" in flow.roles}
        signed_in = sum(len(values) for name, values in result.latencies.items() if name not in anonymous_flows)
        report.update(
            requests=total,
            elapsed_s=round(elapsed, 1),
            throughput_rps=round(total / elapsed, 1),
            signed_in_requests=signed_in,
            signed_in_rps=round(signed_in / elapsed, 1),
            p50_ms=round(percentile(all_latencies, 0.50) * 1000, 1),
            p95_ms=round(percentile(all_latencies, 0.95) * 1000, 1),
            p99_ms=round(percentile(all_latencies, 0.99) * 1000, 1),
            errors=len(result.errors),
            error_samples=result.errors[:10],
            reloads_at_s=reloads,
            acknowledged_writes=len(result.acknowledged),
            acknowledged_by_table=dict(by_flow),
            lost_writes=len(lost),
            lost_samples=lost[:10],
            moderation_log_verified=verify.returncode == 0,
            load_average_during_run=[round(value, 2) for value in load_samples],
            uptime_at_end=uptime,
            flows={
                name: {
                    "requests": len(values),
                    "p50_ms": round(percentile(values, 0.50) * 1000, 1),
                    "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                    "p99_ms": round(percentile(values, 0.99) * 1000, 1),
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
            sign_in(page_session, base, users[1][0])
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
        f"+ {report['anonymous']} anonymous: {report['throughput_rps']} requests/s "
        f"({report['signed_in_rps']} signed-in requests/s), "
        f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, "
        f"{report['errors']} errors; {report['acknowledged_writes']} acknowledged writes, "
        f"{report['lost_writes']} lost across {len(report['reloads_at_s'])} reloads"
    )
    print()
    print("| flow | requests | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, flow in report["flows"].items():
        print(f"| {name} | {flow['requests']} | {flow['p50_ms']} | {flow['p95_ms']} | {flow['p99_ms']} |")
    print(f"| **all** | {report['requests']} | {report['p50_ms']} | {report['p95_ms']} | {report['p99_ms']} |")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    else:
        main()
