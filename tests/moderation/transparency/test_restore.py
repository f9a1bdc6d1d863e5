"""Done when (issue 12): a database restored from an earlier copy, with a different record logged
after it, is internally valid again; the witness and verify --checkpoint both name the size
where the histories part."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from moderation import triggers
from moderation.transparency import schema, tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_the_log_afterwards(transactional_db):
    """SQLite flushes with DELETE, which the append-only triggers refuse: empty the tables first."""
    yield
    if connection.vendor == "sqlite":
        triggers.uninstall(connection)
        schema.uninstall(connection)
        call_command("flush", "--no-input")
        schema.install(connection)
        triggers.install(connection)


def test_a_restored_database_with_a_different_record_is_caught(log_removal, tmp_path, settings):
    witness = str(tmp_path / "witness")
    for i in range(3):
        log_removal(text=f"kommentar {i}")
        call_command("witness_moderation_log", store=witness, stdout=io.StringIO())
    call_command("backup", out=tmp_path / "backup", stdout=io.StringIO())  # the earlier copy: 3 records

    log_removal(text="den fjärde, som loggades")
    call_command("witness_moderation_log", store=witness, stdout=io.StringIO())
    saved = tmp_path / "checkpoint-4.txt"
    saved.write_text(tree.latest_checkpoint())

    call_command("restore", str(tmp_path / "backup"), "--yes", stdout=io.StringIO())  # verifies the chain
    log_removal(text="en annan fjärde")
    call_command("verify_moderation_log", "--skip-files", stdout=io.StringIO())  # internally valid again

    with pytest.raises(CommandError) as error:
        call_command("witness_moderation_log", store=witness, stdout=io.StringIO())
    assert "Histories part at size 4 (they agree up to size 3)" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("verify_moderation_log", "--skip-files", checkpoint=[str(saved)])
    assert "differ at size 4" in str(error.value)
    # with the witness's directory the size where they still agree is named too
    with pytest.raises(CommandError) as error:
        call_command("verify_moderation_log", "--skip-files", checkpoint=[witness])
    assert "agree up to size 3 and part at size 4" in str(error.value)


def test_a_neighbour_witnesses_the_public_url(log_removal, tmp_path, live_server, settings):
    """The regional archive's witness: only the public URL, the key fetched and pinned on first use."""
    settings.ALLOWED_HOSTS = ["*"]
    url = live_server.url + "/api/v1/moderation-log/checkpoint"
    store = str(tmp_path / "neighbour")
    log_removal()
    out = io.StringIO()
    call_command("witness_moderation_log", store=store, url=url, stdout=out)
    assert "first checkpoint kept: size 1" in out.getvalue()
    log_removal()
    log_removal()
    out = io.StringIO()
    call_command("witness_moderation_log", store=store, url=url, stdout=out)
    assert "size 3 extends size 1" in out.getvalue()
    with pytest.raises(CommandError) as error:
        call_command("witness_moderation_log", store=store, url=live_server.url + "/nowhere/checkpoint")
    assert "unavailable" in str(error.value)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers by itself; the lock is for PostgreSQL"
)
def test_concurrent_appends_keep_the_tree_whole(world):
    """Four threads logging at once: every leaf once, in log order, and the checkpoint of the last."""
    import threading
    from datetime import timedelta

    from django.db import connections
    from django.utils import timezone

    from moderation.services import log as services
    from moderation.transparency import keys
    from moderation.transparency.note import open_checkpoint

    errors, barrier = [], threading.Barrier(4)

    def work(index):
        try:
            barrier.wait()
            for n in range(10):
                services.removal_log(
                    actor=world.users["web_team"],
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
    assert tree.verify().problems == []
    assert open_checkpoint(tree.latest_checkpoint(), [keys.verifier()]).size == 40
