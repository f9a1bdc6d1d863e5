from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from moderation.transparency import witnessing

from . import permissions, selectors, services
from .forms import ChannelFilterForm, ChannelForm, OptionalReasonForm, ReasonForm, add_service_error
from .models import Channel

PAGE_SIZE = 25


@login_not_required
@require_GET
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise (contract in PRODUCT.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
@cache_control(max_age=3600, public=True)
def theme_css(request):
    """Serve the municipality's colours as CSS custom properties (no inline styles)."""
    css = render_to_string(
        "theme.css",
        {"primary": settings.BRAND_PRIMARY_COLOR, "primary_dark": settings.BRAND_PRIMARY_DARK_COLOR},
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def home(request):
    """Show each person what needs their attention, by role."""
    user = request.user
    context = {}
    if permissions.is_web_team(user):
        context["proposals"] = selectors.proposals_awaiting_review()[:20]
        context["unpublished"] = selectors.unpublished_active_channels()[:20]
        context["address_changes"] = selectors.address_changes_awaiting_review()[:20]
    if permissions.is_manager(user):
        context["unit_channels"] = selectors.unit_channels(user)[:50]
        context["unit_expiring"] = selectors.unit_mandates_expiring(user)[:20]
        context["unit_awaiting"] = selectors.unit_mandates(user).awaiting_acknowledgement()[:20]
    if not permissions.is_web_team(user):
        # A writer's channels (4:3), each with the way to log a removal (4:10).
        context["my_channels"] = selectors.channels_moderated_by(user)
    context["archivist"] = permissions.is_archivist(user)
    if context["archivist"]:
        # The moderation log's last witness run, when it failed (issue 12).
        context["witness_problem"] = witnessing.failing_run()
    context["pending_acknowledgements"] = selectors.pending_acknowledgements(user)
    context["own_expiring"] = selectors.mandates_of(user).expiring(within_days=30)
    return render(request, "registry/home.html", context)


def channel_list(request):
    form = ChannelFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "platform": data["platform"].slug if data["platform"] else "",
            "unit": data["unit"].slug if data["unit"] else "",
            "status": data["status"],
        }
    channels = selectors.channel_list(user=request.user, **filters)
    page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/channel_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_propose": permissions.can_propose_channel(request.user),
        },
    )


def channel_detail(request, pk):
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    user = request.user
    pending = selectors.address_change_pending(channel) if permissions.can_see_address_change(user, channel) else None
    accepts_mandates = channel.status in Channel.ACCEPTS_MANDATES
    # The web team grants a unit's manager their own mandate (nobody grants one to themselves).
    grant_to_managers = (
        [
            manager
            for manager in channel.unit.managers.filter(is_active=True).order_by("last_name", "first_name", "pk")
            if permissions.can_grant_mandate(user, channel, manager)
        ]
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
            "history": selectors.history_for(channel)[:100],
            "can_edit": permissions.can_edit_channel(user, channel),
            "can_review": permissions.can_review_proposals(user) and channel.status == Channel.Status.PROPOSED,
            "can_change_status": permissions.can_change_channel_status(user, channel)
            and channel.status != Channel.Status.PROPOSED,
            # 4:3: who may write here now, and on whose mandate.
            "appointed": selectors.appointed_writers(channel),
            "can_grant": permissions.can_grant_on(user, channel) and accepts_mandates,
        },
    )


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
            add_service_error(form, error)
            if error.code == "duplicate":
                form.duplicate_of = error.params["channel"]
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
    units = selectors.units_for_proposal(request.user) | type(channel.unit).objects.filter(pk=channel.unit_id)
    form = ChannelForm(request.POST if request.method == "POST" else None, initial=initial, units=units.distinct())
    pending = selectors.address_change_pending(channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(channel=channel, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
            if getattr(error, "code", None) == "duplicate":
                form.duplicate_of = error.params["channel"]
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


def _status_action(request, pk, *, service, success, form_class=None, template=None, title=""):
    """Run one lifecycle service from a POST, with a confirmation page on GET."""
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    if not permissions.can_review_proposals(request.user):
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
    return _status_action(request, pk, service=services.channel_approve, success=_("The channel has been approved."))


@require_http_methods(["GET", "POST"])
def channel_reject(request, pk):
    return _status_action(
        request,
        pk,
        service=services.channel_reject,
        success=_("The proposal has been rejected."),
        form_class=ReasonForm,
        title=_("Reject the proposal"),
    )


@require_POST
def channel_publish(request, pk):
    def publish(**kwargs):
        return services.channel_set_published(published=True, **kwargs)

    return _status_action(request, pk, service=publish, success=_("The channel is now on the public list."))


@require_POST
def channel_unpublish(request, pk):
    def unpublish(**kwargs):
        return services.channel_set_published(published=False, **kwargs)

    return _status_action(request, pk, service=unpublish, success=_("The channel has been taken off the public list."))


@require_http_methods(["GET", "POST"])
def channel_pause(request, pk):
    return _status_action(
        request,
        pk,
        service=services.channel_pause,
        success=_("The channel has been paused."),
        form_class=OptionalReasonForm,
        title=_("Pause the channel"),
    )


@require_POST
def channel_resume(request, pk):
    return _status_action(request, pk, service=services.channel_resume, success=_("The channel is active again."))


@require_http_methods(["GET", "POST"])
def channel_close(request, pk):
    return _status_action(
        request,
        pk,
        service=services.channel_close,
        success=_("The channel has been closed."),
        form_class=ReasonForm,
        title=_("Close the channel"),
        template="registry/channel_close.html",  # asks for final screenshots (4:8)
    )
