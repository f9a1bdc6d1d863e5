"""Starting a background export: the archival package (E-ARK) or an XLSX file of the log's selection."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobs import kinds
from jobs.models import Job
from jobs.services import job_start

from .. import permissions
from ..exports import jobs as export_jobs
from ..exports import table
from ..models import RecordRead
from .log import record_access_log

FORMATS = {"eark": export_jobs.EARK, "xlsx": export_jobs.XLSX}

ERRORS = {
    "unknown_format": _("Choose the archival package or Excel."),
    "not_allowed": _("You may not make this file."),
    "empty": _("No records match the filters: there is nothing to export."),
}


@transaction.atomic
def export_start(*, actor, fmt: str, filters: str, request=None) -> Job:
    """Start a background export of the log's selection *filters* (a query string) as *fmt*: "eark" or "xlsx".

    The export is logged now, with the request of the person who starts it (the worker has none).
    """
    if fmt not in FORMATS:
        raise ValidationError({"format": ValidationError(ERRORS["unknown_format"], code="unknown_format")})
    kind = kinds.get(FORMATS[fmt])
    if not kind.may_start(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    form = export_jobs.filter_form(filters)
    if form.is_bound and not form.is_valid():
        raise ValidationError(export_jobs.ERRORS["bad_filters"], code="bad_filters")
    records = table.records_for_export(user=actor, filters=form.filters())
    newest = records.order_by("-id").first()
    if newest is None:
        raise ValidationError(ERRORS["empty"], code="empty")
    job = job_start(
        kind=kind.name, actor=actor, params={"filters": filters}, description=export_jobs.describe_selection(form)
    )
    record_access_log(
        request=request,
        actor=actor,
        action="export",
        records=[newest],
        what=RecordRead.What.EXPORT,
        detail=f"{fmt} export (job {job.pk}): {filters}",
        format=fmt,
        selection=filters,
        job=job.pk,
        content_included=fmt == "eark" or permissions.sees_confidential_content(actor),
    )
    return job
