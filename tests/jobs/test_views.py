"""A job's page, its state and its file: only the person who started it (404 for everyone else)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_run
from moderation.services.exports import export_start
from moderation.services.log import removal_log

from ..conftest import client_for
from ..matrix import Row, expect, params, run_row

pytestmark = pytest.mark.django_db


def _job(world):
    if not hasattr(world, "_job"):
        removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category="a",
            action="deleted",
            removed_at=timezone.now(),
            text="Köp klockor!",
        )
        job = export_start(actor=world.users["archivist"], fmt="xlsx", filters="")
        world._job = job_run(job_id=job.pk)
    return {"pk": world._job.pk}


# The archivist started the job: everyone else, the web team and the administrator too, gets 404.
ONLY_STARTER = expect(404, archivist=200)

MATRIX = [
    Row("jobs:job_detail", ONLY_STARTER, kwargs=_job),
    Row("jobs:job_status", ONLY_STARTER, kwargs=_job),
    Row("jobs:job_download", ONLY_STARTER, kwargs=_job),
]


@params(MATRIX)
def test_permission_matrix(client, world, row, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    run_row(client, world, row, role)


def test_job_page_polls_with_a_script_while_running(client, world, settings, tmp_path):
    """An unfinished job's page has the progress and the polling script (no meta refresh: axe forbids it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    removal_log(
        actor=world.users["web_team"],
        channel=world.channel,
        category="a",
        action="deleted",
        removed_at=timezone.now(),
        text="Köp klockor!",
    )
    job = export_start(actor=world.users["archivist"], fmt="xlsx", filters="")
    client = client_for(client, world, "archivist")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "js/job.js" in page and "http-equiv" not in page and "<progress" in page
    status = client.get(reverse("jobs:job_status", kwargs={"pk": job.pk})).json()
    assert status == {"state": "queued", "done": 0, "total": None, "percent": None, "finished": False}
    assert client.get(reverse("jobs:job_download", kwargs={"pk": job.pk})).status_code == 404
    job_run(job_id=job.pk)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "js/job.js" not in page and reverse("jobs:job_download", kwargs={"pk": job.pk}) in page
    assert Job.objects.get().state == Job.State.DONE
