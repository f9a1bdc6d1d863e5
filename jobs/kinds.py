"""The kinds of background job: one ``JobKind`` per task type, registered by the app that owns it.

An app registers its kinds from its ``AppConfig.ready()`` (as ``registry.history.register_actions``),
for example ``moderation.jobs`` for the archival package and the XLSX export::

    kinds.register(JobKind(name="moderation.eark", label=_("Archival package"), run=run_eark,
                           may_start=permissions.can_manage_archive))

``run(job, progress)`` does the work in the worker and returns a ``JobResult``; it calls
``progress(done, total)`` as it goes, and raises ``ValidationError`` with a message for the
person when it cannot finish. ``may_start(user)`` is asked before a job is started, and again
before its page or file is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Progress = Callable[[int, int | None], None]


@dataclass
class JobResult:
    path: Path | None = None  # inside job.workdir()
    filename: str = ""
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Callable  # (job, progress) -> JobResult
    may_start: Callable  # (user) -> bool
    content_type: str = "application/octet-stream"


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Add *kind*; registering the same name twice is a programming error."""
    if kind.name in KINDS and KINDS[kind.name] is not kind:
        raise ValueError(f"job kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind


def get(name: str) -> JobKind:
    return KINDS[name]
