"""The restore drill of docs/deploy.md: back up, wipe, restore, and nothing is lost.

On PostgreSQL the backup is pg_dump/pg_restore; on SQLite the sqlite3 backup API. The suite runs
on both (CI), so the drill is performed on both.
"""

import shutil

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection

from norsjo.management.backups import row_counts

from ..factories import ChannelFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Everything the installation keeps: the register, the moderation log, the accounts.
APPS = ["registry", "moderation", "auth"]


def snapshot() -> dict[str, str]:
    """Return every row of the kept apps, serialised, by model."""
    contents = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            rows = model._default_manager.order_by("pk")
            contents[model._meta.label] = serializers.serialize("json", rows)
    return contents


def test_restore_drill_back_up_wipe_restore(world, tmp_path, settings):
    print(f"Restore drill on {connection.vendor}")
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "screenshots" / "2026").mkdir(parents=True)
    screenshot = settings.MEDIA_ROOT / "screenshots" / "2026" / "bibliotek.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    ChannelFactory.create_batch(30, unit=world.unit, created_by=world.users["web_team"])
    before, counts_before = snapshot(), row_counts()

    call_command("backup", out=tmp_path / "backup")

    # Disaster: every row and every uploaded file is gone.
    call_command("flush", "--no-input")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert row_counts()["registry_channel"] == 0

    call_command("restore", str(tmp_path / "backup"), "--yes")

    assert row_counts() == counts_before
    assert snapshot() == before
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert len(screenshot.read_bytes()) == 8 + 256 * 40
    if "verify_moderation_log" in get_commands():
        call_command("verify_moderation_log")  # raises (non-zero exit) when a record is not intact


def test_restore_refuses_a_damaged_backup(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", out=tmp_path / "backup")
    database = next(path for path in (tmp_path / "backup").iterdir() if path.name.startswith("database"))
    database.write_bytes(database.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "backup"), "--yes")
    assert row_counts()["registry_channel"] == 3  # untouched


def test_restore_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
