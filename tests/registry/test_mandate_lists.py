"""registry.templatetags.mandate_lists writes exactly the markup the templates wrote, escaping included."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from registry import selectors
from registry.models import Mandate, Platform
from registry.templatetags.mandate_lists import mandate_rows, orphaned_channel_items

from ..factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory

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


# registry/includes/mandate_table.html's loop before its rows were written in Python.
MANDATE_ROWS_TEMPLATE = (Path(__file__).parent / "mandate_rows_before.html").read_text()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_mandate_rows_are_written_as_the_template_wrote_them(world, language):
    """Every state and flag, a renewed mandate, names to escape, a person without a name."""
    today = timezone.localdate()
    days = datetime.timedelta
    unit = UnitFactory(name='Kultur & "fritid" <b>', managers=[world.users["manager"]])
    platform = Platform.objects.create(slug="ovrigt", name="Face<book> & 'co'")
    channel = ChannelFactory(unit=unit, platform=platform, name='Bibliotekets <i>kanal</i> & "vänner"')
    person = UserFactory(first_name="Ann <b>", last_name="O'Hara & co")
    nameless = UserFactory(first_name="", last_name="", username="x<y>")
    made = [
        MandateFactory(employee=person, granted_by=nameless, channel=channel, acknowledged_at=timezone.now()),
        MandateFactory(employee=nameless, granted_by=person, channel=channel),  # awaiting
        MandateFactory(
            employee=person,
            granted_by=nameless,
            channel=world.channel,
            valid_from=today + days(400),
            valid_until=today + days(500),
            acknowledged_at=timezone.now(),
        ),  # not started
        MandateFactory(
            employee=world.users["writer"],
            channel=channel,
            valid_from=today - days(100),
            valid_until=today - days(1),
            acknowledged_at=timezone.now(),
        ),  # expired
        MandateFactory(
            employee=world.users["employee"],
            channel=channel,
            revoked_at=timezone.now(),
            revoked_by=world.users["manager"],
            revocation_reason="Slutat",
        ),
    ]
    MandateFactory(employee=person, channel=channel, renewal_of=made[0], valid_from=made[0].valid_until + days(1))
    mandates = list(
        Mandate.objects.filter(pk__in=[m.pk for m in made]).for_lists().order_by("pk")
    )  # as the lists read them
    assert {m.state for m in mandates} == set(Mandate.State) and any(m.renewed for m in mandates)
    with translation.override(language):
        for show_employee in (True, False, ""):
            for show_unit in (True, False, ""):
                context = {"mandates": mandates, "show_employee": show_employee, "show_unit": show_unit}
                expected = Template(MANDATE_ROWS_TEMPLATE).render(Context(context))
                assert mandate_rows(mandates, show_employee, show_unit) == expected
        assert mandate_rows([], True, True) == ""
    assert "Ann &lt;b&gt; O&#x27;Hara &amp; co" in expected
