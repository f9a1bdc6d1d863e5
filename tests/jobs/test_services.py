"""The job framework: a kind registered once, a job queued in the database, run by the worker, resumed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jobs import kinds
from jobs.kinds import JobKind, JobResult
from jobs.models import Job
from jobs.services import job_run, job_start, jobs_requeue_interrupted

pytestmark = pytest.mark.django_db

RUNS = []


def _count_to_three(job, progress):
    RUNS.append(job.pk)
    for done in range(1, 4):
        progress(done, 3)
    path = job.workdir() / "three.txt"
    path.write_text("1 2 3\n")
    return JobResult(path=path, filename="three.txt", summary={"counted": 3})


@pytest.fixture(autouse=True)
def counting_kind(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    RUNS.clear()
    kind = JobKind(name="test.count", label="Count", run=_count_to_three, may_start=lambda user: user.is_staff)
    monkeypatch.setitem(kinds.KINDS, kind.name, kind)
    return kind


def test_job_start_queues_a_database_task_after_commit(world, django_capture_on_commit_callbacks):
    """The task row is written when the job's transaction commits, so the worker never sees a missing job."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_start(kind="test.count", actor=world.users["admin"], description="alla")
    assert len(callbacks) == 1
    job.refresh_from_db()
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [job.pk]


def test_job_start_asks_the_kind_who_may_start(world):
    with pytest.raises(PermissionDenied):
        job_start(kind="test.count", actor=world.users["archivist"])
    assert not Job.objects.exists()


def test_worker_runs_the_job_with_the_database_backend(world, django_capture_on_commit_callbacks):
    """run_jobs (db_worker underneath) takes the queued task and the job ends done, with its file."""
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test.count", actor=world.users["admin"])
    call_command("run_jobs", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == 3
    assert job.result_file().read_text() == "1 2 3\n" and job.result_size == 6
    assert job.summary == {"counted": 3} and job.finished_at >= job.started_at


def test_job_run_is_idempotent(world):
    """A job that is done is not run again (a task delivered twice does no harm)."""
    job = job_start(kind="test.count", actor=world.users["admin"])
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)
    assert RUNS == [job.pk]  # noqa: SIM300


def test_interrupted_job_starts_over_when_the_worker_starts(world, django_capture_on_commit_callbacks):
    """A job left "running" by a stopped worker is queued again at the worker's start and finishes."""
    job = job_start(kind="test.count", actor=world.users["admin"])
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=2, total=3)
    (job.workdir()).mkdir(parents=True)
    (job.workdir() / "half.txt").write_text("1 2")
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_interrupted() == 1
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and not (job.workdir() / "half.txt").exists()


def test_a_job_of_a_kind_the_person_may_no_longer_start_fails(world):
    job = job_start(kind="test.count", actor=world.users["admin"])
    world.users["admin"].is_staff = False
    world.users["admin"].save()
    job = job_run(job_id=job.pk)
    assert job.state == Job.State.FAILED and job.error and not RUNS
