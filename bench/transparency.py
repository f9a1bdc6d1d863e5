"""Benchmark the moderation log's Merkle tree and signed checkpoints on PostgreSQL (issue 12),
side by side with the hash chain alone.

1. Logging throughput through ``moderation.services.log.removal_log`` with 1 and 4 writers, with
   the chain only (the tree append switched off) and with chain + tree + signed checkpoint.
2. At N records (default 1,000,000, filled in SQL with synthetic hashes as bench/moderation.py
   does): building the tree from the records (what migration 0101 does), an inclusion proof,
   a consistency proof, signing a checkpoint, the public endpoints, appends at that size, and a
   full verification: the chain (``integrity.verify``) and the tree (``tree.verify``).

Usage (PostgreSQL on 127.0.0.1, trust auth; the database is dropped and re-created):

    .venv/bin/python bench/transparency.py [--records 1000000] [--database h_tlog_bench]

Figures go to stdout; see docs/performance.md.
"""

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# bench/moderation.py's helpers, loaded under another name (it would shadow the app).
_spec = importlib.util.spec_from_file_location("bench_moderation", ROOT / "bench" / "moderation.py")
bench_moderation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_moderation)


def _key(*, keep: bool = False):
    from moderation.transparency.note import Signer

    origin = "bench.kanalregistret.invalid/moderation-log"
    path = ROOT / "bench" / "out" / "tlog-bench.key"  # kept for --reuse (bench/out is gitignored)
    path.parent.mkdir(exist_ok=True)
    if not (keep and path.exists()):
        path.write_text(f"{Signer.generate(origin)}\n")
    os.environ["MODERATION_LOG_ORIGIN"] = origin
    os.environ["MODERATION_LOG_SIGNING_KEY_FILE"] = str(path)
    os.environ["SECURE_SSL_REDIRECT"] = "false"  # the test client speaks plain http


def _ms(function, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)]


def logging(users, channels, per_run: int, label: str):
    from moderation.services import log as services

    real = services.transparency_tree.tree_append
    rows = []
    from moderation.models import TreeHead
    from moderation.transparency import tree

    def catch_up():  # the chain-only rounds leave the tree behind: add their leaves, untimed
        tree.rebuild(start=TreeHead.objects.get(pk=1))

    for mode in ("chain only", "chain + tree + checkpoint", "chain only", "chain + tree + checkpoint"):
        if "tree" in mode:
            catch_up()
        services.transparency_tree.tree_append = real if "tree" in mode else (lambda record: None)
        try:
            one = bench_moderation.bench_logging(users, channels, writers=1, per_writer=per_run)
            four = bench_moderation.bench_logging(users, channels, writers=4, per_writer=per_run // 4)
        finally:
            services.transparency_tree.tree_append = real
        rows.append((mode, one, four))
    print(f"Logging throughput {label} (records/s; two alternating rounds, the better of each):")
    for mode in ("chain only", "chain + tree + checkpoint"):
        ones = [r[1] for r in rows if r[0] == mode]
        fours = [r[2] for r in rows if r[0] == mode]
        print(f"  {mode:<27} 1 writer {max(ones):6.0f}   4 writers {max(fours):6.0f}")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    catch_up()


class _Rollback(Exception):
    pass


def _append_alone(tree):
    """The tree's share of one append: read the head, store the nodes, sign, update; rolled back."""
    from django.db import transaction

    from moderation.models import RemovedComment

    record = RemovedComment(sequence=tree.size() + 1, record_hash="ab" * 32)
    try:
        with transaction.atomic():
            tree.tree_append(record)
            raise _Rollback
    except _Rollback:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database", default="h_tlog_bench")
    parser.add_argument("--logging-records", type=int, default=400)
    parser.add_argument("--reuse", action="store_true", help="reuse the filled database and its key; measure only")
    parser.add_argument("--logging-only", action="store_true", help="with --reuse: only the logging throughput")
    args = parser.parse_args()

    _key(keep=args.reuse)  # a new key re-signs the stored checkpoint, as after a rotation
    if not args.reuse:
        bench_moderation.recreate_database(args.database)
    bench_moderation.setup_django(args.database)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from moderation import integrity
    from moderation.models import RemovedComment, TreeNode
    from moderation.transparency import schema, tree

    if args.reuse:
        from django.contrib.auth.models import User

        from registry.models import Channel

        users = {u.username: u for u in User.objects.all()}
        channels = list(Channel.objects.order_by("pk"))
        from moderation.models import TreeHead

        tree.rebuild(start=TreeHead.objects.get(pk=1))  # records a stopped run left without leaves
    else:
        call_command("migrate", verbosity=0)
        users, channels = bench_moderation.make_world()
        logging(users, channels, args.logging_records, "on an empty log")

        print(f"Filling the log to {args.records:,} records in SQL ...", flush=True)
        started = time.perf_counter()
        bench_moderation.bulk_fill(args.records, users, channels)
        print(f"  done in {time.perf_counter() - started:.0f} s")

        schema.uninstall(connection)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE moderation_treenode")
        schema.install(connection)
        started = time.perf_counter()
        tree.rebuild()
        print(f"Building the tree over {tree.size():,} records (migration 0101): {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE moderation_treenode")
        print(f"  stored nodes: {TreeNode.objects.count():,}")
    size = tree.size()
    if args.logging_only:
        logging(users, channels, args.logging_records, f"at {size:,} records")
        return
    print(f"At {size:,} records (median / p90 ms):")
    rng = random.Random(12)
    root = tree.root_at(size)
    client = Client()
    from django.conf import settings

    settings.RATELIMIT_ENABLED = False

    def checkpoint_get():
        assert client.get(reverse("moderation_log:checkpoint")).status_code == 200

    def consistency_get():
        query = {"from": rng.randint(1, size - 1), "to": size}
        assert client.get(reverse("moderation_log:consistency"), query).status_code == 200

    cases = [
        ("inclusion proof, one record", lambda: tree.inclusion_proof(rng.randint(1, size), size), 200),
        ("consistency proof", lambda: tree.consistency_proof(rng.randint(1, size - 1), size), 200),
        ("root at a past size", lambda: tree.root_at(rng.randint(1, size)), 200),
        ("sign a checkpoint", lambda: tree.sign(size, root), 200),
        ("tree append alone (rolled back)", lambda: _append_alone(tree), 100),
        ("GET checkpoint", checkpoint_get, 100),
        ("GET consistency", consistency_get, 100),
    ]
    for name, function, repeat in cases:
        median, p90 = _ms(function, repeat)
        print(f"  {name:<30} {median:7.2f} {p90:7.2f}")

    logging(users, channels, args.logging_records, f"at {size:,} records")

    size = tree.size()
    started = time.perf_counter()
    chain_records = sum(1 for _ in integrity.verify(check_files=False))  # synthetic hashes: every record "fails"
    chain_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = tree.verify()
    tree_seconds = time.perf_counter() - started
    print(f"Full verification of {size:,} records:")
    print(f"  hash chain (integrity.verify, no files)  {chain_seconds:6.0f} s  ({chain_records:,} findings: synthetic)")
    print(f"  Merkle tree + checkpoint (tree.verify)   {tree_seconds:6.0f} s  ({len(report.problems)} problems)")
    print(f"  records: {RemovedComment.objects.count():,}")


if __name__ == "__main__":
    main()
