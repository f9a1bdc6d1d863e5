"""The next steps of a removal required by law (b–e): record the police report, mark the alert handled."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from norsjo.forms import add_service_error

from .. import permissions
from ..forms.alerts import LegalAlertHandledForm, PoliceReportForm
from ..services import alerts as alert_services
from ..services import log as log_services
from .log import _visible_record


@require_http_methods(["GET", "POST"])
def police_report_create(request, pk):
    record = _visible_record(request, pk)
    if not permissions.can_record_police_report(request.user, record):
        raise PermissionDenied
    form = PoliceReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = log_services.police_report_record(
                actor=request.user,
                record=record,
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The police report is recorded as addendum number %(number)s.")
                % {"number": report.addendum.sequence},
            )
            return redirect(report.record)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "moderation/police_report_form.html", {"form": form, "record": record}, status=status)


@require_http_methods(["GET", "POST"])
def legal_alert_handle(request, pk):
    record = _visible_record(request, pk)
    if not permissions.can_handle_legal_alert(request.user):
        raise PermissionDenied
    form = LegalAlertHandledForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert_services.legal_alert_mark_handled(actor=request.user, record=record, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The alert is marked as handled."))
            return redirect("home")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "moderation/legal_alert_handle.html", {"form": form, "record": record}, status=status)
