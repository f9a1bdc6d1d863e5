"""The moderation log's Merkle tree in the database: append, checkpoint, proofs, verification.

The one rule: ``tree_append(record)`` runs inside the record's own transaction, after the
chain head is locked (``moderation.services._append``), so the tree, its stored nodes and
the signed checkpoint move with the log or not at all. A record's leaf is
SHA-256(0x00 || its record hash, 32 bytes); the record hash already covers its content and
screenshots, and stays on the record after disposal, so disposal never changes the tree.
"""

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from moderation.integrity import Problem
from moderation.models import ChainHead, RemovedComment, TreeHead, TreeNode

from . import keys, merkle
from .note import Checkpoint, NoteError, open_checkpoint, parse_note

BATCH = 5000


def leaf(record_hash: str) -> bytes:
    return merkle.leaf_hash(bytes.fromhex(record_hash))


def _frontier(head: TreeHead) -> merkle.Frontier:
    raw = bytes(head.frontier)
    return merkle.Frontier(head.size, tuple(raw[i : i + 32] for i in range(0, len(raw), 32)))


def sign(size: int, root: bytes) -> str:
    return Checkpoint(keys.origin(), size, root).sign(keys.signer())


def tree_append(record: RemovedComment) -> None:
    """Add *record*'s leaf, store the completed subtrees and sign the new checkpoint.

    Call only inside the transaction that stores the record, with the chain head locked.
    """
    head = TreeHead.objects.filter(pk=1).first()
    if head is None or head.size > record.sequence - 1:
        # After a restore without the tree, or a flush: rebuild it from the log (one pass).
        head = rebuild(upto=record.sequence - 1)
    elif head.size < record.sequence - 1:
        # Records written without the tree (bulk SQL): add their leaves from where it stopped.
        head = rebuild(upto=record.sequence - 1, start=head)
    frontier, new_nodes = merkle.append(_frontier(head), leaf(record.record_hash))
    root = merkle.root(frontier)
    values = {
        "size": frontier.size,
        "frontier": b"".join(frontier.hashes),
        "root": root,
        "checkpoint": sign(frontier.size, root),
        "signed_at": timezone.now(),
    }
    nodes_ = [(TreeNode.key_of(level, index), digest) for level, index, digest in new_nodes]
    if connection.vendor == "postgresql":
        # One round trip for the nodes and the head: appends hold the chain's lock meanwhile.
        rows = ", ".join(["(%s, %s)"] * len(nodes_))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH nodes AS (INSERT INTO moderation_treenode (key, hash) VALUES {rows}) "  # noqa: S608 - placeholders
                "UPDATE moderation_treehead SET size = %s, frontier = %s, root = %s, checkpoint = %s, "
                "signed_at = %s WHERE id = 1",
                [value for node in nodes_ for value in node] + list(values.values()),
            )
        return
    TreeNode.objects.bulk_create([TreeNode(key=key, hash=digest) for key, digest in nodes_])
    TreeHead.objects.filter(pk=1).update(**values)


def _records(upto: int | None = None, after: int = 0) -> Iterable[tuple[int, str]]:
    """(sequence, record_hash) in log order, in batches."""
    last = after
    queryset = RemovedComment.objects.order_by("sequence").values_list("sequence", "record_hash")
    if upto is not None:
        queryset = queryset.filter(sequence__lte=upto)
    while True:
        batch = list(queryset.filter(sequence__gt=last)[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1][0]


def rebuild(*, upto: int | None = None, start: TreeHead | None = None) -> TreeHead:
    """Build the tree from the records (a database restored without it), from the start or
    from the head *start* onwards. Stored nodes that already exist are kept; nothing is signed.
    """
    frontier = _frontier(start) if start is not None else merkle.EMPTY
    pending: list = []
    for _sequence, record_hash in _records(upto, after=frontier.size):
        frontier, new_nodes = merkle.append(frontier, leaf(record_hash))
        pending += [TreeNode(key=TreeNode.key_of(level, index), hash=digest) for level, index, digest in new_nodes]
        if len(pending) >= BATCH:
            TreeNode.objects.bulk_create(pending, ignore_conflicts=True)
            pending = []
    TreeNode.objects.bulk_create(pending, ignore_conflicts=True)
    values = {"size": frontier.size, "frontier": b"".join(frontier.hashes), "root": merkle.root(frontier)}
    head, created = TreeHead.objects.get_or_create(pk=1, defaults={**values, "checkpoint": ""})
    if not created:
        TreeHead.objects.filter(pk=1).update(**values, checkpoint="", signed_at=None)
        head.refresh_from_db()
    return head


def nodes(wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    keys_ = [TreeNode.key_of(level, index) for level, index in wanted]
    found = {}
    for key, digest in TreeNode.objects.filter(key__in=keys_).values_list("key", "hash"):
        found[key % 64, key // 64] = bytes(digest)
    return found


def size() -> int:
    head = TreeHead.objects.filter(pk=1).only("size").first()
    return head.size if head else 0


def root_at(tree_size: int) -> bytes:
    if tree_size == 0:
        return merkle.EMPTY_ROOT
    return merkle.fold(_ordered(merkle.range_nodes(0, tree_size)))


def _ordered(wanted: list[tuple[int, int]]) -> list[bytes]:
    found = nodes(wanted)
    try:
        return [found[node] for node in wanted]
    except KeyError as error:
        raise merkle.ProofError(f"the tree has no node {error.args[0]}") from error


def inclusion_proof(sequence: int, tree_size: int) -> list[bytes]:
    """The RFC 6962 audit path of record number *sequence* in the tree of *tree_size* records."""
    ranges = merkle.inclusion_ranges(sequence - 1, tree_size)
    found = nodes(merkle.proof_nodes(ranges))
    return merkle.proof(ranges, found)


def consistency_proof(first: int, second: int) -> list[bytes]:
    ranges = merkle.consistency_ranges(first, second)
    if second > size():
        raise merkle.ProofError(f"the log has fewer than {second} records")
    return merkle.proof(ranges, nodes(merkle.proof_nodes(ranges)))


def _signed_by_current_key(note: str) -> bool:
    try:
        _text, signatures = parse_note(note)
    except NoteError:
        return False
    signer = keys.signer()
    return any(s.name == signer.name and s.key_id == signer.key_id for s in signatures)


def latest_checkpoint() -> str:
    """The latest signed checkpoint; signed now if the head has none by the current key
    (after migration 0101, or after the key was rotated)."""
    head = TreeHead.objects.filter(pk=1).first()
    if head is not None and head.checkpoint and _signed_by_current_key(head.checkpoint):
        return head.checkpoint
    with transaction.atomic():
        # The appends' lock: no record arrives while the head is signed.
        if connection.vendor == "postgresql":
            ChainHead.objects.select_for_update().filter(pk=1).first()
        head = TreeHead.objects.filter(pk=1).first() or rebuild()
        if not head.checkpoint or not _signed_by_current_key(head.checkpoint):
            head.checkpoint = sign(head.size, bytes(head.root))
            TreeHead.objects.filter(pk=1).update(checkpoint=head.checkpoint, signed_at=timezone.now())
    return head.checkpoint


def encode(proof: list[bytes]) -> list[str]:
    return [base64.b64encode(p).decode() for p in proof]


@dataclass
class TreeReport:
    problems: list[Problem]
    size: int
    roots: dict[int, bytes]  # the recomputed roots at the sizes asked for


def verify(*, at_sizes: Iterable[int] = (), progress: Callable[[int], None] | None = None) -> TreeReport:
    """Recompute the tree from the records and check every stored node and the signed checkpoint.

    Also returns the roots at *at_sizes* as recomputed from the records, for comparison with
    checkpoints kept elsewhere (``verify_moderation_log --checkpoint``).
    """
    head = TreeHead.objects.filter(pk=1).first()
    checkpoint = None
    problems: list[Problem] = []
    if head is not None and head.checkpoint:
        try:
            checkpoint = open_checkpoint(head.checkpoint, [keys.verifier()], origin=keys.origin())
        except NoteError as error:
            problems.append(Problem(None, None, f"the latest checkpoint does not verify: {error}"))
    wanted = set(at_sizes) | ({checkpoint.size} if checkpoint else set())
    roots: dict[int, bytes] = {}
    frontier = merkle.EMPTY
    batch: dict[int, bytes] = {}
    first_bad: list[int] = []  # the first record covered by a stored node that does not match

    def check():
        stored = {key: bytes(h) for key, h in TreeNode.objects.filter(key__in=list(batch)).values_list("key", "hash")}
        first_bad.extend(((key // 64) << (key % 64)) + 1 for key, digest in batch.items() if stored.get(key) != digest)
        batch.clear()

    for _sequence, record_hash in _records():
        frontier, new_nodes = merkle.append(frontier, leaf(record_hash))
        for level, index, digest in new_nodes:
            batch[TreeNode.key_of(level, index)] = digest
        if frontier.size in wanted:
            roots[frontier.size] = merkle.root(frontier)
        if len(batch) >= BATCH:
            check()
            if progress:
                progress(frontier.size)
    check()
    if progress:
        progress(frontier.size)
    if first_bad:
        problems.append(
            Problem(None, None, f"the stored tree does not match the records from record #{min(first_bad)}")
        )
    root = merkle.root(frontier)
    if head is None and frontier.size:
        problems.append(Problem(None, None, "the tree head is missing"))
    elif head is not None and (head.size != frontier.size or bytes(head.root) != root):
        problems.append(Problem(None, None, "the tree head does not match the records"))
    if checkpoint is not None:
        if checkpoint.size > frontier.size:
            problems.append(
                Problem(None, None, f"the latest checkpoint has {checkpoint.size} records, the log {frontier.size}")
            )
        elif roots.get(checkpoint.size, merkle.EMPTY_ROOT) != checkpoint.root:
            problems.append(
                Problem(None, None, f"the log does not match its latest signed checkpoint (size {checkpoint.size})")
            )
    return TreeReport(problems, frontier.size, roots)
