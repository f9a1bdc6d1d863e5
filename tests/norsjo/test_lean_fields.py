"""The lean crispy field template and the one-template <select> render what crispy-bootstrap5 and Django do.

templates/bootstrap5/field.html (the lean field, norsjo/templatetags/lean_fields.py) replaces
crispy-bootstrap5's for speed; templates/django/forms/widgets/select.html writes the options
inline. Both must give the same markup as the originals, for every kind of field, bound or
not, with errors or not (whitespace between and around tags aside).
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import crispy_bootstrap5
import django
import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.utils.safestring import mark_safe

from moderation.forms.log import AddendumForm, RecordFilterForm, RemovalForm
from norsjo.forms import ModelChoiceField
from norsjo.templatetags.lean_fields import widget_html
from registry.forms import ChannelFilterForm, ChannelForm, MultipleFileField, UnitFilterForm
from registry.models import Unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_FIELD = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5" / "field.html"
DJANGO_WIDGETS = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"


def normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    html = re.sub(r"\s*(<|>)\s*", r"\1", html)
    return re.sub(r"<(\w+) >", r"<\1>", html).strip()


def crispy_original(bound_field) -> str:
    template = engines["django"].from_string(PACKAGE_FIELD.read_text())
    context = {"field": bound_field, "form_show_errors": True, "form_show_labels": True}
    return template.render({**context, "label_class": "", "field_class": ""})


class EveryKind(forms.Form):
    required_css_class = "needed"
    error_css_class = "wrong"

    text = forms.CharField(label="Text", help_text="Some <em>help</em>", max_length=20)
    optional = forms.CharField(label="Optional", required=False)
    no_label = forms.CharField(label="", required=False)
    area = forms.CharField(label="Area", widget=forms.Textarea(attrs={"rows": 3}))
    number = forms.IntegerField(label="Number", min_value=1)
    email = forms.EmailField(label="Email", required=False)
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    choice = forms.ChoiceField(label="Choice", choices=[("", "All"), ("a", "A & a"), ("b", "B")], required=False)
    grouped = forms.ChoiceField(label="Grouped", choices=[("G1", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    several = forms.MultipleChoiceField(label="Several", choices=[("a", "A"), ("b", "B")], required=False)
    radio = forms.ChoiceField(label="Radio", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        label="Boxes", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    check = forms.BooleanField(label="Check")
    upload = forms.FileField(label="Upload", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)


INVALID = {"text": "x" * 30, "number": "0", "email": "not an address", "day": "no", "grouped": "q", "radio": "c"}
FORMS = [
    lambda: EveryKind(),
    lambda: EveryKind(data=INVALID),
    lambda: EveryKind(data={"choice": "a", "grouped": "y", "several": ["a", "b"], "check": "on", "text": "ok"}),
    lambda: RemovalForm(),
    lambda: RemovalForm(data={"text": "", "removed_at": "nonsense", "author_url": "not a url"}),
    lambda: AddendumForm(),
    lambda: RecordFilterForm(),
    lambda: ChannelFilterForm(),
    lambda: ChannelForm(units=Unit.objects.all()),
    lambda: ChannelForm(data={"url": "nonsense"}, units=Unit.objects.all()),
    lambda: UnitFilterForm(),
]


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS)
def test_each_field_renders_as_crispy_bootstrap5_does(make):
    form = make()
    form.is_valid() if form.is_bound else None
    for name in form.fields:
        ours = as_crispy_field(make_bound(make, name))
        theirs = crispy_original(make_bound(make, name))
        assert normalise(ours) == normalise(theirs), name


def make_bound(make, name):
    form = make()  # a fresh form each time: crispy adds its classes to the widget's attributes
    if form.is_bound:
        form.is_valid()
    return form[name]


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS)
def test_whole_forms_render_as_before(make):
    """``{{ form|crispy }}`` goes through the same field template (the copy is crispy-bootstrap5's own)."""
    theirs = get_template("bootstrap5/uni_form.html").render(
        {"form": make(), "field_template": "crispy/bootstrap5_field.html", "form_show_errors": True}
        | {"form_show_labels": True, "label_class": "", "field_class": ""}
    )
    assert normalise(as_crispy_form(make())) == normalise(theirs)


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS)
def test_selects_render_as_djangos_own_template(make):
    """The one-template <select> gives exactly what Django's select.html and select_option.html give."""
    django_own = DjangoTemplates()  # Django's own widget templates only
    form = make()
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.Select):
            context = widget.get_context(bound.html_name, bound.value(), {"id": bound.auto_id})
            assert widget._render(widget.template_name, context, renderer=None) == widget._render(
                widget.template_name, context, renderer=django_own
            ), bound.name


def test_the_fallback_is_crispy_bootstrap5s_own_template_verbatim():
    """Whatever the lean template does not render goes to a copy of crispy-bootstrap5's; an upgrade must renew it."""
    assert (ROOT / "templates" / "crispy" / "bootstrap5_field.html").read_text() == PACKAGE_FIELD.read_text()
    assert (DJANGO_WIDGETS / "select.html").exists()


class StoredFile:
    name = "kept <1>.txt"
    url = "/media/kept.txt?a=1&b=2"

    def __str__(self):
        return self.name


class Awkward(forms.Form):
    """Values that a template escapes, localises or keeps safe: the Python writers must do the same."""

    quoted = forms.CharField(label='Say "<b>&</b>"', initial='a "b" <c> & d', help_text=mark_safe("<em>x</em>"))
    kept = forms.CharField(label=mark_safe("<i>Kept</i>"), initial=mark_safe("<i>kept</i>"), required=False)
    area = forms.CharField(widget=forms.Textarea, initial="</textarea><script>x</script>")
    empty_area = forms.CharField(widget=forms.Textarea, initial="", required=False)
    number = forms.IntegerField(initial=12345, min_value=0)
    decimal = forms.DecimalField(initial=Decimal("1234.5"), required=False)
    when = forms.DateTimeField(
        initial=datetime(2026, 3, 4, 5, 6, tzinfo=UTC),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    day = forms.DateField(initial=date(2026, 1, 2), required=False)
    flags = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "spellcheck": False, "data-x": 'a"b<', "data-n": 3}),
    )
    email = forms.EmailField(initial="a&b@example.org", required=False)
    url = forms.URLField(initial="https://example.org/?a=1&b=2", required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p<w", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial='"h"', required=False)
    choice = forms.ChoiceField(
        choices=[("", "—"), (1, "One <1>"), (2, mark_safe("<b>Two</b>")), ("Group & co", [(3, 3000), (4, "four")])],
        initial=2,
    )
    several = forms.MultipleChoiceField(choices=[(1, "A"), (2, "B"), (3, "C")], initial=[1, 3], required=False)
    radio = forms.ChoiceField(choices=[(1000, 1234.5), (2, 'B "two"')], widget=forms.RadioSelect, initial=1000)
    grouped_radio = forms.ChoiceField(
        choices=[("G <1>", [("a", "A"), ("b", "B")]), ("c", "C")], widget=forms.RadioSelect, required=False
    )
    boxes = forms.MultipleChoiceField(
        choices=[(1, "A"), (2, "B")], widget=forms.CheckboxSelectMultiple, initial=[2], required=False
    )
    unit = ModelChoiceField(queryset=Unit.objects.order_by("name"), required=False)
    upload = forms.FileField(
        help_text="One <file>", widget=forms.ClearableFileInput(attrs={"class": "own", "data-y": 1})
    )
    uploads = MultipleFileField(required=False, accept="image/png,application/pdf")
    disabled_file = forms.FileField(required=False, disabled=True)
    kept_file = forms.FileField(required=False, initial=StoredFile())  # crispy-bootstrap5's own template


AWKWARD_INVALID = {"number": "-1", "when": "no", "choice": "9", "radio": "7", "grouped_radio": "q", "url": "x y"}
FORMS += [lambda: Awkward(), lambda: Awkward(data=AWKWARD_INVALID), lambda: Awkward(data={"boxes": ["1", "2"]})]


@pytest.fixture
def units(db):
    Unit.objects.create(name='Kultur & "fritid"', slug="kultur")
    Unit.objects.create(name="<Skola>", slug="skola")


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS)
def test_widgets_written_in_python_are_djangos_templates_byte_for_byte(make, units):
    for name in make().fields:
        assert widget_html(make_bound(make, name)) == str(make_bound(make, name)), name


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS[-3:])
def test_awkward_fields_render_as_crispy_bootstrap5_does(make, units):
    for name in make().fields:
        assert normalise(as_crispy_field(make_bound(make, name))) == normalise(
            crispy_original(make_bound(make, name))
        ), name


@pytest.mark.django_db
def test_common_fields_render_without_a_template_each(units):
    """The point of the lean field: no widget or field template per field (radio lists, selects, inputs)."""
    rendered = []

    def listen(sender, template, **kwargs):
        rendered.append(template.name)

    form = Awkward(data=AWKWARD_INVALID)
    template_rendered.connect(listen)
    try:
        for name in ("quoted", "area", "number", "when", "choice", "several", "radio", "hidden", "unit", "uploads"):
            as_crispy_field(form[name])
    finally:
        template_rendered.disconnect(listen)
    assert set(rendered) == {"bootstrap5/field.html"}


@pytest.mark.django_db
@pytest.mark.parametrize("make", FORMS)
def test_the_log_filters_field_include_writes_what_field_wrote(make, units):
    """templates/moderation/includes/field.html writes the widget with ``lean_widget``: what ``{{ field }}`` wrote."""
    include = get_template("moderation/includes/field.html")
    before = engines["django"].from_string(
        '<div class="mb-3"><label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}</label>'
        "{{ field }}{% for error in field.errors %}"
        '<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}</div>\n'
    )
    for name in make().fields:
        assert include.render({"field": make_bound(make, name)}) == before.render({"field": make_bound(make, name)})
