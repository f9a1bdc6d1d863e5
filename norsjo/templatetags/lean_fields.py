"""The lean crispy-forms field (templates/bootstrap5/field.html): the common fields, written in Python.

crispy-bootstrap5's ``field.html`` weighs every case (checkboxes, radios, files, horizontal
forms, inline help...) with a dozen filters and four nested includes for each field, and
Django then renders each widget through two or three more templates (``text.html`` includes
``input.html``, which includes ``attrs.html``): about a quarter of a millisecond a field, half
of a form page's time (docs/performance.md, "Pages (issue 15)"). Most fields are a label, an
input, a textarea, a select or a list of radio buttons, the errors and the help text:
``lean_field`` writes those directly, with exactly the markup crispy-bootstrap5's template and
Django's widget templates give (``{{ value }}`` is ``render_value_in_context``, as in a
template). Everything else goes to crispy-bootstrap5's own template, kept verbatim in
templates/crispy/bootstrap5_field.html (tests/norsjo/test_lean_fields.py checks both, and
compares every widget written here with Django's templates).
"""

import html

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms, template
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import stringformat
from django.templatetags.l10n import unlocalize
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# Context that only crispy-bootstrap5's template handles (helpers' layouts, horizontal forms).
_LAYOUT_KEYS = ("tag", "label_class", "field_class", "wrapper_class", "help_text_inline", "error_text_inline")
_NOT_LEAN = (forms.CheckboxInput, forms.RadioSelect, forms.MultiWidget)
ASTERISK = '<span class="asteriskField">*</span>'

# How ``{{ value }}`` writes a value in a template rendered without a request (a widget's):
# autoescaped, localised. Only read (its use_tz, use_l10n and autoescape), never changed.
_PLAIN = Context()


def _show(value) -> str:
    """``{{ value }}`` (a plain str, the most common, is only escaped: that is all the template does to it)."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _PLAIN)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` (a filter marked is_safe keeps a safe value safe)."""
    if type(value) is str:
        return html.escape(value)
    text = stringformat(value, "s")
    return _show(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_show(name)}" if value is True else f' {_show(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    """django/forms/widgets/input.html (and text.html, url.html... which include it)."""
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] != None else ""  # noqa: E711 as the template
    return f'<input type="{_show(widget["type"])}" name="{_show(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget) -> str:
    """django/forms/widgets/textarea.html."""
    value = _show(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget) -> str | None:
    """templates/django/forms/widgets/select.html (Django's, with the options inline); None for other options."""
    parts = [f'<select name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_show(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_show(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = ("text", "url", "email", "number", "date", "datetime", "time", "hidden", "password", "search", "tel")
_WRITERS = {f"django/forms/widgets/{name}.html": _input for name in _INPUTS} | {
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


@register.simple_tag(name="lean_widget")
def widget_html(field) -> str:
    """``str(field)``: the widget as its template writes it, without the templates for the common widgets.

    What ``BoundField.as_widget`` does, for a widget that renders as Django's do (no ``render``
    of its own), with the project's renderer; anything else renders as Django does.
    """
    widget = field.field.widget
    write = _WRITERS.get(widget.template_name)
    if (
        write is None
        or field.field.show_hidden_initial
        or field.field.localize
        or type(widget).render is not forms.Widget.render
        or type(widget)._render is not forms.Widget._render
        or type(field.form.renderer) is not TemplatesSetting
    ):
        return str(field)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    written = write(widget.get_context(field.html_name, field.value(), attrs)["widget"])
    return str(field) if written is None else mark_safe(written)


def _add_classes(widget, classes: str) -> None:
    """``{% crispy_field field 'class' classes %}``: the widget's class name and *classes* on the widget."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    widget.attrs["class"] = css_class
    for name in classes.split():
        if name not in widget.attrs["class"].split():
            widget.attrs["class"] += " " + name


def lean_field_kind(context) -> str:
    """Return "select", "input", "file" or "choices" for a field written here, "" for crispy-bootstrap5's template."""
    field = context.get("field")
    if field is None or not context.get("form_show_labels"):
        return ""
    if any(context.get(key) for key in _LAYOUT_KEYS) or "form-horizontal" in (context.get("form_class") or ""):
        return ""
    widget = field.field.widget
    if hasattr(widget, "widgets") or hasattr(widget, "widget"):
        return ""  # a widget that wraps others: crispy_field classes each of them
    if isinstance(widget, forms.RadioSelect) and not context.get("inline_class") and not context.get("flat_attrs"):
        return "choices"  # radio buttons, and CheckboxSelectMultiple (a RadioSelect)
    if field.use_fieldset or isinstance(widget, _NOT_LEAN):
        return ""
    if isinstance(widget, forms.FileInput):
        return "file"
    return "select" if isinstance(widget, forms.Select) else "input"


def _opening(field) -> str:
    css = field.css_classes()
    return f'\n<div id="div_{_show(field.auto_id)}" class="mb-3{" " + _show(css) if css else ""}">\n'


def _label(field, tag: str = "label", extra: str = "", *, lines: bool = False) -> str:
    """The label (or legend); on *lines* as crispy-bootstrap5's own template breaks it, for the same lines."""
    required = " requiredField" if field.field.required else ""
    asterisk = ASTERISK if field.field.required else ""
    target = f'for="{_show(field.id_for_label)}" ' if field.id_for_label else ""
    if lines:
        return f'<{tag}\n{target}class="form-label{required}{extra}">\n{_show(field.label)}{asterisk}\n</{tag}>\n'
    return f'<{tag} {target}class="form-label{required}{extra}">{_show(field.label)}{asterisk}</{tag}>\n'


def _errors(field) -> str:
    items = "".join(
        f'<p id="error_{number}_{_show(field.auto_id)}"><strong>{_show(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{_show(field.errors.field_id)}_error" class="invalid-feedback">{items}</div>'


def _help(field) -> str:
    if not field.help_text:
        return ""
    target = f'id="{_show(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {target}class="form-text">{field.help_text}</div>\n'  # help_text|safe


def _input_field(field, kind: str, show_errors) -> str:
    """The "input" and "select" cases of crispy-bootstrap5's field.html."""
    errors = field.errors
    base = "form-select" if kind == "select" else "form-control"
    _add_classes(field.field.widget, f"{base} is-invalid" if errors else base)
    parts = [_opening(field), _label(field) if field.label else "", widget_html(field), "\n"]
    if show_errors and errors:
        parts.append(_errors(field) + "\n")
    parts += [_help(field), "</div>\n"]
    return "".join(parts)


def _choices_field(field, show_errors) -> str:
    """crispy-bootstrap5's radio_checkbox_select.html inside its field.html, for radios and checkbox lists."""
    errors = field.errors
    fieldset = field.use_fieldset and field.label
    parts = [_opening(field)]
    if field.label:
        if field.use_fieldset:
            described = field.aria_describedby
            parts.append(f'<fieldset aria-describedby="{_show(described)}">' if described else "<fieldset>")
            parts.append(_label(field, "legend", " fs-6"))
        else:
            parts.append(_label(field))
    parts.append("<div>")
    invalid = " is-invalid" if errors else ""
    name = _show(field.html_name)
    groups = optgroups(field)
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{_show(group)}</strong>")
        for number, option in enumerate(options, start=1):
            parts.append(
                f'\n<div class="form-check"><input type="{_show(option["type"])}" class="form-check-input{invalid}"'
                f' name="{name}" value="{_show(unlocalize(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{_show(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{_show(unlocalize(option['label']))}</label>"
            )
            if errors and number == len(options) and group_number == len(groups) and show_errors:
                parts.append(_errors(field))
            parts.append("</div>")
    parts += ["\n</div>\n", _help(field), "</fieldset>" if fieldset else "", "</div>\n"]
    return "".join(parts)


def _file_field(field, show_errors) -> str:
    """crispy-bootstrap5's field.html with its field_file.html, for a file input without a current file."""
    subwidgets = field.subwidgets
    if any(subwidget.data.get("is_initial") for subwidget in subwidgets):
        return ""  # a current file to show and perhaps clear: crispy-bootstrap5's template
    errors = field.errors
    wrapper = '<div class="is-invalid">' if errors else "<div>"
    invalid = " is-invalid" if errors else ""
    disabled = " disabled" if field.field.disabled else ""
    parts = [_opening(field), _label(field, lines=True) if field.label else ""]
    for subwidget in subwidgets:
        data = subwidget.data
        own = data["attrs"].get("class")
        classes = f"form-control{' ' + _show(own) if own else ''}{invalid}"
        attrs = _attrs({name: value for name, value in data["attrs"].items() if name != "class"})
        parts.append(
            f'{wrapper}\n<input type="{_show(data["type"])}" name="{_show(data["name"])}" class="{classes}"'
            f"{disabled}{attrs}>\n"
        )
        if show_errors and errors:
            parts.append(_errors(field) + "\n")
        parts += [_help(field), "</div>\n"]
    parts.append("</div>\n")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def lean_field(context) -> str:
    """The field crispy renders (``context["field"]``), or "" where crispy-bootstrap5's own template must."""
    field = context.get("field")
    if field is not None and field.is_hidden:
        return widget_html(field)
    kind = lean_field_kind(context)
    if not kind:
        return ""
    show_errors = context.get("form_show_errors")
    if kind == "choices":
        return mark_safe(_choices_field(field, show_errors))
    if kind == "file":
        return mark_safe(_file_field(field, show_errors))
    return mark_safe(_input_field(field, kind, show_errors))
