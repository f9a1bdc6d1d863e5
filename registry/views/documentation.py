"""Screenshot documentation of a channel (4:8): upload, the list, a file, and what is overdue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import permissions, selectors
from ..forms import DocumentationForm
from ..models import Documentation
from ..services import documentation as services

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def documentation_create(request, pk):
    """Upload screenshots of a channel; from the close page, go back there afterwards."""
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
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
            add_service_error(form, error)
        else:
            messages.success(request, _("The screenshots have been saved."))
            return redirect(next_url or reverse("registry:documentation_list", kwargs={"pk": channel.pk}))
    return render(request, "registry/documentation_form.html", {"channel": channel, "form": form, "next_url": next_url})


@require_GET
def documentation_list(request, pk):
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    if not permissions.can_see_documentation(request.user, channel):
        raise PermissionDenied
    page = Paginator(selectors.documentation_for(channel), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/documentation_list.html",
        {"channel": channel, "page": page, "can_document": permissions.can_document(request.user, channel)},
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
    return render(request, "registry/documentation_overdue.html", {"page": page})
