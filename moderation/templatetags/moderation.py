"""Template helpers for the moderation log: safe display of hostile text, permission checks."""

import unicodedata
from urllib.parse import quote

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from registry.permissions import can_moderate

register = template.Library()

# Characters that change how text around them is shown, or are invisible: bidirectional
# controls (e.g. U+202E turns text around), zero-width characters, other format (Cf) and
# control (Cc) characters. They are shown as a visible code, so the text displays
# exactly what was posted without acting on the page.
_VISIBLE_CONTROLS = {"\n", "\t", "\r"}


def _is_hidden(char: str) -> bool:
    if char in _VISIBLE_CONTROLS:
        return False
    return unicodedata.category(char) in {"Cf", "Cc", "Zl", "Zp", "Co", "Cn"} and char not in _VISIBLE_CONTROLS


@register.filter(is_safe=True)
def reveal(value, technical=True) -> str:
    """Escape *value* and make invisible and direction-changing characters visible and inert.

    With *technical* (an archivist's view: ``permissions.sees_record_integrity``) each shows
    its code, "[U+202E]"; otherwise it is named in words, "[hidden character]".
    """
    if value is None:
        return ""
    parts = []
    words = escape(gettext("hidden character"))
    for char in str(value):
        if not _is_hidden(char):
            parts.append(escape(char))
        elif technical:
            code = f"U+{ord(char):04X}"
            parts.append(f'<span class="hidden-char" title="{code}">[{code}]</span>')
        else:
            parts.append(f'<span class="hidden-char">[{words}]</span>')
    return mark_safe("".join(parts))


@register.filter
def safe_href(value) -> str:
    """Return an http(s) address percent-encoded for an href (no control or bidi characters), else ""."""
    value = str(value or "")
    if not value.lower().startswith(("http://", "https://")):
        return ""
    return quote(value, safe="/:?#[]@!$&'()*+,;=%~")


@register.simple_tag(takes_context=True)
def can_log_removal(context, channel) -> bool:
    """Whether the signed-in person may log a removal on *channel* (used on the channel page)."""
    request = context.get("request")
    return bool(request and can_moderate(request.user, channel))


@register.filter
def percent_of(value, maximum) -> float:
    """Return *value* as a percentage of *maximum* (0 when the maximum is 0), for chart bars."""
    try:
        return round(100 * float(value) / float(maximum), 1) if maximum else 0
    except (TypeError, ValueError):
        return 0
