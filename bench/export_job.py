"""Measure the 100,000-record XLSX export as a background job: the request that starts it, and the worker.

Builds (or, with --reuse, reuses) the SQLite database of ``bench/export.py`` with N records,
then, with the application's settings on that database:

1. the archivist's POST to the export page's "Make an Excel file" button (the request:
   it must answer at once, whatever the number of records);
2. the worker (``manage.py run_jobs --batch``, its own process, as in production) making the
   file, timed from start to the job's state "ready".

Usage:

    .venv/bin/python bench/export_job.py [--records 100000] [--reuse] [--workdir DIR]

Figures go to stdout; see docs/performance.md ("Exports in the background").
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as export_bench  # noqa: E402 - bench/export.py builds the database


def _start(db: Path, media: Path) -> dict:
    """Start the job through the view, as the archivist's browser does; return its id and the request's time."""
    os.environ.update(export_bench._env(db), MEDIA_ROOT=str(media))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.urls import reverse

    from jobs.models import Job

    user, _ = User.objects.get_or_create(username="bench-arkivarie")
    user.groups.add(Group.objects.get_or_create(name="archivist")[0])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    started = time.perf_counter()
    response = client.post(reverse("moderation:export_start"), {"format": "xlsx", "filters": ""})
    request_seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return {"job": Job.objects.latest("pk").pk, "request_seconds": round(request_seconds, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "bench_export_job"))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--start", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(args.workdir)
    db, media = workdir / "export.sqlite3", workdir / "media"
    if args.start:
        print(json.dumps(_start(Path(args.start), media)))
        return
    workdir.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and db.exists()):
        export_bench.build(db, args.records)
    env = dict(export_bench._env(db), MEDIA_ROOT=str(media))
    started = subprocess.run(
        [sys.executable, __file__, "--start", str(db), "--workdir", str(workdir)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    figures = json.loads(started.stdout.strip().splitlines()[-1])
    begin = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "run_jobs", "--batch", "-v0"], check=True, env=env)
    figures["worker_seconds"] = round(time.perf_counter() - begin, 1)
    import sqlite3

    row = (
        sqlite3.connect(db)
        .execute("SELECT state, done, total, result_size FROM jobs_job WHERE id = ?", (figures["job"],))
        .fetchone()
    )
    figures.update(state=row[0], done=row[1], total=row[2], megabytes=round((row[3] or 0) / 1e6, 1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
