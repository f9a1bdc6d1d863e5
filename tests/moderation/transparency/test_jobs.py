"""The "verify now" background job (moderation.verify): queued, run by the worker, requeued after a restart."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import job_run, jobs_requeue_interrupted
from moderation.models import TreeNode
from moderation.transparency import jobs, schema, verification

from ...conftest import ROLES, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_threads(monkeypatch):
    """Fail the test if anything starts a thread (the old launcher did, in the web process)."""

    def refuse(self):
        raise AssertionError(f"a thread was started: {self.name}")

    monkeypatch.setattr(threading.Thread, "start", refuse)


def _worker(monkeypatch):
    """Run the queued tasks as ``run_jobs`` does (django-tasks' db_worker), once through the queue.

    Less its ``close_old_connections()``, which would close the test's transaction (tests/jobs/conftest.py).
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def _page(client):
    return client.get(reverse("moderation:integrity")).content.decode()


def test_verify_now_queues_a_job_not_a_thread(
    client, world, log_removal, no_threads, django_capture_on_commit_callbacks
):
    log_removal()
    client = client_for(client, world, "archivist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:integrity"))
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.state, job.requested_by) == (jobs.VERIFY, Job.State.QUEUED, world.users["archivist"])
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    page = _page(client)
    assert "Kontrollera nu" not in page and 'http-equiv="refresh"' in page and "<progress" in page

    # One at a time: a second press (another archivist's too) queues nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:integrity"))
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_the_worker_records_the_result_the_page_shows(client, world, log_removal, monkeypatch, no_threads):
    for i in range(3):
        log_removal(text=f"kommentar {i}")
    job, started = jobs.verification_start(actor=world.users["archivist"])
    assert started
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=1, total=3)
    client = client_for(client, world, "archivist")
    page = _page(client)
    assert "Pågår: 1 av 3 handlingar kontrollerade." in page and "<progress" in page

    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, done=0, total=None)
    job = job_run(job_id=job.pk)  # the worker's processing function
    assert job.state == Job.State.DONE and job.done == job.total == 3
    assert job.summary == {"intact": True, "records": 3, "problems": [], "problem_count": 0}
    page = _page(client)
    assert "oförändrad, 3 handlingar kontrollerade." in page and "<progress" not in page and "Kontrollera nu" in page
    assert jobs.verification_start(actor=world.users["archivist"])[1]  # finished: a new one may start


def test_a_broken_log_is_reported_with_its_problems(client, world, log_removal):
    for _ in range(5):
        log_removal()
    schema.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_treenode SET hash = %s WHERE key = %s", [b"\0" * 32, TreeNode.key_of(0, 3)])
    schema.install(connection)
    job = job_run(job_id=jobs.verification_start(actor=world.users["archivist"])[0].pk)
    assert job.state == Job.State.DONE and job.summary["intact"] is False
    assert any("from record #4" in problem for problem in job.summary["problems"])
    page = _page(client_for(client, world, "archivist"))
    assert "loggen är INTE oförändrad (1 problem)" in page and "from record #4" in page


def test_an_error_stops_the_run_and_says_so(client, world, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(verification, "verify_log", explode)
    job = job_run(job_id=jobs.verification_start(actor=world.users["archivist"])[0].pk)
    assert job.state == Job.State.FAILED
    page = _page(client_for(client, world, "archivist"))
    assert "kontrollen avbröts innan den var klar." in page and "disk on fire" not in page and "Kontrollera nu" in page


def test_an_interrupted_run_is_requeued_and_finishes(
    world, log_removal, monkeypatch, django_capture_on_commit_callbacks
):
    log_removal()
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = jobs.verification_start(actor=world.users["archivist"])
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=1, total=1)  # the worker stopped here
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_interrupted() == 1
    _worker(monkeypatch)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.summary["intact"] is True and job.summary["records"] == 1


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "archivist")])
def test_only_archivists_may_start_a_verification(world, role):
    with pytest.raises(PermissionDenied):
        jobs.verification_start(actor=world.users[role])
    assert not Job.objects.exists()


def test_the_verify_command_and_the_job_share_one_function(world, log_removal, monkeypatch):
    log_removal()
    calls = []
    real = verification.verify_log

    def spy(**kwargs):
        calls.append(sorted(kwargs))
        return real(**kwargs)

    monkeypatch.setattr(verification, "verify_log", spy)
    call_command("verify_moderation_log", verbosity=0, stdout=io.StringIO())
    job_run(job_id=jobs.verification_start(actor=world.users["archivist"])[0].pk)
    assert len(calls) == 2
