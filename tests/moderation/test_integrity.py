"""The hash chain: intact logs verify, tampering is named, concurrent appends stay linear."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from moderation import integrity, triggers
from moderation.models import RemovedComment
from moderation.services import log as log_services

from .conftest import png_upload


@pytest.fixture
def triggers_dropped(db):
    """Drop the append-only triggers inside the test's transaction (rolled back afterwards)."""
    triggers.uninstall(connection)
    yield
    triggers.install(connection)


def _verify():
    try:
        call_command("verify_moderation_log")
    except CommandError as error:
        return str(error)
    return None


@pytest.mark.django_db
def test_verify_intact_log_exits_zero(log_removal, capsys):
    log_removal(attachments=[png_upload()])
    log_removal(category="h")
    call_command("verify_moderation_log")
    assert "intact: 2 record(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_empty_log_exits_zero():
    call_command("verify_moderation_log")


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE moderation_removedcomment SET category = 'f' WHERE sequence = 2", "record hash"),
        ("UPDATE moderation_removedcomment SET channel_name = 'Annan' WHERE sequence = 2", "record hash"),
        (
            "UPDATE moderation_removedcommentcontent SET text = 'snällt' WHERE record_id = %(id)s",
            "content does not match",
        ),
        (
            "UPDATE moderation_removedcommentcontent SET author_name = 'X' WHERE record_id = %(id)s",
            "content does not match",
        ),
        ("DELETE FROM moderation_removedcommentcontent WHERE record_id = %(id)s", "content is missing"),
        ("UPDATE moderation_removedcommentattachment SET size = 1 WHERE record_id = %(id)s", "screenshots"),
    ],
)
def test_verify_catches_tampering_through_raw_sql(log_removal, triggers_dropped, sql, reason):
    log_removal()
    target = log_removal(attachments=[png_upload()])
    log_removal()
    assert _verify() is None
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%(id)s", str(target.pk)))
    error = _verify()
    assert error is not None, "tampering must give a non-zero exit"
    assert "#2" in error
    problems = list(integrity.verify())
    assert {p.sequence for p in problems} == {2}
    assert any(reason in p.reason for p in problems)


def test_verify_catches_deleted_record(log_removal, triggers_dropped):
    log_removal()
    middle = log_removal()
    log_removal()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM moderation_removedcommentcontent WHERE record_id = %s", [middle.pk])
        cursor.execute("DELETE FROM moderation_removedcomment WHERE id = %s", [middle.pk])
    error = _verify()
    assert error is not None and "#3" in error


def test_verify_catches_truncated_tail(log_removal, triggers_dropped):
    log_removal()
    last = log_removal()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM moderation_removedcommentcontent WHERE record_id = %s", [last.pk])
        cursor.execute("DELETE FROM moderation_removedcomment WHERE id = %s", [last.pk])
    assert _verify() is not None


@pytest.mark.django_db
def test_verify_catches_altered_screenshot_file(log_removal):
    record = log_removal(attachments=[png_upload()])
    path = record.attachments.get().file.path
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    error = _verify()
    assert error is not None and "#1" in error
    call_command("verify_moderation_log", "--skip-files")  # metadata alone is intact


@pytest.mark.django_db
def test_canonical_serialisation_is_stable():
    """The serialisation is part of the record: keys sorted, UTF-8, no whitespace."""
    assert integrity.canonical({"b": "ö", "a": [1, True, None]}) == '{"a":[1,true,null],"b":"ö"}'.encode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers by itself; the lock is for PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_linear(world):
    """Four threads logging at once on PostgreSQL: no fork (two records on one hash), no gap."""
    writers = [world.users["writer"], world.users["web_team"]]
    per_thread = 10
    errors = []
    barrier = threading.Barrier(4)

    def work(index):
        try:
            barrier.wait()
            for n in range(per_thread):
                log_services.removal_log(
                    actor=writers[index % 2],
                    channel=world.channel,
                    category="a",
                    action="deleted",
                    removed_at=timezone.now() - timedelta(minutes=1),
                    text=f"Tråd {index}, kommentar {n}",
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    records = list(RemovedComment.objects.order_by("sequence"))
    assert [r.sequence for r in records] == list(range(1, 4 * per_thread + 1))
    previous = [r.previous_hash for r in records]
    assert len(set(previous)) == len(previous), "no two records share a predecessor (no fork)"
    assert list(integrity.verify()) == []
