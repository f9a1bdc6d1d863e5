"""Screens of the moderation log (4:10): thin views over selectors, permissions and services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error
from registry.selectors import channels_moderated_by, moderates_any_channel

from .. import permissions
from ..forms.log import AddendumForm, RecordFilterForm, RemovalForm
from ..models import Category, RecordRead, RemovedComment
from ..selectors import log as selectors
from ..services import log as services
from ..transparency import witnessing

# The screenshot errors of removal_log and addendum_add, which the service raises without a field.
SCREENSHOT_ERRORS = dict.fromkeys(("attachment_type", "attachment_too_large", "too_many_attachments"), "screenshots")


def _require_log_user(user):
    if not permissions.can_use_log(user):
        raise PermissionDenied


def _visible_record(request, pk) -> RemovedComment:
    try:
        return selectors.record_for(request.user, pk)
    except RemovedComment.DoesNotExist:
        raise Http404 from None


@require_GET
def record_list(request):
    _require_log_user(request.user)
    form = RecordFilterForm(request.GET or None)
    filters = form.filters()
    after = form.cleaned_data["after"] if form.is_valid() else None
    page = selectors.record_page(user=request.user, filters=filters, after=after)
    form.offer_choices()
    return render(
        request,
        "moderation/record_list.html",
        {
            "form": form,
            "page": page,
            "can_log": moderates_any_channel(request.user),
            "can_export": permissions.can_export(request.user),
            "can_choose": permissions.can_manage_archive(request.user),
        },
    )


@require_GET
def log_start(request):
    """List the channels the person may log removals on (the "log a removal" link)."""
    channels = channels_moderated_by(request.user)
    if not channels.exists():
        raise PermissionDenied
    return render(request, "moderation/log_start.html", {"channels": channels})


@require_http_methods(["GET", "POST"])
def record_create(request, channel_pk):
    channel = get_object_or_404(channels_moderated_by(request.user), pk=channel_pk)
    form = RemovalForm(request.POST or None, request.FILES or None)
    suggest_confidential = request.method == "POST" and form.is_valid() and form.suggests_confidential()
    if request.method == "POST" and form.is_valid() and not suggest_confidential:
        try:
            record = services.removal_log(actor=request.user, channel=channel, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error, fields=SCREENSHOT_ERRORS)
        else:
            messages.success(
                request, _("The removal has been logged as number %(number)s.") % {"number": record.sequence}
            )
            return redirect(record)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "moderation/record_form.html",
        {
            "form": form,
            "channel": channel,
            "legally_required": Category,
            "suggest_confidential": suggest_confidential,
            "had_screenshots": bool(request.FILES),
        },
        status=status,
    )


@require_GET
def record_detail(request, pk):
    record = _visible_record(request, pk)
    can_read = permissions.can_read_content(request.user, record)
    content = getattr(record, "content", None) if can_read else None
    addenda = []
    for addendum in selectors.addenda_of(record):
        readable = permissions.can_read_content(request.user, addendum)
        addenda.append((addendum, getattr(addendum, "content", None) if readable else None, readable))
    read = [record] if content is not None else []
    read += [addendum for addendum, addendum_content, _readable in addenda if addendum_content is not None]
    if read:
        services.record_access_log(
            request=request, actor=request.user, action="read", records=read, what=RecordRead.What.CONTENT
        )
    return render(
        request,
        "moderation/record_detail.html",
        {
            "record": record,
            "can_read": can_read,
            "content": content,
            "attachments": list(record.attachments.all()) if can_read else [],
            "addenda": addenda,
            "disposal": getattr(record, "disposal", None),
            "can_add_addendum": permissions.can_add_addendum(request.user, record),
            "can_record_police_report": record.classification.legally_required
            and permissions.can_record_police_report(request.user, record),
            "technical": permissions.sees_record_integrity(request.user),
            "log_place": witnessing.place_in_log(record),
        },
    )


@require_http_methods(["GET", "POST"])
def addendum_create(request, pk):
    record = _visible_record(request, pk)
    if not permissions.can_add_addendum(request.user, record):
        raise PermissionDenied
    form = AddendumForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            addendum = services.addendum_add(actor=request.user, original=record, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error, fields=SCREENSHOT_ERRORS)
        else:
            messages.success(
                request, _("The addendum has been logged as number %(number)s.") % {"number": addendum.sequence}
            )
            return redirect(addendum.addendum_to)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "moderation/addendum_form.html", {"form": form, "record": record}, status=status)


@require_GET
def attachment_download(request, pk, position):
    record = _visible_record(request, pk)
    if not permissions.can_read_content(request.user, record):
        raise PermissionDenied
    attachment = get_object_or_404(record.attachments, position=position)
    # The position, never the file name: a name can itself hold what 4:10 h protects.
    services.record_access_log(
        request=request,
        actor=request.user,
        action="read",
        records=[record],
        what=RecordRead.What.ATTACHMENT,
        detail=str(position),
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def statistics(request):
    _require_log_user(request.user)
    stats = selectors.statistics(user=request.user)
    return render(request, "moderation/statistics.html", {"stats": stats, "categories": Category})
