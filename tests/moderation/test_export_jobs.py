"""Exports in the background: the archival package and the XLSX file, run by django-tasks' database worker."""

import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs import kinds
from jobs.models import Job
from jobs.services import job_run
from moderation.exports import jobs as export_jobs
from moderation.exports import package
from moderation.models import RecordRead
from moderation.services.exports import export_start

from ..conftest import client_for
from . import eark
from .conftest import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(world, log_removal):
    first = log_removal(text="Första kommentaren.", attachments=[png_upload()])
    log_removal(text='=HYPERLINK("http://evil.example")', category="b")
    log_removal(text="Hemlig uppgift.", category="h", actor=world.users["web_team"])
    return first


def _work(monkeypatch):
    """Run the queued jobs as the worker does: django-tasks' db_worker, once through the queue.

    Less its ``close_old_connections()``, which would close the test's transaction (tests/jobs/conftest.py).
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def test_archival_package_from_the_browser_passes_the_eark_validator(
    client, world, logged, django_capture_on_commit_callbacks, monkeypatch
):
    """An archivist starts the package on the export page; the database worker makes a ZIP that validates."""
    client = client_for(client, world, "archivist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:export_start"), {"format": "eark", "filters": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.state == Job.State.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id).exists()

    _work(monkeypatch)

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.done == job.total == 3
    assert job.summary["records"] == 3 and job.summary["confidential"] == 1
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    page = client.get(job.get_absolute_url())
    assert reverse("jobs:job_download", kwargs={"pk": job.pk}).encode() in page.content
    download = client.get(reverse("jobs:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    path = job.result_file()
    assert zipfile.is_zipfile(path)
    assert eark.errors(eark.validate(path)) == []
    assert package.verify_package(path) == []


def test_export_start_logs_the_export_with_the_request(client, world, logged, caplog):
    """The export is in the access log (RecordRead + record.export event) with the starter's address."""
    client = client_for(client, world, "archivist")
    with caplog.at_level("INFO", logger="norsjo.security"):
        client.post(reverse("moderation:export_start"), {"format": "xlsx", "filters": "category=h"})
    job = Job.objects.get()
    read = RecordRead.objects.get(what=RecordRead.What.EXPORT)
    assert read.reader == world.users["archivist"] and read.address == "127.0.0.1"
    events = [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == "record.export"]
    assert events and events[0]["job"] == job.pk and events[0]["ip"] == "127.0.0.1"
    assert events[0]["path"] == reverse("moderation:export_start")


def test_xlsx_job_writes_the_selection(world, logged, django_capture_on_commit_callbacks):
    """The XLSX job writes the filtered records, formulas neutralised, as the direct export does."""
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(actor=world.users["web_team"], fmt="xlsx", filters="category=b")
    job = job_run(job_id=job.pk)
    assert job.state == Job.State.DONE, job.error
    assert job.summary == {"records": 1, "content_included": False}
    sheet = openpyxl.load_workbook(io.BytesIO(job.result_file().read_bytes())).active
    texts = [row[14].value for row in sheet.iter_rows(min_row=2)]
    assert texts == ['=HYPERLINK("http://evil.example")']
    assert sheet.cell(row=2, column=15).data_type == "s"  # text, not a formula


def test_xlsx_job_at_scale_reports_progress(world, log_removal, monkeypatch):
    """A larger selection is written in the worker; the job's progress reaches the total."""
    for number in range(250):
        log_removal(text=f"Kommentar {number}")
    monkeypatch.setattr("jobs.services.PROGRESS_INTERVAL", 0)
    job = export_start(actor=world.users["archivist"], fmt="xlsx", filters="")
    job = job_run(job_id=job.pk)
    assert job.state == Job.State.DONE and job.done == job.total == 250


def test_job_run_records_a_failure_for_the_person(world, logged, monkeypatch):
    """An error in the work leaves the job failed with a message for the person, not a traceback."""

    def broken(job, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(kinds.KINDS, export_jobs.XLSX, replace(kinds.get(export_jobs.XLSX), run=broken))
    job = export_start(actor=world.users["archivist"], fmt="xlsx", filters="")
    job = job_run(job_id=job.pk)
    assert job.state == Job.State.FAILED and "disk full" not in job.error and job.error


def test_export_start_refuses_bad_input(world, logged):
    with pytest.raises(ValidationError) as excinfo:
        export_start(actor=world.users["archivist"], fmt="pdf", filters="")
    assert excinfo.value.error_dict["format"][0].code == "unknown_format"
    with pytest.raises(ValidationError) as excinfo:
        export_start(actor=world.users["archivist"], fmt="xlsx", filters="removed_from=yesterday")
    assert excinfo.value.code == "bad_filters"
    with pytest.raises(ValidationError) as excinfo:
        export_start(actor=world.users["archivist"], fmt="xlsx", filters="category=g")
    assert excinfo.value.code == "empty"
    with pytest.raises(PermissionDenied):
        export_start(actor=world.users["web_team"], fmt="eark", filters="")


def test_no_page_shows_a_shell_command(client, world, logged):
    """The archive's start page and the export page offer the browser flow, not manage.py."""
    client = client_for(client, world, "archivist")
    for name in ("moderation:archive_home", "moderation:export"):
        content = client.get(reverse(name)).content.decode()
        assert "manage.py" not in content and "export_records" not in content
    assert b"export/starta/" in client.get(reverse("moderation:export")).content
