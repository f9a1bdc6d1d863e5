"""norsjo.widgets: the Python-rendered selects write exactly what Django's select template writes."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from norsjo import widgets
from registry.models import Channel

from ..factories import ChannelFactory

pytestmark = pytest.mark.django_db

CHOICES = [
    ("", "Alla"),
    ("1", "Kultur & fritid"),
    ("2", 'Skola "Norsjö"'),
    ("3", "<script>alert(1)</script>"),
    (4, "Fyra"),
    (None, "Inget värde"),
]
GROUPED = [
    ("", "Alla"),
    ("Förvaltningar", [("a", "Socialtjänsten"), ("b", "Kultur <och> fritid")]),
    ("", [("c", "Utan grupp")]),
    ("d", "Ensam"),
]
ATTRS = [None, {"class": "form-select", "id": "id_x"}, {"required": True, "disabled": False, "data-x": 'a"b'}]


def _template_rendering(widget, name, value, attrs):
    """What Django's own path writes: the widget's template through the project's form renderer."""
    context = widget.get_context(name, value, attrs)
    return widget._render(widget.template_name, context, get_default_renderer())


@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []], ids=["flat", "grouped", "empty"])
@pytest.mark.parametrize("value", [None, "", "1", 4, "3", "c", ["1", "3"], ["a", "d", "zz"]])
@pytest.mark.parametrize("attrs", ATTRS, ids=["none", "class", "booleans"])
@pytest.mark.parametrize(
    ("fast", "django"), [(widgets.Select, forms.Select), (widgets.SelectMultiple, forms.SelectMultiple)]
)
def test_the_python_rendering_is_the_template_rendering(choices, value, attrs, fast, django):
    widget = fast(choices=choices, attrs={"title": "Välj <en>"})
    assert widget._renders_in_python()
    rendered = widget.render("field", value, attrs)
    assert rendered == _template_rendering(django(choices=choices, attrs={"title": "Välj <en>"}), "field", value, attrs)
    assert "<script>" not in rendered


def test_a_model_choice_field_of_hundreds_of_channels_renders_the_same():
    from norsjo.forms import ModelChoiceField

    for n in range(120):
        ChannelFactory(name=f"Kanal {n:03d} & co")
    field = ModelChoiceField(queryset=Channel.objects.order_by("name"), required=False, empty_label="Alla")
    assert isinstance(field.widget, widgets.Select)
    chosen = Channel.objects.order_by("name")[57]
    ours = field.widget.render("channel", chosen.pk, {"class": "form-select", "id": "id_channel"})
    django = forms.ModelChoiceField(queryset=Channel.objects.order_by("name"), required=False, empty_label="Alla")
    assert ours == _template_rendering(
        django.widget, "channel", chosen.pk, {"class": "form-select", "id": "id_channel"}
    )
    assert ours.count("<option") == 121 and ours.count(" selected") == 1


def test_a_widget_with_its_own_template_keeps_it():
    class Custom(widgets.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Custom(choices=CHOICES)
    assert not widget._renders_in_python()
    assert widget.render("f", "1") == _template_rendering(widget, "f", "1", None)
