"""The register of channels: the list, a channel's page, proposing and editing, the lifecycle,
and the web team's decision on a proposed change of address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from norsjo.forms import add_service_error

from .. import permissions, selectors
from ..forms import ChannelFilterForm, ChannelForm, OptionalReasonForm, ReasonForm
from ..models import Channel
from ..selectors.channel_page import channel_page
from ..services import channels as services

PAGE_SIZE = 25


def channel_list(request):
    form = ChannelFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "platform": data["platform"],
            "unit": data["unit"],
            "status": data["status"],
        }
    channels = selectors.channel_list(user=request.user, **filters)
    page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
    add_status_badges(page.object_list)
    return render(
        request,
        "registry/channel_list.html",
        {"form": form, "page": page, "can_propose": permissions.can_propose_channel(request.user)},
    )


def add_status_badges(channels) -> None:
    """Give each channel its status badge (``status_badge``), rendered once for each status and publication.

    The badge shows nothing else, so a page of 25 rows renders it a few times, not 25.
    """
    rendered = {}
    for channel in channels:
        key = (channel.status, channel.is_published)
        if key not in rendered:
            rendered[key] = render_to_string("registry/includes/status_badge.html", {"channel": channel})
        channel.status_badge = rendered[key]


def channel_detail(request, pk):
    user = request.user
    # The channel and everything its page shows, in one query (registry/selectors/channel_page.py).
    page = channel_page(user, pk)
    if page is None:
        raise Http404
    channel = page.channel
    pending = page.pending_change if permissions.can_see_address_change(user, channel) else None
    accepts_mandates = channel.status in Channel.ACCEPTS_MANDATES
    # The web team grants a unit's manager their own mandate (nobody grants one to themselves).
    grant_to_managers = (
        [manager for manager in page.unit_managers if permissions.can_grant_mandate(user, channel, manager)]
        if accepts_mandates and permissions.is_web_team(user) and not permissions.can_grant_on(user, channel)
        else []
    )
    return render(
        request,
        "registry/channel_detail.html",
        {
            "pending_change": pending,
            "can_decide_change": pending is not None and permissions.can_decide_address_change(user),
            "grant_to_managers": grant_to_managers,
            "channel": channel,
            "channel_page": page,
            "history": page.history,
            "can_edit": permissions.can_edit_channel(user, channel),
            "can_review": permissions.can_review_proposals(user) and channel.status == Channel.Status.PROPOSED,
            "can_change_status": permissions.can_change_channel_status(user, channel)
            and channel.status != Channel.Status.PROPOSED,
            # 4:3: who may write here now, and on whose mandate.
            "appointed": page.appointed,
            "can_grant": permissions.can_grant_on(user, channel) and accepts_mandates,
        },
    )


def _show_service_error(form, error: ValidationError) -> None:
    add_service_error(form, error)
    if getattr(error, "code", None) == "duplicate":
        form.duplicate_of = error.params["channel"]  # the form links to the channel that has the address


@require_http_methods(["GET", "POST"])
def channel_create(request):
    if not permissions.can_propose_channel(request.user):
        raise PermissionDenied
    form = ChannelForm(
        request.POST if request.method == "POST" else None, units=selectors.units_for_proposal(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_register(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _show_service_error(form, error)
        else:
            if channel.status == Channel.Status.PROPOSED:
                messages.success(request, _("The channel has been proposed. The web team will review it."))
            else:
                messages.success(request, _("The channel has been registered."))
            return redirect(channel)
    return render(request, "registry/channel_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def channel_edit(request, pk):
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    if not permissions.can_edit_channel(request.user, channel):
        raise PermissionDenied
    initial = {
        "url": channel.url,
        "platform": channel.platform.slug,
        "name": channel.name,
        "handle": channel.handle,
        "unit": channel.unit.slug,
        "purpose": channel.purpose,
        "audience": channel.audience,
        "contact_email": channel.contact_email,
    }
    units = selectors.units_for_edit(request.user, channel)
    form = ChannelForm(request.POST if request.method == "POST" else None, initial=initial, units=units)
    pending = selectors.address_change_pending(channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(channel=channel, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _show_service_error(form, error)
        else:
            proposed = selectors.address_change_pending(channel)
            if proposed is not None and (pending is None or proposed.pk != pending.pk):
                messages.success(
                    request,
                    _(
                        "The changes have been saved. The new address waits for the web team's approval; "
                        "until then the current address stays the official one."
                    ),
                )
            else:
                messages.success(request, _("The changes have been saved."))
            return redirect(channel)
    return render(
        request,
        "registry/channel_form.html",
        {
            "form": form,
            "channel": channel,
            "creating": False,
            "pending_change": pending,
            "needs_approval": permissions.address_change_needs_approval(request.user, channel),
        },
    )


# -- A proposed change of an official address (the web team decides) -----------------------


def _address_change(request, pk):
    """Return the proposed change *pk* for the web team; anyone else may not decide it (403)."""
    change = get_object_or_404(selectors.address_changes(), pk=pk)
    if not permissions.can_decide_address_change(request.user):
        raise PermissionDenied
    return change


@require_http_methods(["GET", "POST"])
def channel_change_approve(request, pk):
    """Approve a proposed change of address after a confirmation: the new address becomes official."""
    change = _address_change(request, pk)
    if request.method == "POST":
        try:
            services.channel_change_approve(change=change, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The change has been approved. The new address is now the official one."))
        return redirect(change.channel)
    return render(request, "registry/channel_change_confirm.html", {"change": change, "approving": True})


@require_http_methods(["GET", "POST"])
def channel_change_reject(request, pk):
    """Reject a proposed change of address with a reason; the channel keeps its address."""
    change = _address_change(request, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_change_reject(change=change, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The proposed change has been rejected. The channel keeps its address."))
        return redirect(change.channel)
    return render(request, "registry/channel_change_confirm.html", {"change": change, "form": form, "approving": False})


# -- The lifecycle ---------------------------------------------------------------------------


def _reviews_proposals(user, channel) -> bool:
    """Approving, rejecting and closing: the web team (``permissions.can_review_proposals``)."""
    return permissions.can_review_proposals(user)


def _status_action(request, pk, *, allowed, service, success, form_class=None, template=None, title=""):
    """Run one lifecycle service from a POST, with a confirmation page on GET.

    *allowed* is the permission function the service itself asks, so the page and the
    service never disagree on who may act.
    """
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    if not allowed(request.user, channel):
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        kwargs = {"reason": form.cleaned_data["reason"]} if form else {}
        try:
            service(channel=channel, actor=request.user, **kwargs)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
        return redirect(channel)
    return render(
        request, template or "registry/channel_confirm.html", {"channel": channel, "form": form, "title": title}
    )


@require_POST
def channel_approve(request, pk):
    return _status_action(
        request,
        pk,
        allowed=_reviews_proposals,
        service=services.channel_approve,
        success=_("The channel has been approved."),
    )


@require_http_methods(["GET", "POST"])
def channel_reject(request, pk):
    return _status_action(
        request,
        pk,
        allowed=_reviews_proposals,
        service=services.channel_reject,
        success=_("The proposal has been rejected."),
        form_class=ReasonForm,
        title=_("Reject the proposal"),
    )


@require_POST
def channel_publish(request, pk):
    def publish(**kwargs):
        return services.channel_set_published(published=True, **kwargs)

    return _status_action(
        request,
        pk,
        allowed=permissions.can_change_channel_status,
        service=publish,
        success=_("The channel is now on the public list."),
    )


@require_POST
def channel_unpublish(request, pk):
    def unpublish(**kwargs):
        return services.channel_set_published(published=False, **kwargs)

    return _status_action(
        request,
        pk,
        allowed=permissions.can_change_channel_status,
        service=unpublish,
        success=_("The channel has been taken off the public list."),
    )


@require_http_methods(["GET", "POST"])
def channel_pause(request, pk):
    return _status_action(
        request,
        pk,
        allowed=permissions.can_change_channel_status,
        service=services.channel_pause,
        success=_("The channel has been paused."),
        form_class=OptionalReasonForm,
        title=_("Pause the channel"),
    )


@require_POST
def channel_resume(request, pk):
    return _status_action(
        request,
        pk,
        allowed=permissions.can_change_channel_status,
        service=services.channel_resume,
        success=_("The channel is active again."),
    )


@require_http_methods(["GET", "POST"])
def channel_close(request, pk):
    return _status_action(
        request,
        pk,
        allowed=_reviews_proposals,
        service=services.channel_close,
        success=_("The channel has been closed."),
        form_class=ReasonForm,
        title=_("Close the channel"),
        template="registry/channel_close.html",  # asks for final screenshots (4:8)
    )
