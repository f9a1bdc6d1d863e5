"""The integrity page's "verify now" as a background job (``moderation.verify``).

The ``Job`` row is the one record of a verification: its state and progress (``done`` of
``total`` records) while it runs, and its result in ``summary`` when done: ``intact``,
``records`` (the tree's size) and the ``problems`` (English, for the system administrator;
the first ``MAX_PROBLEMS``, with ``problem_count`` saying how many in all). A job that
failed (``Job.State.FAILED``) was stopped by an error, not by a broken log.

It runs in the worker (``manage.py run_jobs``), is queued again when the worker restarts
(``jobs.services.jobs_requeue_interrupted``), and calls ``verification.verify_log``, the one
verification the command ``verify_moderation_log`` uses too. One at a time: a new one is
not queued while one waits or runs. Registered from ``ModerationConfig.ready()``.
"""

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jobs.kinds import JobKind, JobResult, register
from jobs.models import Job
from jobs.services import job_start

from .. import permissions
from ..models import RemovedComment
from . import verification

VERIFY = "moderation.verify"
MAX_PROBLEMS = 200  # kept in the job's summary; a log broken everywhere would otherwise fill the row


def run_verify(job, progress) -> JobResult:
    """Verify the whole log (chain, screenshots, tree, latest checkpoint), reporting progress per record."""
    total = RemovedComment.objects.count()  # disposed records keep their row and their leaf
    progress(0, total)
    outcome = verification.verify_log(progress=lambda done: progress(done, max(total, done)))
    problems = [str(problem) for problem in outcome.problems]
    return JobResult(
        summary={
            "intact": outcome.ok,
            "records": outcome.size,
            "problems": problems[:MAX_PROBLEMS],
            "problem_count": len(problems),
        }
    )


def verification_start(*, actor) -> tuple[Job, bool]:
    """Queue a verification for *actor* unless one waits or runs; return (the job, whether it was queued).

    ``job_start`` asks the kind's ``may_start`` (archivists) and raises ``PermissionDenied``.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two archivists pressing the button at once: the second waits here and sees the first's job.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [VERIFY])
        current = latest_verification()
        if current is not None and not current.is_finished:
            return current, False
        return job_start(kind=VERIFY, actor=actor, description=str(_("The whole moderation log"))), True


def latest_verification() -> Job | None:
    """Return the latest verification, whoever started it (the integrity page shows it to every archivist)."""
    return Job.objects.filter(kind=VERIFY).select_related("requested_by").first()


def register_kinds() -> None:
    register(
        JobKind(
            name=VERIFY,
            label=_("Verification of the moderation log"),
            run=run_verify,
            may_start=permissions.can_manage_archive,
        )
    )
