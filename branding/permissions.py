"""Who may set the graphic profile (4:1): the web team (the municipality's communication) and administrators."""

from registry.permissions import is_administrator, is_web_team


def can_edit_branding(user) -> bool:
    return user.is_authenticated and user.is_active and (is_web_team(user) or is_administrator(user))
