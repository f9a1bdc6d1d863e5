"""Rows of the mandate pages written in Python: per row, Django's template engine cost more than the query.

The manager's view lists up to 100 channels without a writer; written by the template, each
item (a link, three names, the grant link and its translated label) took 0.14 ms on this
machine, 14 ms for a unit of 500 channels. These write exactly the template's markup
(tests/registry/test_mandate_lists.py compares them).
"""

import html

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from norsjo.paths import path_for_pk

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
