"""A witness: keeps the checkpoints it has seen and checks that each new one extends them.

Pure logic over a directory and two callables, so that the same code witnesses this
installation's own database and another installation's public URL
(``manage.py witness_moderation_log``), and ``verify_moderation_log --checkpoint`` names
where two histories part the same way.

The store is a directory:

    DIR/key                      the verifier key, pinned on first use (note.Verifier)
    DIR/checkpoints/<size>.txt   every accepted signed checkpoint, exactly as received
    DIR/rejected/<time>.txt      a checkpoint that did not extend the others, kept as evidence

Where two histories part can only be narrowed down to checkpoints someone kept: a tree
head commits to every leaf, but it cannot say which leaf differs. So a witness reports the
largest kept size on which both agree and the smallest on which they do not; with a
checkpoint kept after every append these are adjacent and name the first differing record.
"""

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import merkle
from .note import Checkpoint, NoteError, Verifier, open_checkpoint, parse_note


class ProofUnavailable(Exception):
    """The source could not give a consistency proof (network, refusal): nothing is concluded."""


@dataclass(frozen=True)
class Parting:
    agree_until: int | None  # the largest kept size on which both histories agree
    differs_at: int  # the smallest kept size on which they do not

    def __str__(self) -> str:
        if self.agree_until is None:
            return f"the histories differ at size {self.differs_at} (no earlier checkpoint agrees)"
        return f"the histories agree up to size {self.agree_until} and part at size {self.differs_at}"


def find_parting(sizes: Sequence[int], agrees: Callable[[int], bool], *, beyond: Sequence[int] = ()) -> Parting | None:
    """Binary-search the kept *sizes* (ascending) for where the histories part.

    ``agrees(size)`` is monotone for a log that only grows: once a size disagrees, every
    larger one does. *beyond* are kept sizes the other side does not reach (a shorter log):
    they all differ. Returns None when every size agrees and nothing lies beyond.
    """
    low, high = 0, len(sizes)  # invariant: sizes[:low] agree, sizes[high:] differ
    while low < high:
        middle = (low + high) // 2
        if agrees(sizes[middle]):
            low = middle + 1
        else:
            high = middle
    agree_until = sizes[low - 1] if low else None
    if low < len(sizes):
        return Parting(agree_until, sizes[low])
    if beyond:
        return Parting(agree_until, beyond[0])
    return None


@dataclass(frozen=True)
class Result:
    ok: bool
    code: str  # first | extended | unchanged | inconsistent | bad_signature | wrong_origin | unavailable
    message: str
    checkpoint: Checkpoint | None = None
    previous_size: int | None = None
    parting: Parting | None = None


class Store:
    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.checkpoints = self.directory / "checkpoints"

    def sizes(self) -> list[int]:
        if not self.checkpoints.is_dir():
            return []
        return sorted(int(path.stem) for path in self.checkpoints.glob("*.txt") if path.stem.isdigit())

    def note(self, size: int) -> str:
        return (self.checkpoints / f"{size:020d}.txt").read_text(encoding="utf-8")

    def checkpoint(self, size: int) -> Checkpoint:
        """A kept checkpoint (its signature was checked when it was kept)."""
        text, _signatures = parse_note(self.note(size))
        return Checkpoint.parse_text(text)

    def save(self, checkpoint: Checkpoint, note: str) -> None:
        self.checkpoints.mkdir(parents=True, exist_ok=True)
        path = self.checkpoints / f"{checkpoint.size:020d}.txt"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(note, encoding="utf-8")
        temporary.replace(path)

    def reject(self, note: str) -> Path:
        directory = self.directory / "rejected"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.txt"
        path.write_text(note, encoding="utf-8")
        return path

    def pinned_key(self) -> Verifier | None:
        path = self.directory / "key"
        return Verifier.parse(path.read_text(encoding="ascii")) if path.exists() else None

    def pin_key(self, verifier: Verifier) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "key").write_text(f"{verifier}\n", encoding="ascii")


def witness(store: Store, note: str, verifier: Verifier, consistency: Callable[[int, int], list[bytes]]) -> Result:
    """Check *note* against the kept checkpoints; keep it when it extends them.

    ``consistency(first, second)`` returns the source's RFC 6962 consistency proof between
    two sizes (raising ProofUnavailable when it cannot).
    """
    try:
        checkpoint = open_checkpoint(note, [verifier])
    except NoteError as error:
        store.reject(note)
        code = "bad_signature" if error.code in {"bad_signature", "unknown_key"} else "malformed"
        return Result(False, code, f"the checkpoint does not verify: {error}")
    sizes = store.sizes()
    if not sizes:
        store.save(checkpoint, note)
        return Result(True, "first", f"first checkpoint kept: size {checkpoint.size}", checkpoint)
    latest = store.checkpoint(sizes[-1])
    if latest.origin != checkpoint.origin:
        store.reject(note)
        return Result(
            False, "wrong_origin", f"the checkpoint is for {checkpoint.origin!r}, not {latest.origin!r}", checkpoint
        )

    def agrees(size: int) -> bool:
        kept = store.checkpoint(size)
        if size == checkpoint.size:
            return kept.root == checkpoint.root
        if size == 0:  # every tree extends the empty one
            return kept.root == merkle.EMPTY_ROOT
        proof = consistency(size, checkpoint.size)
        return merkle.verify_consistency(size, checkpoint.size, kept.root, checkpoint.root, proof)

    try:
        if latest.size <= checkpoint.size and agrees(latest.size):
            if latest.size == checkpoint.size:
                return Result(True, "unchanged", f"unchanged at size {checkpoint.size}", checkpoint, latest.size)
            store.save(checkpoint, note)
            return Result(
                True,
                "extended",
                f"size {checkpoint.size} extends size {latest.size}",
                checkpoint,
                latest.size,
            )
        cut = bisect.bisect_right(sizes, checkpoint.size)
        parting = find_parting(sizes[:cut], agrees, beyond=sizes[cut:])
    except ProofUnavailable as error:
        return Result(False, "unavailable", f"no consistency proof: {error}", checkpoint, latest.size)
    store.reject(note)
    assert parting is not None  # the latest kept size did not agree
    return Result(
        False,
        "inconsistent",
        f"the checkpoint of size {checkpoint.size} does not extend the one of size {latest.size}: {parting}",
        checkpoint,
        latest.size,
        parting,
    )
