"""Politicians' links (4:5): the web team registers, changes, publishes and withdraws them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from norsjo.forms import add_service_error

from .. import permissions, selectors
from ..forms import PoliticianLinkCreateForm, PoliticianLinkForm, ReasonForm
from ..services import politician_links as services

PAGE_SIZE = 25


def _require_link_manager(request):
    if not permissions.can_manage_politician_links(request.user):
        raise PermissionDenied


@require_GET
def politician_list(request):
    _require_link_manager(request)
    page = Paginator(selectors.politician_links(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/politician_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def politician_create(request):
    _require_link_manager(request)
    user = request.user
    initial = {"decided_on": timezone.localdate(), "decided_by": user.get_full_name() or user.get_username()}
    form = PoliticianLinkCreateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.politician_link_register(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The politician's link has been registered."))
            return redirect(link)
    return render(request, "registry/politician_form.html", {"form": form, "creating": True})


@require_GET
def politician_detail(request, pk):
    _require_link_manager(request)
    link = get_object_or_404(selectors.politician_links(), pk=pk)
    return render(
        request,
        "registry/politician_detail.html",
        {"link": link, "history": selectors.history_for(link)[:100]},
    )


@require_http_methods(["GET", "POST"])
def politician_edit(request, pk):
    _require_link_manager(request)
    link = get_object_or_404(selectors.politician_links().current(), pk=pk)
    initial = {field: getattr(link, field) for field in services.LINK_FIELDS}
    form = PoliticianLinkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.politician_link_update(link=link, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(link)
    return render(request, "registry/politician_form.html", {"form": form, "link": link, "creating": False})


def _link_publication(request, pk, *, published: bool):
    _require_link_manager(request)
    link = get_object_or_404(selectors.politician_links(), pk=pk)
    try:
        services.politician_link_set_published(link=link, actor=request.user, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The link is now on the public list.")
            if published
            else _("The link has been taken off the public list."),
        )
    return redirect(link)


@require_POST
def politician_publish(request, pk):
    return _link_publication(request, pk, published=True)


@require_POST
def politician_unpublish(request, pk):
    return _link_publication(request, pk, published=False)


@require_http_methods(["GET", "POST"])
def politician_withdraw(request, pk):
    _require_link_manager(request)
    link = get_object_or_404(selectors.politician_links().current(), pk=pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.politician_link_withdraw(link=link, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The link has been withdrawn."))
        return redirect(link)
    return render(request, "registry/politician_withdraw.html", {"link": link, "form": form})
