from branding.selectors import current_brand

from . import permissions


def site(request):
    """Expose the graphic profile in effect (4:1: name, website, colours, logo) and the person's roles to templates."""
    user = request.user if hasattr(request, "user") else None
    brand = current_brand()
    return {
        "BRAND": brand,
        "MUNICIPALITY_NAME": brand.name,
        "MUNICIPALITY_WEBSITE": brand.website,
        "BRAND_PRIMARY_COLOR": brand.primary_color,
        "BRAND_PRIMARY_DARK_COLOR": brand.primary_dark_color,
        "roles": Roles(user) if user is not None else None,
    }


class Roles:
    """Lazy role checks for templates: ``{% if roles.web_team %}``."""

    def __init__(self, user):
        self._user = user

    @property
    def web_team(self):
        return permissions.is_web_team(self._user)

    @property
    def archivist(self):
        return permissions.is_archivist(self._user)

    @property
    def manager(self):
        return permissions.is_manager(self._user)

    @property
    def registrar(self):
        return permissions.is_registrar(self._user)

    @property
    def administrator(self):
        return permissions.is_administrator(self._user)
