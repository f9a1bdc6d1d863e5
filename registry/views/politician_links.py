"""The web team's duties around the public list: preview, politicians' links (4:5),
screenshot documentation (4:8) and the units' yearly review of their channels."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, selectors, services
from .forms import ChannelReviewForm, DocumentationForm, PoliticianLinkCreateForm, PoliticianLinkForm, ReasonForm
from .models import Documentation, PoliticianLink
from .views_public import _grouping, _list_context

PAGE_SIZE = 25
_LINK_ERROR_FIELDS = {"link_duplicate": "url", "invalid_url": "url", "too_long": "url", "future_date": "decided_on"}


@require_GET
def public_preview(request):
    """Show the web team exactly what the public list shows now (the same template and data)."""
    if not permissions.can_preview_public_list(request.user):
        raise PermissionDenied
    state = selectors.public_list_state()
    context = _list_context(_grouping(request)) | {"updated": state.last_modified}
    return render(request, "registry/public_preview.html", context)


# -- Politicians' links (4:5) -----------------------------------------------------------------


def _require_link_manager(request):
    if not permissions.can_manage_politician_links(request.user):
        raise PermissionDenied


@require_GET
def politician_list(request):
    _require_link_manager(request)
    page = Paginator(selectors.politician_links(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/politician_list.html", {"page": page, "query": ""})


def _add_link_error(form, error: ValidationError):
    field = _LINK_ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, error)


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
            _add_link_error(form, error)
        else:
            messages.success(request, _("The politician's link has been registered."))
            return redirect(link)
    return render(request, "registry/politician_form.html", {"form": form, "creating": True})


@require_GET
def politician_detail(request, pk):
    _require_link_manager(request)
    link = get_object_or_404(PoliticianLink, pk=pk)
    return render(
        request,
        "registry/politician_detail.html",
        {"link": link, "history": selectors.history_for(link).select_related("actor")[:100]},
    )


@require_http_methods(["GET", "POST"])
def politician_edit(request, pk):
    _require_link_manager(request)
    link = get_object_or_404(PoliticianLink.objects.current(), pk=pk)
    initial = {field: getattr(link, field) for field in services.LINK_FIELDS}
    form = PoliticianLinkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.politician_link_update(link=link, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_link_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(link)
    return render(request, "registry/politician_form.html", {"form": form, "link": link, "creating": False})


def _link_publication(request, pk, *, published: bool):
    _require_link_manager(request)
    link = get_object_or_404(PoliticianLink, pk=pk)
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
    link = get_object_or_404(PoliticianLink.objects.current(), pk=pk)
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


# -- Screenshot documentation (4:8) -----------------------------------------------------------


def _channel(request, pk):
    return get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def documentation_create(request, pk):
    """Upload screenshots of a channel; from the close page, go back there afterwards."""
    channel = _channel(request, pk)
    if not permissions.can_document(request.user, channel):
        raise PermissionDenied
    reason = request.GET.get("reason", Documentation.Reason.YEARLY)
    initial = {"documented_on": timezone.localdate(), "reason": reason if reason in Documentation.Reason else ""}
    form = DocumentationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.documentation_record(
                channel=channel,
                actor=request.user,
                files=data["files"],
                documented_on=data["documented_on"],
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as error:
            field = "documented_on" if error.code == "future_date" else "files"
            form.add_error(field, error)
        else:
            messages.success(request, _("The screenshots have been saved."))
            return redirect(next_url or reverse("registry:documentation_list", kwargs={"pk": channel.pk}))
    return render(request, "registry/documentation_form.html", {"channel": channel, "form": form, "next_url": next_url})


@require_GET
def documentation_list(request, pk):
    channel = _channel(request, pk)
    if not permissions.can_see_documentation(request.user, channel):
        raise PermissionDenied
    page = Paginator(selectors.documentation_for(channel), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/documentation_list.html",
        {
            "channel": channel,
            "page": page,
            "query": "",
            "can_document": permissions.can_document(request.user, channel),
        },
    )


@require_GET
def documentation_file(request, pk):
    """Send one screenshot file to a person allowed to see it; never from a public URL."""
    record = get_object_or_404(selectors.documentation_files_visible_to(request.user), pk=pk)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the storage.")) from None
    response = FileResponse(handle, content_type=record.content_type, filename=record.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def documentation_overdue(request):
    if not permissions.can_see_overdue_documentation(request.user):
        raise PermissionDenied
    page = Paginator(selectors.channels_with_overdue_documentation(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/documentation_overdue.html", {"page": page, "query": ""})


# -- The yearly review ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    channel = _channel(request, pk)
    if not permissions.can_review_channel(request.user, channel):
        raise PermissionDenied
    form = ChannelReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_review_record(channel=channel, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("note" if error.code == "note_required" else None, error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect(channel)
    return render(
        request,
        "registry/review_form.html",
        {
            "channel": channel,
            "form": form,
            "last_review": selectors.latest_review(channel),
            "writers": channel.mandates.active().select_related("employee").order_by("employee__last_name"),
        },
    )


@require_GET
def reviews_overdue(request):
    """The channels whose yearly review is overdue: all for the web team, a manager's own units."""
    user = request.user
    if not (permissions.is_web_team(user) or permissions.is_manager(user)):
        raise PermissionDenied
    page = Paginator(selectors.overdue_reviews_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/reviews_overdue.html", {"page": page, "query": ""})
