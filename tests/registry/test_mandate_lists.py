"""registry.templatetags.mandate_lists writes exactly the markup the templates wrote, escaping included."""

import pytest
from django.template import Context, Template
from django.utils import translation

from registry import selectors
from registry.models import Platform
from registry.templatetags.mandate_lists import orphaned_channel_items

from ..factories import ChannelFactory, UnitFactory

pytestmark = pytest.mark.django_db

# The manager's view's template before the list was written in Python.
ORPHANED_TEMPLATE = (
    '{% load i18n %}{% for channel in orphaned %}<li><a href="{{ channel.get_absolute_url }}">{{ channel.name }}</a>'
    " ({{ channel.platform }}, {{ channel.unit }}) – <a href=\"{% url 'mandates:grant' %}?channel={{ channel.pk }}\">"
    "{% blocktranslate with name=channel.name %}Grant a mandate on {{ name }}{% endblocktranslate %}</a></li>"
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_orphaned_channels_are_written_as_the_template_wrote_them(world, language):
    unit = UnitFactory(name='Kultur & "fritid" <b>', managers=[world.users["manager"]])
    platform = Platform.objects.create(slug="ovrigt", name="Face<book> & 'co'")
    ChannelFactory(unit=unit, platform=platform, name='Bibliotekets <i>kanal</i> & "vänner" 100%')
    ChannelFactory(unit=unit, name="Ungdom %(name)s {name}")
    channels = list(selectors.orphaned_channels(world.users["manager"]))
    rows = [(c.pk, c.name, c.platform.name, c.unit.name) for c in channels]
    assert len(rows) == 2
    with translation.override(language):
        expected = Template(ORPHANED_TEMPLATE).render(Context({"orphaned": channels}))
        assert orphaned_channel_items(rows) == expected
    assert "&lt;i&gt;kanal&lt;/i&gt; &amp; &quot;vänner&quot;" in expected
