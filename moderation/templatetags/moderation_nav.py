"""The archive's own menu (the main menu is norsjo.templatetags.menu)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()


# The archive's menu (templates/moderation/archive_base.html): each item with the pages
# (URL names) under it, so that every archive page marks exactly one item as current.
ARCHIVE_MENU = [
    ("archive_home", _("Archive"), {"archive_home"}),
    ("disposal", _("Disposal"), {"disposal"}),
    ("disposal_log", _("Disposal log"), {"disposal_log"}),
    ("decision_list", _("Disposal decisions"), {"decision_list", "decision_create", "decision_detail", "decision_end"}),
    ("hold_list", _("Holds"), {"hold_list", "hold_create", "hold_lift"}),
    ("read_log", _("Read log"), {"read_log", "read_log_export"}),
    (
        "disclosure_list",
        _("Requests for public records"),
        {"disclosure_list", "disclosure_create", "disclosure_detail", "disclosure_review", "disclosure_print"},
    ),
    ("integrity", _("Integrity"), {"integrity"}),
    ("export", _("Export"), {"export", "export_download"}),
]


@register.simple_tag(takes_context=True)
def archive_menu(context) -> list[dict]:
    """Return the archive menu's items, the one holding the current page marked ``current``."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "moderation" else None
    return [
        {"url": reverse(f"moderation:{name}"), "label": label, "current": current in pages}
        for name, label, pages in ARCHIVE_MENU
    ]
