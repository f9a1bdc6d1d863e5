"""The graphic profile's page (the web team, administrators) and the logo, served to anyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error

from . import permissions, selectors
from .forms import BrandingForm
from .models import Branding
from .services import branding_update

# An SVG opened on its own runs no script and loads nothing (branding/logos.py, the third defence).
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_http_methods(["GET", "POST"])
def branding_edit(request):
    if not permissions.can_edit_branding(request.user):
        raise PermissionDenied
    branding = selectors.branding_row() or Branding(pk=1)
    form = BrandingForm(request.POST or None, request.FILES or None, instance=branding)
    if request.method == "POST" and form.is_valid():
        try:
            branding_update(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The graphic profile is saved."))
            return redirect("branding:edit")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "brand": selectors.current_brand(), "default": selectors.default_brand()}
    return render(request, "branding/branding_edit.html", context, status=status)


@login_not_required
@require_GET
def branding_logo(request):
    """Serve the logo with a restrictive type and policy; the address changes with the logo, so it is cached long."""
    branding = Branding.objects.filter(pk=1).exclude(logo_type="").first()
    if branding is None:
        raise Http404
    response = HttpResponse(bytes(branding.logo), content_type=branding.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = LOGO_CSP
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = "inline; filename=logotyp" + (".svg" if "svg" in branding.logo_type else ".png")
    return response
