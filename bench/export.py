"""Benchmark the streaming CSV export of the moderation log against the physical limit.

Builds a SQLite database with N records (default 1,000,000: the record, its content and
author, as the application stores them), then exports the same rows as CSV three ways, each
in its own process so that its peak memory (ru_maxrss) is its own:

- ``sqlite3 -csv``: the sqlite3 command-line shell dumping the same join: the physical limit;
- ``streaming``: the code behind the CSV button (``database_csv.export_csv``: lines formatted by
  the database, streamed), at a tenth of the rows and at all of them (memory must stay flat);
- ``python``: the Python writer (``table.export_table`` -> ``writers.csv_chunks``), the rows
  XLSX and JSON Lines are made from;
- ``naive``: the whole result built as a list in memory first, then written.

Usage:

    .venv/bin/python bench/export.py [--records 1000000] [--repeat 3] [--reuse] [--workdir DIR]

Figures go to stdout; see docs/performance.md.
"""

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    *("kommun", "bibliotek", "skola", "simhall", "idiot", "politiker", "lögnare", "skattepengar", "snö"),
    *("plogning", "vägen", "bussen", "fritidsgård", "öppettider", "reklam", "köp", "billigt", "erbjudande"),
    *("klicka", "länk", "pengar", "hat", "skäms", "tjänstemän", "ansvar", "fullmäktige", "beslut", "budget"),
    *("äldreboende", "personal", "sommarjobb", "idrott", "konsert", "lotteri", "granne"),
]
PREFIXES = ["", "", "", "", "=", "+", "-", "@"]

EXPORT_SQL = """
SELECT r.id, r.sequence, r.confidential, r.removed_at, r.comment_published_at, r.channel_name, r.unit_name,
       r.platform_name, r.category, r.legally_required, r.action, r.addendum_to_id, u.username, r.logged_at,
       d.disposed_at, d.decision_reference, r.record_hash, c.text, c.author_name, c.author_handle, c.author_url,
       c.comment_url, c.post_url, c.explanation
FROM moderation_removedcomment r
JOIN auth_user u ON u.id = r.logged_by_id
LEFT JOIN moderation_removedcommentcontent c ON c.record_id = r.id
LEFT JOIN moderation_disposedrecord d ON d.record_id = r.id
ORDER BY r.id DESC
"""


def _env(db: Path) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "norsjo.settings"})
    return env


def build(db: Path, records: int) -> None:
    """Create the schema with the project's migrations and fill it with *records* records."""
    if db.exists():
        db.unlink()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"], check=True, env=_env(db))
    subprocess.run([sys.executable, __file__, "--seed", str(db)], check=True, env=_env(db))
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    channel_id, user_id = connection.execute(
        "SELECT c.id, u.id FROM registry_channel c, auth_user u WHERE u.username = 'bench'"
    ).fetchone()
    rng = random.Random(20261125)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch_r, batch_c = [], []

    def flush():
        connection.executemany(
            "INSERT INTO moderation_removedcomment (id, sequence, channel_id, channel_name, unit_name, platform_name,"
            " category, legally_required, confidential, action, comment_published_at, removed_at, logged_by_id,"
            " logged_at, addendum_to_id, content_sha256, attachments_sha256, previous_hash, record_hash)"
            " VALUES (?, ?, ?, 'Norsjö bibliotek', 'Kultur- och fritidsförvaltningen', 'Facebook', ?, ?, ?, ?, ?, ?,"
            " ?, ?, NULL, ?, ?, ?, ?)",
            batch_r,
        )
        connection.executemany(
            "INSERT INTO moderation_removedcommentcontent (record_id, text, author_name, author_handle, author_url,"
            " comment_url, post_url, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
            batch_c,
        )
        batch_r.clear()
        batch_c.clear()

    hexes = "0123456789abcdef"
    for n in range(1, records + 1):
        removed = start + timedelta(seconds=n * 47)
        category = rng.choice("aabbcdefgh")
        digest = "".join(rng.choice(hexes) for _ in range(8)) * 8
        batch_r.append(
            (
                n,
                n,
                channel_id,
                category,
                category in "bcde",
                category == "h",
                rng.choice(["deleted", "unpublished"]),
                (removed - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                removed.strftime("%Y-%m-%d %H:%M:%S.%f"),
                user_id,
                (removed + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                digest,
                digest,
                digest,
                f"{n:064x}",
            )
        )
        text = rng.choice(PREFIXES) + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        handle = f"user{rng.randint(1, 50000)}"
        batch_c.append(
            (
                n,
                text,
                f"Person {handle}",
                handle,
                f"https://www.facebook.com/{handle}",
                f"https://www.facebook.com/norsjobibliotek/posts/{n // 40}?comment_id={n}",
                f"https://www.facebook.com/norsjobibliotek/posts/{n // 40}",
            )
        )
        if len(batch_r) >= 20000:
            flush()
    flush()
    connection.execute(
        "UPDATE moderation_chainhead SET sequence = ?, last_hash = ? WHERE id = 1", (records, f"{records:064x}")
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def seed() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User

    from registry.models import Channel, Platform, Unit

    user = User.objects.create(username="bench")
    unit = Unit.objects.create(name="Kultur- och fritidsförvaltningen", slug="kultur")
    Channel.objects.create(
        platform=Platform.objects.get(slug="facebook"),
        name="Norsjö bibliotek",
        url="https://www.facebook.com/norsjobibliotek",
        unit=unit,
        purpose="Bench.",
        audience="Bench.",
        status="active",
        created_by=user,
    )


def measure(name: str, db: Path, out: Path, limit: int | None) -> dict:
    """Run one export in this (fresh) process and return rows, seconds and peak memory."""
    if name == "sqlite3":
        started = time.perf_counter()
        sql = EXPORT_SQL if limit is None else EXPORT_SQL.replace("ORDER BY", f"WHERE r.sequence <= {limit} ORDER BY")
        with open(out, "wb") as sink:
            process = subprocess.Popen(["sqlite3", "-csv", "-header", str(db), sql], stdout=sink)
            _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        assert status == 0
        rows = _count_lines(out) - 1
        return {"rows": rows, "seconds": elapsed, "peak_mb": usage.ru_maxrss / 1024}

    import django

    django.setup()
    from moderation.exports import database_csv, table, writers
    from moderation.selectors.log import Filters

    started = time.perf_counter()
    qs = table.records_for_export(user=None, filters=Filters())
    if limit is not None:
        qs = qs.filter(sequence__lte=limit)
    rows = 0
    if name == "streaming":  # the CSV button: lines formatted by the database
        with open(out, "wb") as sink:
            for chunk in database_csv.export_csv(qs, delimiter=";", reveal_confidential=True):
                sink.write(chunk)
        rows = _count_lines(out) - 1
    elif name == "python":  # the Python writer (the rows XLSX and JSON Lines are made from)
        with open(out, "wb") as sink:
            for chunk in writers.csv_chunks(
                table.EXPORT_COLUMNS, table.export_table(qs, reveal_confidential=True), delimiter=";"
            ):
                sink.write(chunk)
        rows = _count_lines(out) - 1
    elif name == "naive":
        import csv

        records = list(qs.select_related("content", "logged_by", "disposal"))  # everything in memory at once
        table = []
        for record in records:
            content = getattr(record, "content", None)
            table.append(
                [
                    record.pk,
                    record.sequence,
                    record.confidential,
                    timezone_local(record.removed_at),
                    timezone_local(record.comment_published_at),
                    record.channel_name,
                    record.unit_name,
                    record.platform_name,
                    record.category,
                    record.legally_required,
                    record.action,
                    record.addendum_to_id,
                    record.logged_by.username,
                    timezone_local(record.logged_at),
                    record.record_hash,
                    *(
                        getattr(content, key) if content else ""
                        for key in ("text", "author_name", "author_handle", "author_url", "comment_url", "post_url")
                    ),
                ]
            )
        with open(out, "w", encoding="utf-8-sig", newline="") as sink:
            csv.writer(sink, delimiter=";").writerows(table)
        rows = len(table)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": elapsed, "peak_mb": peak}


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def timezone_local(value):
    from django.utils import timezone

    return timezone.localtime(value).isoformat(sep=" ", timespec="seconds") if value else None


def run(name: str, db: Path, workdir: Path, limit: int | None = None, repeat: int = 1) -> dict:
    """Run one measurement *repeat* times, each in a fresh process; keep the fastest (a shared machine is noisy)."""
    best = None
    for _ in range(repeat):
        out = workdir / f"{name}-{limit or 'all'}.csv"
        args = [sys.executable, __file__, "--measure", name, "--db", str(db), "--out", str(out)]
        if limit:
            args += ["--limit", str(limit)]
        result = subprocess.run(args, check=True, env=_env(db), capture_output=True, text=True)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        figures["bytes"] = out.stat().st_size
        out.unlink()
        if best is None or figures["seconds"] < best["seconds"]:
            best = figures
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "bench_export"))
    parser.add_argument("--reuse", action="store_true", help="Reuse the database of an earlier run.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the fastest counts.")
    parser.add_argument("--measure")
    parser.add_argument("--seed")
    parser.add_argument("--db")
    parser.add_argument("--out")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.seed:
        seed()
        return
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.db), Path(args.out), args.limit)))
        return

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "export.sqlite3"
    if not (args.reuse and db.exists()):
        started = time.perf_counter()
        build(db, args.records)
        size = db.stat().st_size / 1e6
        print(f"Built {args.records:,} records in {time.perf_counter() - started:.0f} s ({size:.0f} MB)")
    tenth = max(args.records // 10, 1)
    repeat = args.repeat
    results = [
        ("sqlite3 -csv (physical limit)", run("sqlite3", db, workdir, repeat=repeat)),
        (f"streaming export, {tenth:,} rows", run("streaming", db, workdir, limit=tenth, repeat=repeat)),
        ("streaming export (the CSV button)", run("streaming", db, workdir, repeat=repeat)),
        ("streaming, Python CSV writer", run("python", db, workdir, repeat=1)),
        ("naive: whole list in memory", run("naive", db, workdir)),
    ]
    print(f"(best of {repeat} runs each, naive once; peak MB = ru_maxrss of the process)")
    limit = results[0][1]["seconds"]
    print(f"\n{'method':<36} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'x sqlite3':>9} {'peak MB':>8} {'MB out':>7}")
    for label, r in results:
        print(
            f"{label:<36} {r['rows']:>10,} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>10,.0f}"
            f" {r['seconds'] / limit:>9.1f} {r['peak_mb']:>8.0f} {r['bytes'] / 1e6:>7.0f}"
        )


if __name__ == "__main__":
    main()
