"""Reports of impostor accounts: the public's form (no sign-in) and the web team's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from norsjo.forms import add_service_error
from norsjo.ratelimit import rate_limited

from .. import permissions, selectors
from ..forms import ImpostorReportForm, ImpostorReportSettleForm
from ..models import ImpostorReport
from ..selectors import impostor_reports as report_selectors
from ..services import impostor_reports as services

PAGE_SIZE = 25


# The public pages set no cookies (no session, no CSRF cookie): the form carries no token. A
# forged submission from another site could do nothing a visitor cannot do directly; floods are
# met by the rate limit of submissions ("report", RATELIMIT_REPORT) and the honeypot.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("report", methods=("POST",))
@rate_limited("verify", methods=("GET", "HEAD"))
def public_report(request):
    """Let anyone report an account that pretends to be the municipality's."""
    if request.method == "POST":
        form = ImpostorReportForm(request.POST)
        if form.is_robot():
            # Answer as if accepted: a robot learns nothing, and nothing is stored.
            return redirect("public:report_thanks")
        if form.is_valid():
            try:
                services.impostor_report_receive(
                    url=form.cleaned_data["url"],
                    note=form.cleaned_data["note"],
                    contact=form.cleaned_data["contact"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return redirect("public:report_thanks")
    else:
        form = ImpostorReportForm(initial={"url": request.GET.get("url", "")[:600]})
    similar = ()
    url = form.data.get("url") if form.is_bound else form.initial.get("url")
    if url:
        try:
            similar = selectors.verify_url(url).similar
        except ValidationError:
            similar = ()
    return render(request, "registry/public/report_form.html", {"form": form, "similar": similar})


@login_not_required
@require_safe
def public_report_thanks(request):
    """Thank the reporter and say what happens next."""
    return render(request, "registry/public/report_thanks.html")


@require_GET
def impostor_report_list(request):
    """The web team's queue of reports (open first), and the settled ones."""
    if not permissions.can_handle_impostor_reports(request.user):
        raise PermissionDenied
    settled = request.GET.get("visa") == "avgjorda"
    reports = report_selectors.impostor_reports_visible_to(request.user)
    if settled:
        reports = reports.exclude(outcome=ImpostorReport.Outcome.OPEN).order_by("-settled_at", "-pk")
    else:
        reports = report_selectors.impostor_reports_open(request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/impostor_report_list.html", {"page": page, "settled": settled})


@require_http_methods(["GET", "POST"])
def impostor_report_detail(request, pk):
    """One report with the lookalike match and its history; the web team settles it here."""
    report = get_object_or_404(report_selectors.impostor_reports_visible_to(request.user), pk=pk)
    duplicates = report_selectors.impostor_report_duplicates(report)
    form = ImpostorReportSettleForm(request.POST if request.method == "POST" else None, duplicates=duplicates)
    if request.method == "POST" and report.is_open and form.is_valid():
        try:
            services.impostor_report_settle(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report has been settled."))
            return redirect("registry:impostor_report_list")
    context = {
        "report": report,
        "form": form,
        "verification": _current_answer(report),
        "history": selectors.history_for(report),
    }
    return render(request, "registry/impostor_report_detail.html", context)


def _current_answer(report):
    """Return what "is this really you?" answers for the reported address today (it may have changed)."""
    try:
        return selectors.verify_url(report.url)
    except ValidationError:
        return None
