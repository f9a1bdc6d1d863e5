"""What every app's forms share: how a service's refusal is shown on the form that asked for it."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from .widgets import Select, SelectMultiple


def add_service_error(form: forms.BaseForm, error: ValidationError, *, fields: Mapping[str, str] | None = None) -> None:
    """Show a service's ValidationError on *form*: on the field it names, else on the form as a whole.

    Services raise field-keyed errors (``ValidationError({"url": ValidationError(..., code=...)})``);
    a key that is not one of the form's fields goes to the form's own errors. *fields* maps an
    error code to a field for a service that still raises an error without a key.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    field = (fields or {}).get(error.code)
    form.add_error(field if field in form.fields else None, error)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's choices from one plain query, not ``queryset.iterator()``.

    Django reads a ``ModelChoiceField``'s choices through ``iterator()``, which on PostgreSQL is
    a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a dozen rows (and
    none of it works behind a transaction-pooling pgbouncer). A form's choices are few: one
    SELECT, kept on the form's own copy of the queryset, does.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """``forms.ModelChoiceField`` whose choices come from one plain query (``ListedChoiceIterator``),
    written without a template per option (``norsjo.widgets.Select``)."""

    iterator = ListedChoiceIterator
    widget = Select


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """``forms.ModelMultipleChoiceField`` whose choices come from one plain query (``ListedChoiceIterator``),
    written without a template per option (``norsjo.widgets.SelectMultiple``)."""

    iterator = ListedChoiceIterator
    widget = SelectMultiple
