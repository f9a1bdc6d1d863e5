"""The holds' screens: the list, placing a hold and lifting one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import permissions
from ..forms.archive import HoldForm, HoldLiftForm, chosen_records
from ..models import Hold
from ..selectors import archive as archive_selectors
from ..services import holds as hold_services


@require_GET
def hold_list(request):
    permissions.require_archive_manager(request.user)
    page = Paginator(archive_selectors.holds(user=request.user), archive_selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/hold_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def hold_create(request):
    permissions.require_archive_manager(request.user)
    initial = {"kind": request.GET.get("kind", Hold.Kind.RECORDS), "records": chosen_records(request)}
    if request.GET.get("from_alert"):
        # From the alert of a removal required by law: its second step (moderation.selectors.alerts).
        initial["reason"] = _("A removal required by law: kept for a police report.")
    form = HoldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold_services.hold_place(
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                reference=data["reference"],
                records=data["records"],
                inquiries=data["inquiries"],
                channel=data["channel"],
                period_from=data["period_from"],
                period_until=data["period_until"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The hold is placed: nothing it covers will be disposed of."))
            return redirect("moderation:hold_list")
    return render(request, "moderation/hold_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def hold_lift(request, pk):
    permissions.require_archive_manager(request.user)
    hold = get_object_or_404(archive_selectors.holds(user=request.user), pk=pk)
    form = HoldLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hold_services.hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The hold is lifted."))
            return redirect("moderation:hold_list")
    return render(request, "moderation/hold_lift.html", {"form": form, "hold": hold})
