"""The log's rows written in Python (moderation/templatetags/log_rows.py) are the template's, byte for byte."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from moderation.forms.log import RecordFilterForm
from moderation.selectors.log import Filters, record_page
from moderation.services.log import addendum_add

# The loop templates/moderation/record_list.html had before log_rows wrote it.
TEMPLATE_LOOP = """{% load i18n %}  {% for record in page.items %}
    <tr>
      {% if can_choose %}<td><input class="form-check-input" type="checkbox" name="records" value="{{ record.sequence }}" form="choose-records" id="choose-{{ record.pk }}"><label class="visually-hidden" for="choose-{{ record.pk }}">{% blocktranslate with number=record.sequence %}Choose record {{ number }}{% endblocktranslate %}</label></td>{% endif %}
      <td><a href="{{ record.get_absolute_url }}">{{ record.sequence }}</a>{% if record.addendum_to_id %} <span class="badge text-bg-secondary">{% translate "addendum" %}</span>{% endif %}</td>
      <td class="text-nowrap">{{ record.removed_at|date:"Y-m-d H:i" }}</td>
      <td>{{ record.channel_name }} <span class="text-muted small">{{ record.platform_name }}, {{ record.unit_name }}</span></td>
      <td>{% with effective=record.classification %}{{ record.get_effective_category_display }}{% if effective.reclassified %} <span class="badge text-bg-info">{% translate "corrected" %}</span>{% endif %}{% if effective.confidential %} <span class="badge text-bg-danger">{% translate "confidential" %}</span>{% endif %}{% if effective.legally_required %} <span class="badge text-bg-warning">{% translate "required by law" %}</span>{% endif %}{% endwith %}</td>
      <td>{{ record.get_action_display }}</td>
      <td>{{ record.logged_by|person }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

WRITTEN = "{% load log_rows %}  {% log_rows page.items can_choose %}"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("can_choose", [True, False])
def test_rows_are_the_templates(world, log_removal, language, can_choose):
    world.channel.name = 'Bibliotekets <b>"sida"</b> & mer'
    world.channel.save()
    nameless = world.users["web_team"]
    nameless.first_name = nameless.last_name = ""
    nameless.save()
    # Just after midnight in Stockholm, before it in UTC: the local date is shown.
    midnight = timezone.localtime().replace(hour=0, minute=30, second=0, microsecond=0) - timedelta(days=1)
    original = log_removal(category="a", removed_at=midnight, comment_published_at=None)
    addendum_add(actor=world.users["writer"], original=original, explanation="Rättelse", category="h")
    log_removal(category="b", action="unpublished", actor=nameless)
    log_removal(category="h")
    law = log_removal(category="g")
    addendum_add(actor=world.users["writer"], original=law, explanation="Hot", category="c")
    page = record_page(user=world.users["web_team"], filters=Filters())
    assert len(page.items) == 6
    context = {"page": page, "can_choose": can_choose}
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context(context))
        written = Template(WRITTEN).render(Context(context))
    assert written == expected
    for badge in ("badge text-bg-secondary", "text-bg-info", "text-bg-danger", "text-bg-warning", "&lt;b&gt;"):
        assert badge in written


# moderation/includes/field.html before filter_field wrote it (its file ended with a line break).
TEMPLATE_FIELD = (
    '{% load lean_fields %}<div class="mb-3"><label class="form-label" for="{{ field.id_for_label }}">'
    "{{ field.label }}</label>{% lean_widget field %}{% for error in field.errors %}"
    '<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}</div>\n'
)


@pytest.mark.parametrize("data", [None, {"q": "<b>", "removed_from": "igår", "channel": "99999", "action": "zz"}])
def test_filter_fields_are_the_includes(world, log_removal, data):
    log_removal()
    form = RecordFilterForm(data)
    form.filters()
    form.offer_choices()
    for field in form:
        expected = Template(TEMPLATE_FIELD).render(Context({"field": field}))
        assert Template("{% load log_rows %}{% filter_field field %}").render(Context({"field": field})) == expected
        assert Template('{% include "moderation/includes/field.html" %}').render(Context({"field": field})) == expected
    if data:
        assert form.errors.keys() == {"removed_from", "channel", "action"}
