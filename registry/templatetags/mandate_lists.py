"""Rows of the mandate pages written in Python: per row, Django's template engine cost more than the query.

The manager's view lists up to 100 channels without a writer; written by the template, each
item (a link, three names, the grant link and its translated label) took 0.14 ms on this
machine, 14 ms for a unit of 500 channels; a row of a list of mandates about 0.25 ms. These
write exactly the templates' markup (tests/registry/test_mandate_lists.py compares them).
"""

import html

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from accounts.people import display_name
from norsjo.paths import path_for_pk

from ..models import Mandate

register = template.Library()


@register.simple_tag
def orphaned_channel_items(rows):
    """The ``<li>`` of each orphaned channel, from ``selectors.ORPHANED_LISTED_FIELDS`` rows (pk, name, platform, unit).

    As the template wrote them: ``<li><a href="{{ channel.get_absolute_url }}">{{ channel.name }}</a>
    ({{ channel.platform }}, {{ channel.unit }}) – <a href="{% url 'mandates:grant' %}?channel={{ channel.pk }}">``
    ``{% blocktranslate with name=channel.name %}Grant a mandate on {{ name }}{% endblocktranslate %}</a></li>``.
    """
    grant = html.escape(reverse("mandates:grant"))
    label = gettext("Grant a mandate on %(name)s")
    items = []
    for pk, name, platform, unit in rows:
        name = html.escape(name)
        url = html.escape(path_for_pk("registry:channel_detail", pk))
        items.append(
            f'<li><a href="{url}">{name}</a> ({html.escape(platform)}, {html.escape(unit)}) – '
            f'<a href="{grant}?channel={pk}">{label % {"name": name}}</a></li>'
        )
    return mark_safe("".join(items))


# The state badge's colour (registry/includes/mandate_state_badge.html).
_BADGE = {
    Mandate.State.ACTIVE: "text-bg-success",
    Mandate.State.AWAITING_ACKNOWLEDGEMENT: "text-bg-warning",
    Mandate.State.NOT_STARTED: "text-bg-info",
    Mandate.State.REVOKED: "text-bg-danger",
}


@register.simple_tag
def mandate_rows(mandates, show_employee=False, show_unit=False):
    """The ``<tr>`` of each mandate of registry/includes/mandate_table.html, as its loop wrote them.

    The employee (linked to the mandate) when *show_employee*, else the channel is the link;
    the channel's platform, and its unit when *show_unit*; role, validity, who granted it, the
    state badge and "Renewed" when a renewal exists (``renewed``).
    """
    renewed = f' <span class="badge text-bg-light border">{html.escape(gettext("Renewed"))}</span>'
    rows = []
    for mandate in mandates:
        url = html.escape(mandate.get_absolute_url())
        channel = mandate.channel
        name = html.escape(channel.name)
        if show_employee:
            employee = f'<td><a href="{url}">{html.escape(display_name(mandate.employee))}</a></td>'
        else:
            employee, name = "", f'<a href="{url}">{name}</a>'
        unit = f", {html.escape(str(channel.unit))}" if show_unit else ""
        state = mandate.state
        start, end = mandate.valid_from.isoformat(), mandate.valid_until.isoformat()
        rows.append(
            "\n    <tr>\n"
            f"      {employee}\n"
            f'      <td>{name} <span class="text-muted small">{html.escape(str(channel.platform))}{unit}</span></td>\n'
            f"      <td>{html.escape(capfirst(mandate.get_role_display()))}</td>\n"
            f'      <td><time datetime="{start}">{start}</time> – <time datetime="{end}">{end}</time></td>\n'
            f"      <td>{html.escape(display_name(mandate.granted_by))}</td>\n"
            f'      <td><span class="badge status-badge {_BADGE.get(state, "text-bg-secondary")}">'
            f"{html.escape(capfirst(str(state.label)))}</span>{renewed if getattr(mandate, 'renewed', False) else ''}\n"
            "</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))
