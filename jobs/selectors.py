"""Reads of background jobs for screens."""

from django.http import Http404

from . import permissions
from .models import Job


def job_for(user, pk: int) -> Job:
    """Return *user*'s job *pk*; 404 for anyone else's or for one whose kind they may no longer start."""
    job = Job.objects.of(user).filter(pk=pk).first()
    if job is None or not permissions.can_see_job(user, job):
        raise Http404
    return job


def recent_jobs(user, *, kinds: list[str], limit: int = 10) -> list[Job]:
    """Return *user*'s latest jobs of *kinds*, newest first (the export and archive pages list them)."""
    return list(Job.objects.of(user).filter(kind__in=kinds)[:limit])
