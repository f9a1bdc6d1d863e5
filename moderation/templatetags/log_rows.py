"""The moderation log's rows and filter fields (templates/moderation/record_list.html), written in Python.

A row through the template language costs about half a millisecond on this machine (a dozen
variables, filters and conditions, each resolved, localised and escaped); 25 rows were half of
the log's rendering. ``log_rows`` writes the markup the template's loop wrote, byte for byte
(tests/moderation/test_log_rows.py renders both): values as ``{{ value }}`` writes them
(``render_value_in_context``: localised, escaped; a plain string is only escaped, an integer
only written, which is all that function does to them without thousand separators), the
``{% translate %}`` badges as the tag writes a literal's translation (unescaped), the date as
``|date:"Y-m-d H:i"`` writes it in local time, the reasons and ways of removal by their labels.
"""

import html

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from accounts.people import display_name
from norsjo.templatetags.lean_fields import widget_html

from ..models import Category, RemovedComment

register = template.Library()

# How ``{{ value }}`` writes a value in the page (autoescape on, the settings' l10n and time zone).
_PLAIN = Context()


def _show(value) -> str:
    if type(value) is str:
        return html.escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return render_value_in_context(value, _PLAIN)


def _minute(value) -> str:
    """``{{ value|date:"Y-m-d H:i" }}``: the local time, as django.utils.dateformat writes those five."""
    at = template_localtime(value)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


@register.simple_tag
def log_rows(records, can_choose) -> str:
    """Return the table rows of *records*, with a checkbox each when *can_choose*."""
    choose_label = gettext("Choose record %(number)s")
    addendum = f' <span class="badge text-bg-secondary">{gettext("addendum")}</span>'
    corrected = f' <span class="badge text-bg-info">{gettext("corrected")}</span>'
    confidential = f' <span class="badge text-bg-danger">{gettext("confidential")}</span>'
    by_law = f' <span class="badge text-bg-warning">{gettext("required by law")}</span>'
    # get_effective_category_display and get_action_display, each label translated once.
    reasons = {value: str(label) for value, label in Category.choices}
    ways = {value: str(label) for value, label in RemovedComment._meta.get_field("action").flatchoices}
    rows = []
    for record in records:
        number = _show(record.sequence)
        choose = ""
        if can_choose:
            pk = _show(record.pk)
            choose = (
                f'<td><input class="form-check-input" type="checkbox" name="records" value="{number}"'
                f' form="choose-records" id="choose-{pk}"><label class="visually-hidden" for="choose-{pk}">'
                f"{choose_label % {'number': number}}</label></td>"
            )
        effective = record.classification
        cells = (
            choose,
            f'<td><a href="{_show(record.get_absolute_url())}">{number}</a>'
            f"{addendum if record.addendum_to_id else ''}</td>",
            f'<td class="text-nowrap">{_minute(record.removed_at)}</td>',
            f'<td>{_show(record.channel_name)} <span class="text-muted small">{_show(record.platform_name)},'
            f" {_show(record.unit_name)}</span></td>",
            f"<td>{_show(reasons[effective.category])}{corrected if effective.reclassified else ''}"
            f"{confidential if effective.confidential else ''}{by_law if effective.legally_required else ''}</td>",
            f"<td>{_show(ways.get(record.action, record.action))}</td>",
            f"<td>{_show(display_name(record.logged_by))}</td>",
        )
        rows.append("\n    <tr>\n      " + "\n      ".join(cells) + "\n    </tr>\n  ")
    return mark_safe("".join(rows))  # every value above is escaped by _show


@register.simple_tag
def filter_field(field) -> str:
    """Return a filter's field: its label, its widget (``lean_widget``) and its errors (moderation/includes/field.html).

    The one form of this markup: the include is this tag, and the log's eight fields call it
    directly (an include costs more than the field). With the line break that ended the
    include's file.
    """
    errors = "".join(f'<div class="invalid-feedback d-block">{_show(error)}</div>' for error in field.errors)
    return mark_safe(  # every value is escaped by _show; the widget is lean_widget's
        f'<div class="mb-3"><label class="form-label" for="{_show(field.id_for_label)}">{_show(field.label)}</label>'
        f"{widget_html(field)}{errors}</div>\n"
    )
