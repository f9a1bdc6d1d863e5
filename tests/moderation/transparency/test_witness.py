"""The witness over a directory: first, extended, unchanged, forked, rolled back, bad signature."""

import pytest

from moderation.transparency import merkle
from moderation.transparency.note import Checkpoint, Signer
from moderation.transparency.witness import Parting, ProofUnavailable, Store, find_parting, witness

ORIGIN = "example.org/moderation-log"


class Log:
    """A log as the application keeps it, in memory."""

    def __init__(self, signer, leaves=()):
        self.signer = signer
        self.frontier = merkle.EMPTY
        self.nodes = {}
        for leaf in leaves:
            self.add(leaf)

    def add(self, data: bytes):
        self.frontier, new = merkle.append(self.frontier, merkle.leaf_hash(data))
        self.nodes.update({(level, index): digest for level, index, digest in new})

    def checkpoint(self) -> str:
        return Checkpoint(ORIGIN, self.frontier.size, merkle.root(self.frontier)).sign(self.signer)

    def consistency(self, first, second):
        return merkle.proof(merkle.consistency_ranges(first, second), self.nodes)


@pytest.fixture
def signer():
    return Signer.generate(ORIGIN)


def records(n, changed_at=None):
    return [f"record {i}".encode() if i != changed_at else b"rewritten" for i in range(1, n + 1)]


def test_first_extended_unchanged(tmp_path, signer):
    store, log = Store(tmp_path), Log(signer, records(3))
    result = witness(store, log.checkpoint(), signer.verifier, log.consistency)
    assert (result.ok, result.code) == (True, "first")
    result = witness(store, log.checkpoint(), signer.verifier, log.consistency)
    assert (result.ok, result.code) == (True, "unchanged")
    for data in records(10)[3:]:
        log.add(data)
    result = witness(store, log.checkpoint(), signer.verifier, log.consistency)
    assert (result.ok, result.code, result.previous_size) == (True, "extended", 3)
    assert store.sizes() == [3, 10]
    assert store.note(10) == log.checkpoint()


def test_a_restored_database_with_a_different_record_parts_at_that_size(tmp_path, signer):
    store, log = Store(tmp_path), Log(signer)
    for data in records(6):
        log.add(data)
        assert witness(store, log.checkpoint(), signer.verifier, log.consistency).ok
    # restored from the copy at size 4, then a different fifth and sixth record
    restored = Log(signer, [*records(4), b"another fifth", b"another sixth", b"seventh"])
    result = witness(store, restored.checkpoint(), signer.verifier, restored.consistency)
    assert (result.ok, result.code) == (False, "inconsistent")
    assert result.parting == Parting(4, 5)
    assert "part at size 5" in result.message
    assert store.sizes() == [1, 2, 3, 4, 5, 6]  # the forked checkpoint is not kept...
    assert len(list((tmp_path / "rejected").iterdir())) == 1  # ...but kept as evidence


def test_a_rewritten_record_with_recomputed_hashes_is_caught(tmp_path, signer):
    store = Store(tmp_path)
    original = Log(signer, records(1000))
    assert witness(store, original.checkpoint(), signer.verifier, original.consistency).ok
    rewritten = Log(signer, records(1001, changed_at=17))
    result = witness(store, rewritten.checkpoint(), signer.verifier, rewritten.consistency)
    assert result.code == "inconsistent" and result.parting == Parting(None, 1000)


def test_a_log_that_shrank_is_caught(tmp_path, signer):
    store, log = Store(tmp_path), Log(signer)
    for data in records(5):
        log.add(data)
        witness(store, log.checkpoint(), signer.verifier, log.consistency)
    shorter = Log(signer, records(3))
    result = witness(store, shorter.checkpoint(), signer.verifier, shorter.consistency)
    assert result.code == "inconsistent" and result.parting == Parting(3, 4)


def test_a_checkpoint_signed_by_another_key_is_refused(tmp_path, signer):
    store = Store(tmp_path)
    log = Log(Signer.generate(ORIGIN), records(3))
    result = witness(store, log.checkpoint(), signer.verifier, log.consistency)
    assert (result.ok, result.code) == (False, "bad_signature")
    assert store.sizes() == []


def test_a_missing_proof_concludes_nothing(tmp_path, signer):
    store, log = Store(tmp_path), Log(signer, records(3))
    witness(store, log.checkpoint(), signer.verifier, log.consistency)
    log.add(b"four")

    def unavailable(first, second):
        raise ProofUnavailable("timeout")

    result = witness(store, log.checkpoint(), signer.verifier, unavailable)
    assert (result.ok, result.code) == (False, "unavailable")
    assert store.sizes() == [3]


def test_find_parting_is_a_binary_search():
    asked = []

    def agrees(size):
        asked.append(size)
        return size < 700

    sizes = list(range(1, 1001))
    assert find_parting(sizes, agrees) == Parting(699, 700)
    assert len(asked) <= 11
    assert find_parting(sizes, lambda size: True) is None
    assert find_parting(sizes, lambda size: True, beyond=[1200]) == Parting(1000, 1200)


def test_an_empty_log_witnessed_first_is_extended(tmp_path, signer):
    store, log = Store(tmp_path), Log(signer)
    assert witness(store, log.checkpoint(), signer.verifier, log.consistency).code == "first"
    log.add(b"one")
    log.add(b"two")
    result = witness(store, log.checkpoint(), signer.verifier, log.consistency)
    assert (result.ok, result.code) == (True, "extended")
