"""The moderation app's background jobs: the archival package (E-ARK) and the XLSX export.

Both are started from the export page with the log's filters (``RecordFilterForm``), run in
the worker (``jobs.services.job_run``) and leave one file for the person who started them.
Registered with ``jobs.kinds`` from ``ModerationConfig.ready()``.
"""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.kinds import JobKind, JobResult, register

from .. import permissions
from ..forms.log import RecordFilterForm
from . import package, table, writers
from .package.records import disposal_log_entries

EARK = "moderation.eark"
XLSX = "moderation.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ERRORS = {
    "bad_filters": _("The selection is no longer valid: start again from the log's filters."),
    "not_verified": _("The package did not pass its own check and was not kept. Contact IT support."),
}


def filter_form(querystring: str) -> RecordFilterForm:
    """Return the log's filter form for *querystring* (the job keeps the filters as the page had them)."""
    return RecordFilterForm(QueryDict(querystring) if querystring else None)


def describe_selection(form: RecordFilterForm) -> str:
    """Return the selection in words for the job's page: "Reason: ...; Removed from: ...", or "All records"."""
    if not form.is_bound or not form.is_valid():
        return str(_("All records"))
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "after" or value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts) or str(_("All records"))


def _records(job):
    form = filter_form(job.params.get("filters", ""))
    if form.is_bound and not form.is_valid():
        raise ValidationError(ERRORS["bad_filters"], code="bad_filters")
    filters = form.filters()
    return filters, table.records_for_export(user=job.requested_by, filters=filters)


def run_eark(job, progress) -> JobResult:
    """Write the archival package of the selection as one ZIP file, and verify it."""
    filters, records = _records(job)
    total = records.count()
    progress(0, total)
    out = job.workdir() / f"{package.new_objid()}.zip"
    summary = package.build_package(
        records,
        out,
        disposal_log=disposal_log_entries(records),
        description=job.description,
        period=(filters.removed_from, filters.removed_until),
        make_zip=True,
        progress=lambda done: progress(done, total),
    )
    if package.verify_package(summary.path):  # pragma: no cover - would mean a bug in the builder
        raise ValidationError(ERRORS["not_verified"], code="not_verified")
    return JobResult(
        path=summary.path,
        filename=summary.path.name,
        summary={
            "package": summary.objid,
            "records": summary.records,
            "confidential": summary.confidential,
            "disposed": summary.disposed,
            "screenshots": summary.screenshots,
        },
    )


def _counted(rows, progress, total):
    for done, row in enumerate(rows, start=1):
        progress(done, total)
        yield row


def run_xlsx(job, progress) -> JobResult:
    """Write the selection as an Excel workbook, row by row (constant memory)."""
    _filters, records = _records(job)
    total = records.count()
    progress(0, total)
    reveal = permissions.sees_confidential_content(job.requested_by)
    rows = table.export_table(records, reveal_confidential=reveal)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    path = job.workdir() / f"borttagna-kommentarer-{stamp}.xlsx"
    try:
        with path.open("wb") as handle:
            count = writers.write_xlsx(table.EXPORT_COLUMNS, _counted(rows, progress, total), handle)
    finally:
        # A generator over a server-side cursor (PostgreSQL) must close it inside this transaction.
        rows.close()
    return JobResult(path=path, filename=path.name, summary={"records": count, "content_included": reveal})


def register_kinds() -> None:
    register(
        JobKind(
            name=EARK,
            label=_("Archival package for the e-archive"),
            run=run_eark,
            may_start=permissions.can_make_archival_package,
            content_type="application/zip",
        )
    )
    register(
        JobKind(
            name=XLSX,
            label=_("Excel export (XLSX)"),
            run=run_xlsx,
            may_start=permissions.can_export,
            content_type=XLSX_CONTENT_TYPE,
        )
    )
