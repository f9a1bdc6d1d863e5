"""The start page, and the two plain answers every deployment needs (health, theme)."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from branding.selectors import current_brand
from inquiries import selectors as inquiry_selectors
from moderation.selectors.alerts import legal_alerts_for
from moderation.transparency import witnessing

from .. import permissions, selectors
from ..selectors import account_security as security_selectors
from ..selectors import home as home_selectors
from ..selectors import impostor_reports as report_selectors
from ..selectors.home import HomeStatusChannel
from .channels import add_status_badges


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
    """Serve the municipality's colours (its graphic profile, 4:1) as CSS custom properties (no inline styles).

    Pages ask for it with the profile's version in the address, so a change is never hidden by a cached copy.
    """
    brand = current_brand()
    css = render_to_string("theme.css", {"primary": brand.primary_color, "primary_dark": brand.primary_dark_color})
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def home(request):
    """Show each person what needs their attention, by role."""
    user = request.user
    context = {}
    if permissions.is_web_team(user):
        queues = selectors.web_team_queues_home(user)
        context["proposals"] = queues.proposals
        context["unpublished"] = queues.unpublished
        context["address_changes"] = queues.address_changes
    if permissions.is_manager(user):
        context["unit_channels"] = [
            HomeStatusChannel(*row[2:6], row[6], row[9]) for row in selectors.home_lists(user).get("unit_channels", [])
        ]
        add_status_badges(context["unit_channels"])
        unit_mandates = home_selectors.unit_mandates_home(user)
        context["unit_expiring"] = unit_mandates.expiring
        context["unit_awaiting"] = unit_mandates.awaiting
    if not permissions.is_web_team(user):
        # A writer's channels (4:3), each with the way to log a removal (4:10).
        context["my_channels"] = home_selectors.moderated_channels_home(user)
    context["archivist"] = permissions.is_archivist(user)
    if context["archivist"]:
        # The moderation log's last witness run, when it failed (issue 12).
        context["witness_problem"] = witnessing.failing_run()
    own = home_selectors.own_mandates_home(user)
    context["pending_acknowledgements"] = own.pending
    context["own_expiring"] = own.expiring
    context["impostor_reports"] = report_selectors.impostor_reports_home(user)
    context["missing_writers"] = selectors.missing_writers_for(user)
    context["account_security"] = security_selectors.account_security_home(user)
    context["inquiries"] = inquiry_selectors.home_section(user)
    context["legal_alerts"] = legal_alerts_for(user)
    return render(request, "registry/home.html", context)
