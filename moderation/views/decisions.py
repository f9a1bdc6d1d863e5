"""The disposal decisions' screens (4:7): the list, registering a decision, and ending one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import permissions
from ..forms.archive import DecisionEndForm, DecisionForm
from ..selectors import archive as archive_selectors
from ..services import decisions as decision_services


@require_GET
def decision_list(request):
    permissions.require_archive_manager(request.user)
    decisions = archive_selectors.decisions(user=request.user)
    return render(
        request,
        "moderation/decision_list.html",
        {"decisions": decisions, "in_force": archive_selectors.decision_in_force()},
    )


@require_http_methods(["GET", "POST"])
def decision_create(request):
    permissions.require_archive_manager(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_services.decision_register(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The disposal decision %(reference)s is registered.") % {"reference": decision})
            return redirect(decision)
    return render(request, "moderation/decision_form.html", {"form": form})


@require_GET
def decision_detail(request, pk):
    permissions.require_archive_manager(request.user)
    decision = get_object_or_404(archive_selectors.decisions(user=request.user), pk=pk)
    return render(
        request,
        "moderation/decision_detail.html",
        {
            "decision": decision,
            "runs": decision.runs.select_related("executed_by")[:50],
            "can_end": decision_services.decision_can_end(decision),
        },
    )


@require_http_methods(["GET", "POST"])
def decision_end(request, pk):
    """Confirm the last day a disposal decision is in force (brought forward, never pushed back)."""
    permissions.require_archive_manager(request.user)
    decision = get_object_or_404(archive_selectors.decisions(user=request.user), pk=pk)
    form = DecisionEndForm(request.POST or None, initial={"last_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.decision_end(
                actor=request.user, decision=decision, last_day=form.cleaned_data["last_day"]
            )
        except ValidationError as error:
            add_service_error(form, error)
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
            "can_end": decision_services.decision_can_end(decision),
            "in_force": archive_selectors.decision_in_force() == decision,
        },
    )
