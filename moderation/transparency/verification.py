"""One verification of the whole moderation log, for the command and for the integrity page.

``verify_log`` is the one function: the hash chain (``moderation.integrity.verify``), the
Merkle tree recomputed from the records against every stored node and the latest signed
checkpoint (``tree.verify``), and, when checkpoints kept elsewhere are given, whether the
log still extends them (naming the sizes where the histories part).

The integrity page's "verify now" runs it in the background-job worker: the job kind
``moderation.verify`` (``transparency/jobs.py``) calls it with a ``progress`` callback.
"""

from dataclasses import dataclass, field
from pathlib import Path

from moderation import integrity
from moderation.integrity import Problem

from . import keys, merkle, tree
from .note import Checkpoint, NoteError, open_checkpoint
from .witness import Parting, Store, find_parting


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    size: int = 0
    parting: Parting | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def load_checkpoints(paths: list[str]) -> tuple[list[Checkpoint], list[Problem]]:
    """Read signed checkpoints from files or witness directories, checking their signatures."""
    notes: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            store = Store(path)
            notes += [(f"{name} (size {size})", store.note(size)) for size in store.sizes()]
        else:
            try:
                notes.append((name, path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                return [], [Problem(None, None, f"cannot read {name}: {error}")]
    checkpoints, problems = [], []
    for label, note in notes:
        try:
            checkpoints.append(open_checkpoint(note, [keys.verifier()], origin=keys.origin()))
        except NoteError as error:
            problems.append(Problem(None, None, f"{label} is not a checkpoint of this log: {error}"))
    return checkpoints, problems


def compare(checkpoints: list[Checkpoint], report: tree.TreeReport) -> Parting | None:
    """Where the recomputed log and the *checkpoints* part (None when it extends all of them)."""
    by_size: dict[int, Checkpoint] = {}
    for checkpoint in sorted(checkpoints, key=lambda c: c.size):
        by_size.setdefault(checkpoint.size, checkpoint)
    sizes = [s for s in by_size if s <= report.size]
    beyond = [s for s in by_size if s > report.size]

    def agrees(size: int) -> bool:
        recomputed = report.roots.get(size, merkle.EMPTY_ROOT if size == 0 else None)
        return recomputed == by_size[size].root

    return find_parting(sizes, agrees, beyond=beyond)


def verify_log(*, check_files: bool = True, checkpoints: list[Checkpoint] = (), progress=None) -> Outcome:
    """Verify the chain, the tree, the latest signed checkpoint and any checkpoints kept elsewhere."""
    outcome = Outcome()
    outcome.problems += list(integrity.verify(check_files=check_files))
    report = tree.verify(at_sizes=[c.size for c in checkpoints], progress=progress)
    outcome.problems += report.problems
    outcome.size = report.size
    if checkpoints:
        outcome.parting = compare(list(checkpoints), report)
        if outcome.parting is not None:
            outcome.problems.append(
                Problem(None, None, f"the log does not extend the checkpoint(s) given: {outcome.parting}")
            )
    return outcome
