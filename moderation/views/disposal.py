"""The archivist's screens: exports, disposal (4:7), holds, decisions, requests for public records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import archival, exports, selectors, services
from .archival_forms import (
    DecisionEndForm,
    DecisionForm,
    DisclosureForm,
    ExportForm,
    HoldForm,
    HoldLiftForm,
    ReviewForm,
)
from .forms import RecordFilterForm
from .models import DisclosureItem, DisclosureRequest, DisposalDecision, DisposalRun, Hold, RecordRead

PAGE_SIZE = 50


def _require_archivist(user):
    if not archival.can_manage_archive(user):
        raise PermissionDenied


def _service_error(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


# --- exports --------------------------------------------------------------------------------


def _export_filters(request) -> tuple[RecordFilterForm, selectors.Filters]:
    form = RecordFilterForm(request.GET or None)
    if not form.is_valid():
        return form, selectors.Filters()
    data = form.cleaned_data
    return form, selectors.Filters(
        search=data["q"],
        channel=data["channel"],
        unit_id=data["unit"].pk if data["unit"] else None,
        category=data["category"],
        action=data["action"],
        removed_from=data["removed_from"],
        removed_until=data["removed_until"],
        logged_by=data["logged_by"],
    )


@require_GET
def export(request):
    """The export page: what the filters select, and one button per format."""
    if not archival.can_export(request.user):
        raise PermissionDenied
    filter_form, filters = _export_filters(request)
    count = None
    if not request.GET or filter_form.is_valid():
        count = archival.records_for_export(user=request.user, filters=filters).count()
    query = request.GET.copy()
    for key in ("after", "format", "delimiter", "token"):
        query.pop(key, None)
    return render(
        request,
        "moderation/export.html",
        {
            "filter_form": filter_form,
            "count": count,
            "query": query.urlencode(),
            "reveal_confidential": archival.sees_confidential_content(request.user),
            "delimiters": ExportForm.base_fields["delimiter"].choices,
        },
    )


@require_GET
def export_download(request):
    """Stream the export: CSV and JSON Lines row by row; XLSX built in a temporary file first."""
    if not archival.can_export(request.user):
        raise PermissionDenied
    filter_form, filters = _export_filters(request)
    form = ExportForm(request.GET)
    if (request.GET and not filter_form.is_valid()) or not form.is_valid():
        messages.error(request, _("The export could not be made: check the filters and the format."))
        return redirect("moderation:export")
    qs = archival.records_for_export(user=request.user, filters=filters)
    fmt = form.cleaned_data["format"]
    reveal = archival.sees_confidential_content(request.user)
    newest = qs.order_by("-id").first()
    services.record_access_log(
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
    rows = archival.export_table(qs, reveal_confidential=reveal)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"borttagna-kommentarer-{stamp}.{fmt}"
    if fmt == "xlsx":
        try:
            workbook = exports.xlsx_tempfile(archival.EXPORT_COLUMNS, rows)
        except exports.XlsxLimitError as error:
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
            exports.jsonl_chunks(archival.EXPORT_COLUMNS, rows), content_type="application/x-ndjson"
        )
    else:
        delimiter = exports.CSV_DELIMITERS[form.cleaned_data["delimiter"] or "semicolon"]
        # Lines formatted by the database, the same rules as exports.csv_chunks: docs/performance.md.
        response = StreamingHttpResponse(
            archival.export_csv(qs, delimiter=delimiter, reveal_confidential=reveal),
            content_type="text/csv; charset=utf-8",
        )
    if fmt != "xlsx":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    if form.cleaned_data["token"]:
        # Read by static/js/export.js: the download has started, the "preparing" notice can go.
        response.set_cookie("export_token", form.cleaned_data["token"], max_age=300, samesite="Strict")
    return response


# --- disposal -------------------------------------------------------------------------------------


@require_GET
def archive_home(request):
    _require_archivist(request.user)
    return render(
        request,
        "moderation/archive_home.html",
        {
            "decision": archival.decision_in_force(),
            "active_holds": archival.holds_active().count(),
            "last_run": DisposalRun.objects.select_related("decision", "executed_by").first(),
        },
    )


@require_http_methods(["GET", "POST"])
def disposal(request):
    """Preview what is due under the decision in force; an archivist confirms, and it runs in one transaction."""
    _require_archivist(request.user)
    if request.method == "POST":
        try:
            run = archival.disposal_apply(
                actor=request.user,
                source=DisposalRun.Source.SCREEN,
                expected_fingerprint=request.POST.get("fingerprint", ""),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Disposed of %(records)s records and %(files)s files under decision %(reference)s.")
                % {"records": run.record_count, "files": run.file_count, "reference": run.decision.reference},
            )
            return redirect("moderation:disposal_log")
        return redirect("moderation:disposal")
    preview = archival.disposal_preview()
    sample = []
    if preview.original_ids:
        from .models import RemovedComment

        sample = list(RemovedComment.objects.filter(pk__in=preview.original_ids[:PAGE_SIZE]).order_by("sequence"))
    return render(request, "moderation/disposal.html", {"preview": preview, "sample": sample})


@require_GET
def disposal_log(request):
    _require_archivist(request.user)
    text = request.GET.get("q", "")[:200]
    qs = archival.disposal_log(text=text)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    runs = DisposalRun.objects.select_related("decision", "executed_by")[:20]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "moderation/disposal_log.html", {"page": page, "q": text, "runs": runs, "query": query.urlencode()}
    )


@require_GET
def decision_list(request):
    _require_archivist(request.user)
    decisions = DisposalDecision.objects.prefetch_related("retention_periods")
    return render(
        request, "moderation/decision_list.html", {"decisions": decisions, "in_force": archival.decision_in_force()}
    )


@require_http_methods(["GET", "POST"])
def decision_create(request):
    _require_archivist(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = archival.decision_register(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The disposal decision %(reference)s is registered.") % {"reference": decision})
            return redirect(decision)
    return render(request, "moderation/decision_form.html", {"form": form})


@require_GET
def decision_detail(request, pk):
    _require_archivist(request.user)
    decision = get_object_or_404(DisposalDecision.objects.prefetch_related("retention_periods"), pk=pk)
    return render(
        request,
        "moderation/decision_detail.html",
        {
            "decision": decision,
            "runs": decision.runs.select_related("executed_by")[:50],
            "can_end": archival.decision_can_end(decision),
        },
    )


@require_http_methods(["GET", "POST"])
def decision_end(request, pk):
    """Confirm the last day a disposal decision is in force (brought forward, never pushed back)."""
    _require_archivist(request.user)
    decision = get_object_or_404(DisposalDecision.objects.prefetch_related("retention_periods"), pk=pk)
    form = DecisionEndForm(request.POST or None, initial={"last_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            archival.decision_end(actor=request.user, decision=decision, last_day=form.cleaned_data["last_day"])
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                _("The disposal decision %(reference)s is in force until %(day)s.")
                % {"reference": decision.reference, "day": form.cleaned_data["last_day"].isoformat()},
            )
            return redirect(decision)
    return render(
        request,
        "moderation/decision_end.html",
        {
            "form": form,
            "decision": decision,
            "can_end": archival.decision_can_end(decision),
            "in_force": archival.decision_in_force() == decision,
        },
    )


# --- holds -------------------------------------------------------------------------------------------


@require_GET
def hold_list(request):
    _require_archivist(request.user)
    holds = Hold.objects.select_related("channel", "placed_by", "lifted_by").prefetch_related("records")
    page = Paginator(holds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/hold_list.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
def hold_create(request):
    _require_archivist(request.user)
    form = HoldForm(request.POST or None, initial={"kind": request.GET.get("kind", Hold.Kind.RECORDS)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            archival.hold_place(
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                reference=data["reference"],
                records=data["records"],
                channel=data["channel"],
                period_from=data["period_from"],
                period_until=data["period_until"],
            )
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The hold is placed: nothing it covers will be disposed of."))
            return redirect("moderation:hold_list")
    return render(request, "moderation/hold_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def hold_lift(request, pk):
    _require_archivist(request.user)
    hold = get_object_or_404(Hold, pk=pk)
    form = HoldLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            archival.hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The hold is lifted."))
            return redirect("moderation:hold_list")
    return render(request, "moderation/hold_lift.html", {"form": form, "hold": hold})


# --- requests for public records ----------------------------------------------------------------------


@require_GET
def disclosure_list(request):
    _require_archivist(request.user)
    page = Paginator(DisclosureRequest.objects.select_related("created_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/disclosure_list.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
def disclosure_create(request):
    _require_archivist(request.user)
    form = DisclosureForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "records": request.GET.get("records", "")[:500]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = archival.disclosure_create(
                actor=request.user,
                received_on=data["received_on"],
                description=data["description"],
                records=data["records"],
                reference=data["reference"],
                requester=data["requester"],
            )
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The request is registered. Review any confidential records before the copy."))
            return redirect(created)
    return render(request, "moderation/disclosure_form.html", {"form": form})


def _request(pk) -> DisclosureRequest:
    return get_object_or_404(DisclosureRequest, pk=pk)


@require_GET
def disclosure_detail(request, pk):
    _require_archivist(request.user)
    disclosure = _request(pk)
    items = list(archival.disclosure_items(disclosure).order_by("record__sequence"))
    rows = [(item, archival.is_confidential(item.record)) for item in items]
    pending = [item for item, confidential in rows if confidential and not item.decision]
    return render(
        request, "moderation/disclosure_detail.html", {"disclosure": disclosure, "rows": rows, "pending": pending}
    )


@require_http_methods(["GET", "POST"])
def disclosure_review(request, pk, item_pk):
    _require_archivist(request.user)
    disclosure = _request(pk)
    item = get_object_or_404(disclosure.items.select_related("record__content"), pk=item_pk)
    form = ReviewForm(
        request.POST or None,
        initial={"decision": item.decision, "redacted_text": item.redacted_text, "redaction_note": item.redaction_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            archival.disclosure_review(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The review decision is recorded."))
            return redirect(disclosure)
    content = getattr(item.record, "content", None) if hasattr(item.record, "content") else None
    if content is not None and request.method == "GET":
        # Reading a record's content is logged (third parties' personal data).
        services.record_access_log(
            request=request,
            actor=request.user,
            action="read",
            records=[item.record],
            what=RecordRead.What.CONTENT,
            detail=f"review, request {pk}",
        )
    return render(
        request,
        "moderation/disclosure_review.html",
        {"disclosure": disclosure, "item": item, "form": form, "content": content},
    )


@require_GET
def disclosure_print(request, pk):
    """The printable copy; refused while a confidential record lacks a review decision."""
    _require_archivist(request.user)
    disclosure = _request(pk)
    try:
        entries = archival.disclosure_copy(actor=request.user, request=disclosure, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(disclosure)
    return render(
        request,
        "moderation/disclosure_print.html",
        {"disclosure": disclosure, "entries": entries, "made_at": timezone.now(), "Decision": DisclosureItem.Decision},
    )
