"""The main menu of every signed-in page (templates/includes/nav.html), built in Python.

Every signed-in page draws it, so it is built with one pass over its items rather than a
template of twenty conditions and ten URL reversals. Who sees which item is asked of the rules
themselves (``registry.permissions``, ``moderation.permissions``, ``registry.selectors``), each
answered once per request.
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from moderation import permissions as moderation_permissions
from registry import permissions
from registry.selectors import moderates_any_channel

register = template.Library()

# URL names of the menu's items; reversed once per process (and script prefix).
_URL_NAMES = (
    "home",
    "registry:channel_list",
    "mandates:mine",
    "mandates:manager",
    "moderation:record_list",
    "moderation:log_start",
    "moderation:archive_home",
    "inquiries:inquiry_list",
    "branding:edit",
)


@lru_cache(maxsize=8)
def _urls(script_prefix: str) -> dict[str, str]:
    return {name: reverse(name) for name in _URL_NAMES}


def _item(url, label, path, *, active=None):
    """One menu link: marked active when *active* (by default: this very page), current on this very page."""
    current = path == url
    return {"url": url, "label": label, "active": current if active is None else active, "current": current}


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The menu's links for the signed-in person, in order: ``url``, ``label``, ``active``, ``current``."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    user, path = request.user, request.path
    urls = _urls(get_script_prefix())
    channels = urls["registry:channel_list"]
    items = [
        _item(urls["home"], _("Start"), path),
        _item(channels, _("Channels"), path, active=path.startswith(channels)),
        _item(urls["mandates:mine"], _("My mandates"), path),
    ]
    if permissions.is_manager(user):
        items.append(_item(urls["mandates:manager"], _("Unit mandates"), path))
    log, log_start, archive = (
        urls["moderation:record_list"],
        urls["moderation:log_start"],
        urls["moderation:archive_home"],
    )
    in_archive = path.startswith(archive)
    if moderation_permissions.can_use_log(user):
        # The log's pages, but neither the log-a-removal start nor the archive (whose address begins with the log's).
        in_log = path.startswith(log) and path != log_start and not in_archive
        items.append(_item(log, _("Moderation log"), path, active=in_log))
    if moderates_any_channel(user):
        items.append(_item(log_start, _("Log a removal"), path))
    if permissions.is_archivist(user):
        items.append(_item(archive, _("Archive"), path, active=in_archive))
    return items


@register.simple_tag(takes_context=True)
def main_menu_end(context) -> list[dict]:
    """The links after the web team's menu: incoming inquiries (registrars), the graphic profile (administrators)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    user, path = request.user, request.path
    urls = _urls(get_script_prefix())
    items = []
    if permissions.is_registrar(user):
        items.append(_item(urls["inquiries:inquiry_list"], _("Incoming inquiries"), path))
    if permissions.is_administrator(user) and not permissions.is_web_team(user):
        items.append(_item(urls["branding:edit"], _("Graphic profile"), path))
    return items
