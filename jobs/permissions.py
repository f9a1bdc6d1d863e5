"""Who may see a background job and fetch its file: the person who started it, while they may still start its kind."""

from . import kinds
from .models import Job


def can_see_job(user, job: Job) -> bool:
    if not user.is_authenticated or job.requested_by_id != user.pk:
        return False
    kind = kinds.KINDS.get(job.kind)
    return kind is not None and kind.may_start(user)
