"""The export screens: what the list's filters select, streamed as CSV, XLSX or JSON Lines."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import permissions
from ..exports import database_csv, table, writers
from ..forms.archive import ExportForm
from ..forms.log import RecordFilterForm
from ..models import RecordRead
from ..services.log import record_access_log


@require_GET
def export(request):
    """The export page: what the filters select, and one button per format."""
    if not permissions.can_export(request.user):
        raise PermissionDenied
    filter_form = RecordFilterForm(request.GET or None)
    count = None
    if not request.GET or filter_form.is_valid():
        count = table.records_for_export(user=request.user, filters=filter_form.filters()).count()
    return render(
        request,
        "moderation/export.html",
        {
            "filter_form": filter_form,
            "count": count,
            "reveal_confidential": permissions.sees_confidential_content(request.user),
            "delimiters": ExportForm.base_fields["delimiter"].choices,
        },
    )


@require_GET
def export_download(request):
    """Stream the export: CSV and JSON Lines row by row; XLSX built in a temporary file first."""
    if not permissions.can_export(request.user):
        raise PermissionDenied
    filter_form = RecordFilterForm(request.GET or None)
    form = ExportForm(request.GET)
    if (request.GET and not filter_form.is_valid()) or not form.is_valid():
        messages.error(request, _("The export could not be made: check the filters and the format."))
        return redirect("moderation:export")
    qs = table.records_for_export(user=request.user, filters=filter_form.filters())
    fmt = form.cleaned_data["format"]
    reveal = permissions.sees_confidential_content(request.user)
    newest = qs.order_by("-id").first()
    record_access_log(
        request=request,
        actor=request.user,
        action="export",
        records=[newest] if newest is not None else [],
        what=RecordRead.What.EXPORT,
        detail=f"{fmt} export: {request.GET.urlencode()}",
        format=fmt,
        selection=request.GET.urlencode(),
        content_included=reveal,
    )
    rows = table.export_table(qs, reveal_confidential=reveal)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"borttagna-kommentarer-{stamp}.{fmt}"
    if fmt == "xlsx":
        try:
            workbook = writers.xlsx_tempfile(table.EXPORT_COLUMNS, rows)
        except writers.XlsxLimitError as error:
            messages.error(request, error.messages[0])
            return redirect("moderation:export")
        response = FileResponse(
            workbook,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "jsonl":
        response = StreamingHttpResponse(
            writers.jsonl_chunks(table.EXPORT_COLUMNS, rows), content_type="application/x-ndjson"
        )
    else:
        delimiter = writers.CSV_DELIMITERS[form.cleaned_data["delimiter"] or "semicolon"]
        # Lines formatted by the database, the same rules as writers.csv_chunks: docs/performance.md.
        response = StreamingHttpResponse(
            database_csv.export_csv(qs, delimiter=delimiter, reveal_confidential=reveal),
            content_type="text/csv; charset=utf-8",
        )
    if fmt != "xlsx":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    if form.cleaned_data["token"]:
        # Read by static/js/export.js: the download has started, the "preparing" notice can go.
        response.set_cookie("export_token", form.cleaned_data["token"], max_age=300, samesite="Strict")
    return response
