"""Run the background jobs' worker: queue again what a restart interrupted, then django-tasks' db_worker.

    python manage.py run_jobs [--batch]

One worker per installation (``make run`` starts it beside runserver; in production its
systemd unit, docs/deploy.md): a job still "running" when the worker starts was interrupted
by a restart, and starts over from the beginning.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.services import jobs_requeue_interrupted


class Command(BaseCommand):
    help = "Queue interrupted background jobs again, then run the worker (django-tasks' db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, **options):
        requeued = jobs_requeue_interrupted()
        if requeued:
            self.stdout.write(f"Queued {requeued} interrupted job(s) again.")
        # No autoreload: a reload would stop a job half-way (django-tasks-db's own advice for production).
        call_command("db_worker", batch=options["batch"], reload=False, verbosity=options["verbosity"], interval=1.0)
