"""A background job: who started it, what it does, how far it has come, and what it made."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import kinds


class JobQuerySet(models.QuerySet):
    def of(self, user):
        """Return the jobs *user* started: nobody else sees a job or its file."""
        return self.filter(requested_by=user)

    def unfinished(self):
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])


class Job(models.Model):
    """One run of a kind of job (``jobs.kinds``); the page polls it, the worker updates it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64, help_text=_("A kind registered in jobs.kinds."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description = models.CharField(
        _("selection"), max_length=500, blank=True, help_text=_("The selection in words, as shown to the person.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    result_path = models.CharField(
        _("result file"), max_length=300, blank=True, help_text=_("Relative to the jobs folder in MEDIA_ROOT.")
    )
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]), name="job_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"

    def get_absolute_url(self):
        return reverse("jobs:job_detail", kwargs={"pk": self.pk})

    @property
    def kind_label(self) -> str:
        kind = kinds.KINDS.get(self.kind)
        return kind.label if kind is not None else self.kind

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))

    def workdir(self) -> Path:
        """Return the folder of this job's files (not served: downloads go through a checked view)."""
        return Path(settings.MEDIA_ROOT) / "jobs" / str(self.pk)

    def result_file(self) -> Path | None:
        if not self.result_path:
            return None
        return Path(settings.MEDIA_ROOT) / "jobs" / self.result_path
