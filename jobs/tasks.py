"""The one task of the framework: run a ``Job`` by its id (the job's kind says what it does)."""

from django_tasks import task

from . import services


@task()
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)
