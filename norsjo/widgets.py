"""Select widgets whose HTML is written in Python, byte for byte what their templates write.

A filter's list of channels or people has hundreds of options at a municipality's scale (the
moderation log's filter lists every channel: 500 in bench/load.py's register). Django builds a
dictionary per option (``ChoiceWidget.optgroups``/``create_option``) and the template then loops
over them: 45 ms for the log's filter form at 500 channels, most of the page. These widgets
write the same markup as ``templates/django/forms/widgets/select.html`` directly
(``tests/norsjo/test_widgets.py`` compares the two for every kind of choice list), and fall
back to the template for anything they don't know (another template, option template or
option attributes).
"""

import html

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_SELECTED = {True: mark_safe(" selected"), False: ""}


def _escape(value) -> str:
    """What ``{{ value }}`` writes: a plain str escaped (the common case, cheaply), anything else as Django does."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def _attrs(attrs) -> str:
    """What templates/django/forms/widgets/attrs.html writes: `` name="value"``, a bare `` name`` for True."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class _PythonRendered:
    """Mixin for ``forms.Select`` and ``forms.SelectMultiple``: ``render`` without templates."""

    def _renders_in_python(self) -> bool:
        return (
            self.template_name == _SELECT_TEMPLATE
            and self.option_template_name == _OPTION_TEMPLATE
            and not self.option_inherits_attrs
            and type(self).create_option is forms.Select.create_option
            and type(self).optgroups is forms.Select.optgroups
        )

    def render(self, name, value, attrs=None, renderer=None):
        if not self._renders_in_python():
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        values = self.format_value(value)  # as ChoiceWidget.get_context: a list of strings
        parts = [format_html('<select name="{}"', name), _attrs(final_attrs), ">"]
        has_selected = False
        # As ChoiceWidget.optgroups: the first matching option is selected (every one when multiple).
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, [(option_value, option_label)]
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for subvalue, sublabel in choices:
                text = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                parts.append(f'\n  <option value="{_escape(text)}"{_SELECTED[selected]}>{_escape(sublabel)}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part is escaped above


class Select(_PythonRendered, forms.Select):
    pass


class SelectMultiple(_PythonRendered, forms.SelectMultiple):
    pass
