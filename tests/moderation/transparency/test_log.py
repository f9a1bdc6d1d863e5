"""The tree in the database: every append moves it, proofs verify, disposal keeps the leaf,
and the two tamperings of issue 12 are caught by the witness and by verify --checkpoint."""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from moderation import integrity, triggers
from moderation.models import RemovedComment, TreeHead, TreeNode, WitnessRun
from moderation.transparency import keys, merkle, schema, tree
from moderation.transparency.note import open_checkpoint

pytestmark = pytest.mark.django_db


def _checkpoint():
    return open_checkpoint(tree.latest_checkpoint(), [keys.verifier()], origin=keys.origin())


def test_every_append_extends_the_tree_and_signs_a_checkpoint(log_removal):
    records = [log_removal(text=f"kommentar {i}") for i in range(7)]
    checkpoint = _checkpoint()
    assert checkpoint.size == 7
    leaves = [tree.leaf(r.record_hash) for r in records]
    # the root is RFC 6962's MTH of the records' hashes, in log order
    frontier = merkle.EMPTY
    for leaf in leaves:
        frontier, _ = merkle.append(frontier, leaf)
    assert checkpoint.root == merkle.root(frontier) == bytes(TreeHead.objects.get().root)
    assert TreeNode.objects.count() == 7 + 3 + 1  # leaves, pairs, one four
    for record in records:
        proof = tree.inclusion_proof(record.sequence, 7)
        assert merkle.verify_inclusion(record.sequence - 1, 7, tree.leaf(record.record_hash), proof, checkpoint.root)
    old_root = tree.root_at(3)
    proof = tree.consistency_proof(3, 7)
    assert merkle.verify_consistency(3, 7, old_root, checkpoint.root, proof)
    assert tree.verify().problems == []


def test_tree_nodes_cannot_be_changed(log_removal):
    from django.db import DatabaseError, transaction

    log_removal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_treenode SET hash = %s", [b"x" * 32])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM moderation_treenode")


def test_disposal_keeps_the_leaf(log_removal, world):
    from django.utils import timezone

    from moderation.models import DisposedRecord, RemovedCommentContent

    record = log_removal()
    log_removal()
    before = tree.latest_checkpoint()
    DisposedRecord.objects.create(
        record=record, disposed_at=timezone.now(), disposed_by=world.users["archivist"], decision_reference="KS 1"
    )
    RemovedCommentContent.objects.filter(record=record)._raw_delete(connection.alias)
    assert tree.latest_checkpoint() == before
    assert tree.verify().problems == []


def test_a_lost_tree_head_is_rebuilt_at_the_next_append(log_removal, settings):
    log_removal()
    log_removal()
    root = bytes(TreeHead.objects.get().root)
    TreeHead.objects.all().delete()
    log_removal()
    assert _checkpoint().size == 3
    assert tree.root_at(2) == root
    assert tree.verify().problems == []


def test_a_stored_node_that_does_not_match_is_named(log_removal):
    for _ in range(5):
        log_removal()
    schema.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_treenode SET hash = %s WHERE key = %s", [b"\0" * 32, TreeNode.key_of(0, 3)])
    schema.install(connection)
    problems = [str(p) for p in tree.verify().problems]
    assert any("from record #4" in p for p in problems)


# Done when (issue 12): rewrite a record with the triggers dropped and recompute every stored
# hash with the application's own functions. The chain verifies; the witness does not.


def _rewrite_everything(sequence: int, category: str):
    """What someone with the database and the application could do: SQL, then the app's own hashing."""
    triggers.uninstall(connection)
    schema.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_removedcomment SET category = %s WHERE sequence = %s", [category, sequence])
        previous = integrity.GENESIS_HASH
        for record in RemovedComment.objects.order_by("sequence"):
            record.previous_hash = previous
            record.record_hash = integrity.record_hash(record)
            cursor.execute(
                "UPDATE moderation_removedcomment SET previous_hash = %s, record_hash = %s WHERE id = %s",
                [previous, record.record_hash, record.pk],
            )
            previous = record.record_hash
        cursor.execute("UPDATE moderation_chainhead SET last_hash = %s", [previous])
        cursor.execute("DELETE FROM moderation_treenode")
    tree.rebuild()
    tree.latest_checkpoint()  # signed again with the key on the server
    schema.install(connection)
    triggers.install(connection)


def test_a_rewritten_log_with_recomputed_hashes_is_caught_by_the_witness(log_removal, tmp_path, world):
    for i in range(6):
        log_removal(text=f"kommentar {i}")
    call_command("witness_moderation_log", store=str(tmp_path / "witness"))
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(tree.latest_checkpoint())
    log_removal(text="sjunde")
    call_command("witness_moderation_log", store=str(tmp_path / "witness"))

    _rewrite_everything(6, category="g")

    call_command("verify_moderation_log", "--skip-files", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError) as error:
        call_command("witness_moderation_log", store=str(tmp_path / "witness"))
    assert "Histories part at size 6" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("verify_moderation_log", "--skip-files", checkpoint=[str(saved)])
    assert "part at size 6" in str(error.value) or "differ at size 6" in str(error.value)
    run = WitnessRun.objects.first()
    assert (run.ok, run.code, run.differs_at) == (False, "inconsistent", 6)
    assert mail.outbox and mail.outbox[-1].to == [world.users["archivist"].email]


def test_the_witness_keeps_checkpoints_and_pins_the_key(log_removal, tmp_path, capsys):
    log_removal()
    call_command("witness_moderation_log", store=str(tmp_path))
    assert str(keys.verifier()) in capsys.readouterr().out
    assert (tmp_path / "key").read_text().strip() == str(keys.verifier())
    log_removal()
    call_command("witness_moderation_log", store=str(tmp_path))
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == [f"{1:020d}.txt", f"{2:020d}.txt"]
    assert [r.ok for r in WitnessRun.objects.all()] == [True, True]


def test_verify_with_a_checkpoint_that_does_not_verify_fails(log_removal, tmp_path):
    log_removal()
    bad = tmp_path / "bad.txt"
    bad.write_text(tree.latest_checkpoint().replace("\n1\n", "\n2\n"))
    with pytest.raises(CommandError):
        call_command("verify_moderation_log", "--skip-files", checkpoint=[str(bad)])
    good = tmp_path / "good.txt"
    good.write_text(tree.latest_checkpoint())
    log_removal()
    call_command("verify_moderation_log", "--skip-files", checkpoint=[str(good)], stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("verify_moderation_log", checkpoint=[str(Path(tmp_path) / "nope.txt")])


def test_after_a_key_rotation_the_checkpoint_is_signed_again_and_witnesses_must_be_told(
    log_removal, tmp_path, settings
):
    log_removal()
    store = str(tmp_path / "witness")
    call_command("witness_moderation_log", store=store, stdout=io.StringIO())
    new_key = tmp_path / "new.key"
    call_command("create_moderation_log_key", out=str(new_key), stdout=io.StringIO())
    settings.MODERATION_LOG_SIGNING_KEY_FILE = str(new_key)
    assert _checkpoint().size == 1  # signed by the new key, verifies with it
    assert tree.verify().problems == []
    log_removal()
    with pytest.raises(CommandError) as error:  # a key change is never accepted silently
        call_command("witness_moderation_log", store=store, stdout=io.StringIO())
    assert "bad_signature" in str(error.value)
    out = io.StringIO()
    call_command("witness_moderation_log", store=store, key=str(keys.verifier()), stdout=out)
    assert "now " + str(keys.verifier()) in out.getvalue() and "size 2 extends size 1" in out.getvalue()


def test_records_written_without_the_tree_are_caught_up_from_where_it_stopped(log_removal, monkeypatch):
    from moderation.services import log as services

    log_removal()
    log_removal()
    monkeypatch.setattr(services.transparency_tree, "tree_append", lambda record: None)
    log_removal()
    log_removal()
    monkeypatch.undo()
    assert tree.size() == 2
    log_removal()
    assert _checkpoint().size == 5
    assert tree.verify().problems == []
