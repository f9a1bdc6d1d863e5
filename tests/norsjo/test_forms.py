"""The one helper that shows a service's refusal on a form."""

from django import forms
from django.core.exceptions import ValidationError

from norsjo.forms import add_service_error


class _Form(forms.Form):
    url = forms.CharField()
    note = forms.CharField(required=False)


def _form():
    form = _Form({"url": "x"})
    form.is_valid()
    return form


def test_add_service_error_puts_a_keyed_error_on_its_field():
    """A field-keyed error lands on that field, with its code."""
    form = _form()
    add_service_error(form, ValidationError({"url": ValidationError("taken", code="duplicate")}))
    assert form.has_error("url", "duplicate")
    assert not form.non_field_errors()


def test_add_service_error_puts_an_unknown_key_on_the_form():
    """A key the form has no field for becomes a form-wide error instead of a crash."""
    form = _form()
    add_service_error(form, ValidationError({"channel": ValidationError("closed", code="closed")}))
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, "closed")


def test_add_service_error_maps_an_unkeyed_error_by_code():
    """An error without a key goes to the field its code is mapped to, else to the form."""
    form = _form()
    add_service_error(form, ValidationError("taken", code="duplicate"), fields={"duplicate": "url"})
    add_service_error(form, ValidationError("no", code="other"), fields={"duplicate": "url"})
    assert form.has_error("url", "duplicate")
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, "other")
