"""Every write to a background job: starting one, running it in the worker, and taking up interrupted ones."""

import logging
import shutil
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Job

logger = logging.getLogger(__name__)

ERRORS = {
    "not_allowed": _("You may not start this job."),
    "failed": _("The job stopped because of an error. Try again; if it fails again, contact IT support."),
}

# Progress is written at most this often (seconds): a row update per record would slow the job.
PROGRESS_INTERVAL = 1.0


@transaction.atomic
def job_start(*, kind: str, actor, params: dict | None = None, description: str = "") -> Job:
    """Record a job of *kind* for *actor* and queue it for the worker once this transaction commits."""
    job_kind = kinds.get(kind)
    if not job_kind.may_start(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    job = Job.objects.create(kind=kind, requested_by=actor, params=params or {}, description=description[:500])
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    # Imported here, not at the top: tasks.py imports this module (the task calls job_run).
    from .tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def job_run(*, job_id: int) -> Job:
    """Run the job in this process (the worker calls this): state, progress, result or error.

    A job that is no longer waiting (done, failed, or taken by another run) is left alone.
    """
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), done=0, error=""
    )
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    if not taken:
        return job
    workdir = job.workdir()
    shutil.rmtree(workdir, ignore_errors=True)  # a run interrupted before leaves nothing behind
    workdir.mkdir(parents=True)
    last = [0.0]

    def progress(done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL and (total is None or done < total):
            return
        last[0] = now
        fields = {"done": done}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=job.pk).update(**fields)

    try:
        job_kind = kinds.get(job.kind)
        if not job_kind.may_start(job.requested_by):
            raise PermissionDenied(ERRORS["not_allowed"])
        result = job_kind.run(job, progress)
    except (ValidationError, PermissionDenied) as error:
        shutil.rmtree(workdir, ignore_errors=True)
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _finish(job, state=Job.State.FAILED, error=message)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        shutil.rmtree(workdir, ignore_errors=True)
        _finish(job, state=Job.State.FAILED, error=str(ERRORS["failed"]))
    else:
        fields = {"summary": result.summary, "result_name": result.filename}
        if result.path is not None:
            fields["result_path"] = str(result.path.relative_to(workdir.parent))
            fields["result_size"] = result.path.stat().st_size
        _finish(job, state=Job.State.DONE, **fields)
    job.refresh_from_db()
    return job


def _finish(job: Job, *, state: str, **fields) -> None:
    if state == Job.State.DONE and job.total is None:
        fields.setdefault("total", Job.objects.values_list("done", flat=True).get(pk=job.pk))
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **fields)


def jobs_requeue_interrupted() -> int:
    """Queue again every job left running by a stopped worker; return how many.

    Run before the (single) worker starts (``make run``; ``ExecStartPre`` of its systemd
    unit): a job still "running" then was interrupted by a restart, and starts over.
    """
    count = 0
    for job in Job.objects.filter(state=Job.State.RUNNING):
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(state=Job.State.QUEUED, done=0):
                transaction.on_commit(lambda job=job: _enqueue(job))
                count += 1
    return count
