"""Screens for mandates (uppdrag, 4:2), the guidelines they accept, and appointed writers (4:3)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import guidelines, permissions, selectors
from ..forms import AcknowledgeForm, MandateGrantForm, MandateRenewForm, ReasonForm, UnitFilterForm
from ..models import Mandate
from ..services import mandates as services
from ..services.guidelines import guideline_version_current

PAGE_SIZE = 50


def _page(request, rows_from, whole_list):
    """The page asked for, as ``Paginator(whole_list()).get_page`` gives it; its rows and the length in one query.

    *rows_from(start, size)* returns those rows of the list, each with ``listed_total``
    (``COUNT(*) OVER ()``, ``selectors.listed_page``), so that the page needs no ``COUNT`` of
    its own. The list's queryset (*whole_list()*) is built only for a page number that is not
    a page (past the end, not a number), which goes to ``get_page`` as before.
    """
    number = request.GET.get("page") or "1"
    if number.isdigit() and int(number) >= 1:
        start = (int(number) - 1) * PAGE_SIZE
        rows = rows_from(start, PAGE_SIZE)
        if rows or number == "1":
            paginator = Paginator((), PAGE_SIZE)  # the rows are the page's own (below)
            paginator.count = rows[0].listed_total if rows else 0
            page = paginator.page(int(number))
            page.object_list = rows
            return page
    return Paginator(whole_list(), PAGE_SIZE).get_page(number)


@require_GET
def mandate_mine(request):
    """My mandates: every employee's own, with those awaiting acknowledgement first."""
    today = timezone.localdate()
    return render(
        request,
        "registry/mandate_mine.html",
        {
            "pending": selectors.pending_acknowledgements_listed(request.user, on=today),
            "page": _page(
                request,
                lambda start, size: selectors.mandates_of_page(request.user, start=start, size=size),
                lambda: selectors.mandates_of(request.user),
            ),
            "today": today,
        },
    )


@require_GET
def guidelines_page(request):
    # The version shown is recorded when first shown, so that it has a number and a date.
    version = guideline_version_current()
    return render(
        request,
        "registry/guidelines.html",
        {"guidelines_html": guidelines.render(version.text), "version": version},
    )


@require_GET
def mandate_detail(request, pk):
    mandate = selectors.mandate_visible_to(request.user, pk)
    if mandate is None:
        raise Http404
    user = request.user
    today = timezone.localdate()
    state = mandate.state_on(today)
    renewal = mandate.renewal if mandate.renewed else None  # fetched only when there is one
    return render(
        request,
        "registry/mandate_detail.html",
        {
            "mandate": mandate,
            "state": state,
            "renewal": renewal,
            "history": selectors.mandate_history_shown(mandate),
            # The mandate's own state first: the permission is asked only where the button could be.
            "can_acknowledge": state == Mandate.State.AWAITING_ACKNOWLEDGEMENT
            and permissions.can_acknowledge_mandate(user, mandate),
            "can_revoke": mandate.revoked_at is None
            and mandate.valid_until >= today
            and permissions.can_revoke_mandate(user, mandate),
            "can_renew": mandate.revoked_at is None and not renewal and permissions.can_renew_mandate(user, mandate),
        },
    )


@require_GET
def mandate_print(request, pk):
    """A one-page document for the personnel file (print stylesheet in static/css/print.css)."""
    mandate = get_object_or_404(selectors.mandates_visible_to(request.user), pk=pk)
    return render(
        request,
        "registry/mandate_print.html",
        {"mandate": mandate, "state": mandate.state, "printed_at": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def mandate_acknowledge(request, pk):
    """Read the guidelines and confirm acting as an employee (4:2); someone else's mandate is 404."""
    mandate = get_object_or_404(selectors.mandates_of(request.user), pk=pk)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_acknowledge(mandate=mandate, actor=request.user, confirmed=form.cleaned_data["confirm"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. The mandate is acknowledged."))
        return redirect(mandate)
    version = guideline_version_current()
    return render(
        request,
        "registry/mandate_acknowledge.html",
        {
            "mandate": mandate,
            "form": form,
            "state": mandate.state,
            # Under the page's "Read the guidelines" (h2): the document's own headings start at h3.
            "guidelines_html": guidelines.render(version.text, heading_offset=2),
            "version": version,
        },
    )


@require_http_methods(["GET", "POST"])
def mandate_grant(request):
    user = request.user
    if not permissions.can_grant_mandates(user):
        raise PermissionDenied
    channels = selectors.channels_for_grant(user)
    initial = {}
    if request.method == "GET" and request.GET.get("channel", "").isdigit():
        initial["channels"] = channels.filter(pk=request.GET["channel"])
    if request.method == "GET" and request.GET.get("employee", "").isdigit():
        initial["employee"] = request.GET["employee"]
    form = MandateGrantForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        actor=user,
        employees=selectors.employees_for_grant(user),
        channels=channels,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            granted = services.mandate_grant_many(
                actor=user,
                channels=list(data["channels"]),
                employee=data["employee"],
                role=data["role"],
                scope=data["scope"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The mandate has been granted. The employee must acknowledge it before it comes into force.",
                    "%(count)d mandates have been granted. The employee must acknowledge them first.",
                    len(granted),
                )
                % {"count": len(granted)},
            )
            return redirect(granted[0] if len(granted) == 1 else "mandates:manager")
    return render(
        request,
        "registry/mandate_form.html",
        {"form": form, "has_channels": channels.exists(), "for_managers": not permissions.is_manager(user)},
    )


@require_http_methods(["GET", "POST"])
def mandate_revoke(request, pk):
    mandate = get_object_or_404(selectors.mandates_visible_to(request.user), pk=pk)
    if not permissions.can_revoke_mandate(request.user, mandate):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_revoke(mandate=mandate, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The mandate has been revoked."))
        return redirect(mandate)
    return render(
        request,
        "registry/mandate_confirm.html",
        {"mandate": mandate, "form": form, "title": _("Revoke the mandate"), "danger": True},
    )


@require_http_methods(["GET", "POST"])
def mandate_renew(request, pk):
    """Renew in one step (a POST without data takes the defaults), or choose the end date first."""
    mandate = get_object_or_404(selectors.mandates_visible_to(request.user), pk=pk)
    if not permissions.can_renew_mandate(request.user, mandate):
        raise PermissionDenied
    form = MandateRenewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.mandate_renew(
                mandate=mandate, actor=request.user, valid_until=form.cleaned_data["valid_until"]
            )
        except ValidationError as error:
            if request.POST.get("valid_until"):
                add_service_error(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("mandates:manager" if request.POST.get("next_page") == "manager" else mandate)
        else:
            messages.success(
                request,
                _("The mandate has been renewed from %(start)s to %(end)s. The employee must acknowledge it.")
                % {"start": renewal.valid_from.isoformat(), "end": renewal.valid_until.isoformat()},
            )
            return redirect("mandates:manager" if request.POST.get("next_page") == "manager" else renewal)
    start = services.mandate_renewal_start(mandate)
    return render(
        request,
        "registry/mandate_confirm.html",
        {
            "mandate": mandate,
            "form": form,
            "title": _("Renew the mandate"),
            "renewal_start": start,
            "renewal_until": services.mandate_default_until(start),
        },
    )


@require_GET
def mandate_manager(request):
    """The manager's view: the units' mandates, those awaiting acknowledgement or expiring, orphaned channels."""
    user = request.user
    if not permissions.can_see_unit_mandates(user):
        raise PermissionDenied
    today = timezone.localdate()
    expiring = selectors.unit_mandates_expiring_listed(user, on=today)
    for mandate in expiring:
        # A manager's own mandate is renewed by another manager or the web team, as it was granted.
        mandate.can_renew = permissions.can_renew_mandate(user, mandate)
    return render(
        request,
        "registry/mandate_manager.html",
        {
            "today": today,
            "awaiting": selectors.unit_mandates_awaiting_listed(user, on=today),
            "expiring": expiring,
            "orphaned": selectors.orphaned_channels_listed(user, on=today),
            "page": _page(
                request,
                lambda start, size: selectors.unit_mandates_page(user, start=start, size=size),
                lambda: selectors.unit_mandates(user),
            ),
        },
    )


@require_GET
def appointed_writers(request):
    """Every appointed writer in the municipality (4:3), for the web team."""
    if not permissions.can_see_appointed_writers(request.user):
        raise PermissionDenied
    form = UnitFilterForm(request.GET or None)
    unit = form.cleaned_data["unit"].slug if form.is_valid() and form.cleaned_data["unit"] else ""
    today = timezone.localdate()
    page = _page(
        request,
        lambda start, size: selectors.appointed_writers_page(on=today, unit=unit, start=start, size=size),
        lambda: selectors.appointed_writers_all(on=today, unit=unit),
    )
    return render(request, "registry/mandate_writers.html", {"form": form, "page": page})
