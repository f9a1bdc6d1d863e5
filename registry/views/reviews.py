"""The units' yearly review of their channels: the form and the overdue reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from .. import permissions, selectors
from ..forms import ChannelReviewForm
from ..services import reviews as services

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    channel = get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)
    if not permissions.can_review_channel(request.user, channel):
        raise PermissionDenied
    form = ChannelReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_review_record(channel=channel, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
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
            "writers": selectors.appointed_writers(channel),
        },
    )


@require_GET
def reviews_overdue(request):
    """The channels whose yearly review is overdue: all for the web team, a manager's own units."""
    if not permissions.can_see_overdue_reviews(request.user):
        raise PermissionDenied
    page = Paginator(selectors.overdue_reviews_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/reviews_overdue.html", {"page": page})
