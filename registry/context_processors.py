from django.conf import settings

from . import permissions


def site(request):
    """Expose the municipality's name, colours and the signed-in person's roles to templates."""
    user = request.user if hasattr(request, "user") else None
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_WEBSITE": settings.MUNICIPALITY_WEBSITE,
        "BRAND_PRIMARY_COLOR": settings.BRAND_PRIMARY_COLOR,
        "BRAND_PRIMARY_DARK_COLOR": settings.BRAND_PRIMARY_DARK_COLOR,
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
