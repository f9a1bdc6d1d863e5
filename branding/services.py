"""Setting the graphic profile (4:1): one service, checked colours and logo, history in the same transaction."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from registry import history
from registry.services.updates import diff

from . import contrast, logos, permissions, selectors
from .models import Branding

ACTION_LABELS = {"branding.updated": _("Graphic profile changed")}
ERRORS = {"not_allowed": _("Only the web team and administrators may change the graphic profile.")}
FIELDS = ("municipality_name", "website", "primary_color", "primary_dark_color")


@transaction.atomic
def branding_update(
    *,
    actor,
    municipality_name: str = "",
    website: str = "",
    primary_color: str = "",
    primary_dark_color: str = "",
    logo=None,
    remove_logo: bool = False,
) -> Branding:
    """Set the municipality's name, website, colours and logo; an empty value falls back to the default.

    Each colour carries white text (the header, buttons) and must reach WCAG AA, 4.5:1;
    the logo must be a PNG or an SVG without scripts or outside references (``branding.logos``).
    """
    if not permissions.can_edit_branding(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    errors = {}
    colours = {"primary_color": primary_color.strip(), "primary_dark_color": primary_dark_color.strip()}
    for field, value in colours.items():
        if value:
            try:
                colours[field] = contrast.check_colour_for_white_text(value)
            except ValidationError as error:
                errors[field] = error
    logo_data = logo_type = None
    if logo is not None:
        logo.seek(0)
        logo_data = logo.read(logos.MAX_LOGO_BYTES + 1)
        try:
            logo_type = logos.check_logo(logo_data)
        except ValidationError as error:
            errors["logo"] = error
    if errors:
        raise ValidationError(errors)
    branding = Branding.objects.select_for_update().filter(pk=1).first() or Branding(pk=1)
    data = {"municipality_name": municipality_name.strip(), "website": website.strip(), **colours}
    changes = diff(branding, data)
    for field, value in data.items():
        setattr(branding, field, value)
    if logo_data is not None:
        branding.logo, branding.logo_type = logo_data, logo_type
        branding.logo_sha256 = hashlib.sha256(logo_data).hexdigest()
        changes["logo"] = ["", branding.logo_sha256[:12]]
    elif remove_logo and branding.logo_type:
        changes["logo"] = [branding.logo_sha256[:12], ""]
        branding.logo, branding.logo_type, branding.logo_sha256 = b"", "", ""
    branding.updated_by = actor
    branding.full_clean(exclude=["logo", "updated_by"])
    branding.save()
    history.record(branding, action="branding.updated", actor=actor, changes=changes)
    selectors.forget_brand()
    transaction.on_commit(selectors.forget_brand)
    return branding
