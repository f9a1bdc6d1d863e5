"""The lean crispy-forms field template's one decision (templates/bootstrap5/field.html).

crispy-bootstrap5's ``field.html`` weighs every case (checkboxes, radios, files, horizontal
forms, inline help...) with a dozen filters and four nested includes for each field: about a
third of a millisecond a field, half of a form page's time (docs/performance.md, "Pages
(issue 15)"). Most fields are a label, an input or a select, the errors and the help text;
``lean_field_kind`` tells those apart in one call, and the lean template renders them with
the same markup. Everything else goes to crispy-bootstrap5's own template, kept verbatim in
templates/crispy/bootstrap5_field.html (tests/norsjo/test_lean_fields.py checks both).
"""

from django import forms, template

register = template.Library()

# Context that only crispy-bootstrap5's template handles (helpers' layouts, horizontal forms).
_LAYOUT_KEYS = ("tag", "label_class", "field_class", "wrapper_class", "help_text_inline", "error_text_inline")
_NOT_LEAN = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)


@register.simple_tag(takes_context=True)
def lean_field_kind(context) -> str:
    """Return "select", "input" or "choices" for a field the lean template renders, "" for crispy's own."""
    field = context.get("field")
    if field is None or not context.get("form_show_labels"):
        return ""
    if any(context.get(key) for key in _LAYOUT_KEYS) or "form-horizontal" in (context.get("form_class") or ""):
        return ""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect) and not context.get("inline_class") and not context.get("flat_attrs"):
        return "choices"  # radio buttons, and CheckboxSelectMultiple (a RadioSelect)
    if field.use_fieldset or isinstance(widget, _NOT_LEAN):
        return ""
    return "select" if isinstance(widget, forms.Select) else "input"
