"""Requests for public records (4:6): registering one, the confidentiality review (4:10 h) and the copy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import permissions
from ..forms.archive import DisclosureForm, ReviewForm
from ..models import DisclosureItem, DisclosureRequest, RecordRead
from ..selectors import archive as archive_selectors
from ..services import disclosure as disclosure_services
from ..services.log import record_access_log


@require_GET
def disclosure_list(request):
    permissions.require_archive_manager(request.user)
    requests = archive_selectors.disclosure_requests(user=request.user)
    page = Paginator(requests, archive_selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/disclosure_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def disclosure_create(request):
    permissions.require_archive_manager(request.user)
    form = DisclosureForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "records": request.GET.get("records", "")[:500]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = disclosure_services.disclosure_create(
                actor=request.user,
                received_on=data["received_on"],
                description=data["description"],
                records=data["records"],
                reference=data["reference"],
                requester=data["requester"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The request is registered. Review any confidential records before the copy."))
            return redirect(created)
    return render(request, "moderation/disclosure_form.html", {"form": form})


def _request(request, pk) -> DisclosureRequest:
    return get_object_or_404(archive_selectors.disclosure_requests(user=request.user), pk=pk)


@require_GET
def disclosure_detail(request, pk):
    permissions.require_archive_manager(request.user)
    disclosure = _request(request, pk)
    items = list(archive_selectors.disclosure_items(disclosure).order_by("record__sequence"))
    rows = [(item, disclosure_services.is_confidential(item.record)) for item in items]
    pending = [item for item, confidential in rows if confidential and not item.decision]
    return render(
        request, "moderation/disclosure_detail.html", {"disclosure": disclosure, "rows": rows, "pending": pending}
    )


@require_http_methods(["GET", "POST"])
def disclosure_review(request, pk, item_pk):
    permissions.require_archive_manager(request.user)
    disclosure = _request(request, pk)
    item = get_object_or_404(disclosure.items.select_related("record__content"), pk=item_pk)
    form = ReviewForm(
        request.POST or None,
        initial={"decision": item.decision, "redacted_text": item.redacted_text, "redaction_note": item.redaction_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_services.disclosure_review(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The review decision is recorded."))
            return redirect(disclosure)
    content = getattr(item.record, "content", None) if hasattr(item.record, "content") else None
    if content is not None and request.method == "GET":
        # Reading a record's content is logged (third parties' personal data).
        record_access_log(
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
    permissions.require_archive_manager(request.user)
    disclosure = _request(request, pk)
    try:
        entries = disclosure_services.disclosure_copy(actor=request.user, request=disclosure, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(disclosure)
    return render(
        request,
        "moderation/disclosure_print.html",
        {"disclosure": disclosure, "entries": entries, "made_at": timezone.now(), "Decision": DisclosureItem.Decision},
    )
