"""One way to change a record's fields and know what changed (HackSoft's ``model_update``).

A service checks the actor and its rules, then hands the new values here; it gets back the
changes as the history keeps them (``{field: [old, new]}``) and records them through
``registry.history.record`` in the same transaction.
"""

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def value_text(value) -> str:
    """Return a field's value as the history keeps it: text, empty for None."""
    return "" if value is None else str(value)


def diff(instance: models.Model, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return ``{field: [old, new]}`` for the values of *data* that differ from *instance*'s."""
    return {
        field: [value_text(getattr(instance, field)), value_text(value)]
        for field, value in data.items()
        if getattr(instance, field) != value
    }


def model_update(*, instance: M, fields: Collection[str], data: Mapping[str, Any]) -> tuple[M, dict[str, list[str]]]:
    """Set *data*'s values of *fields* on *instance*, validate and save it; return it and what changed.

    Nothing is saved when nothing changed. Values for other fields are refused (TypeError):
    a service names what it lets a person change. Text is stripped. The row is saved in a
    savepoint, so a unique constraint's IntegrityError leaves the caller's transaction usable.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} of {type(instance).__name__} here.")
    values = {field: value.strip() if isinstance(value, str) else value for field, value in data.items()}
    changes = diff(instance, values)
    if not changes:
        return instance, changes
    for field in changes:
        setattr(instance, field, values[field])
    instance.full_clean(validate_constraints=False)
    with transaction.atomic():
        instance.save()
    return instance, changes
