"""Back up and restore the database and the uploaded files (docs/deploy.md, "Backups").

A backup is a directory: ``database.dump`` (PostgreSQL, pg_dump's custom format) or
``database.sqlite3`` (SQLite, the sqlite3 backup API), ``media.tar.gz`` (MEDIA_ROOT) and
``manifest.json`` (when, which engine, the row count of every table, file checksums), which
the restore checks so that a restore that lost anything fails loudly.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from ..files import sha256_file

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    pass


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_environment() -> tuple[dict, list[str]]:
    """Return the environment and connection arguments for pg_dump/pg_restore from Django's settings."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def row_counts(cursor=None) -> dict[str, int]:
    """Return the number of rows of every model's table, by table name."""
    counts = {}
    own_cursor = cursor is None
    cursor = cursor or connection.cursor()
    try:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's table
            counts[table] = cursor.fetchone()[0]
    finally:
        if own_cursor:
            cursor.close()
    return counts


def backup(out: Path) -> dict:
    """Write a backup of the database and the media files into the new directory *out*."""
    engine = _engine()
    out.mkdir(parents=True, exist_ok=False)
    if engine == "postgresql":
        database = out / "database.dump"
        env, args = _pg_environment()
        connection.ensure_connection()
        # Count and dump in one snapshot, so the counts describe exactly what the dump holds
        # while the application keeps writing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--snapshot", snapshot]
            _run([*command, "--file", str(database), *args], env)
    else:
        database = out / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        try:
            connection.connection.backup(target)  # a consistent copy, even while others write
            counts = {}
            for table in _tables():
                quoted = connection.ops.quote_name(table)
                counts[table] = target.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]  # noqa: S608
        finally:
            target.close()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(out / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname=".")
    manifest = {
        "created": datetime.now(tz=UTC).isoformat(),
        "engine": engine,
        "database": database.name,
        "row_counts": counts,
        "sha256": {path.name: sha256_file(path) for path in (database, out / MEDIA_ARCHIVE)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and the media files with the backup in *source*; check nothing is missing."""
    manifest = json.loads((source / MANIFEST).read_text())
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"The backup is of {manifest['engine']}; this installation runs {engine}.")
    for name, checksum in manifest["sha256"].items():
        if sha256_file(source / name) != checksum:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged.")
    database = source / manifest["database"]
    if engine == "postgresql":
        connection.close()
        env, args = _pg_environment()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(database),
            ],
            env,
        )
        connection.close()
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(database)
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    counts = row_counts()
    lost = {
        table: (count, counts.get(table))
        for table, count in manifest["row_counts"].items()
        if counts.get(table) != count
    }
    if lost:
        raise BackupError(f"Rows differ after the restore (table: backup, now): {lost}")
    return manifest
