"""The change history: the one function that writes it, and how an entry reads to a person.

``record`` is the only way an entry is written (every service of the registry and the
archive, the daily run's expiries, the demo data), in the caller's transaction; entries are
never changed or deleted (``HistoryEntry`` is append-only, like the records).

``HistoryEntry.changes`` keeps what the service recorded, unchanged: a JSON object, mostly
``{"field": [old, new]}``, some values already written out in the actor's language (a
role's label, "yes"). ``describe_changes`` is the one place that turns it into lines a
person reads: the model field's verbose name, a choice's label, a related object's name,
a formatted date, Yes/No, a guidelines version instead of its hash.

A key is read as the field of that name on the subject's model, unless ``CHANGE_FIELDS``
describes it for the entry's action (a key that is not a field of the subject, or whose
value is not an ``[old, new]`` pair). Another app adds its actions' labels and describes its
own keys with ``register_actions``, called from its ``AppConfig.ready()``.

This module imports no models (``registry.models`` imports it for the display); it finds
them through the app registry when an entry is written or displayed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EMPTY = "–"


def record(subject, *, action: str, actor, changes: dict | None = None, reason: str = ""):
    """Record that *actor* (None: the system) did *action* to *subject*, a saved model instance.

    *changes* is ``{key: [old, new]}`` for changed fields, or ``{key: value}`` for a recorded
    value (see ``describe_changes``); *reason* says why, when the action asks for one.
    """
    entry_model = apps.get_model("registry", "HistoryEntry")  # registry.models imports this module
    return entry_model.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        actor=actor,
        changes=changes or {},
        reason=reason,
    )


@dataclass(frozen=True)
class ChangeLine:
    """One line of an entry's changes: *old* is empty when the entry records a value, not a change."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeField:
    """How one recorded key reads.

    ``field`` ("app_label.Model.field") lends its verbose name and its way of showing
    values; ``label`` and ``format`` (value -> text) override them. ``single`` says the
    recorded value is one value, never an ``[old, new]`` pair (e.g. a list of records).
    """

    field: str = ""
    label: str | Promise = ""
    format: Callable[[object], str] | None = None
    single: bool = False


def count(value) -> str:
    """Show a list by how many items it holds, a number as itself."""
    if isinstance(value, list | tuple | set):
        return str(len(value))
    return "" if value in (None, "") else str(value)


def date_text(value) -> str:
    """Show an ISO date ("2025-03-01") in the reader's language; anything else as it is."""
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, str) and value:
        try:
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return "" if value is None else str(value)


def period_text(value) -> str:
    """Show a period recorded as ``[first, last]`` or ``"first – last"``."""
    if isinstance(value, str) and " – " in value:
        value = value.split(" – ", 1)
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{date_text(value[0]) or EMPTY} – {date_text(value[1]) or EMPTY}"
    return date_text(value)


def guidelines_version_text(value) -> str:
    """Show a guidelines version, recorded by the start of its SHA-256, as its number and date."""
    if not value:
        return ""
    version_model = apps.get_model("registry", "GuidelineVersion")
    version = version_model.objects.filter(sha256__startswith=str(value)).first()
    return version.label if version is not None else str(value)


def mandate_period_text(value) -> str:
    """Show a mandate, recorded by its id, as its period of validity."""
    if value in (None, ""):
        return ""
    mandate_model = apps.get_model("registry", "Mandate")
    mandate = mandate_model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if mandate is None:
        return str(value)
    return gettext("the mandate valid %(period)s") % {
        "period": period_text([mandate.valid_from.isoformat(), mandate.valid_until.isoformat()])
    }


# Labels for the actions kept in history. Another app adds its own with ``register_actions``
# from its ``AppConfig.ready()`` (as moderation does), never by changing this table at import.
ACTION_LABELS = {
    "channel.proposed": _("Proposed"),
    "channel.registered": _("Registered"),
    "channel.updated": _("Changed"),
    "channel.approved": _("Approved"),
    "channel.rejected": _("Rejected"),
    "channel.published": _("Published on the public list"),
    "channel.unpublished": _("Taken off the public list"),
    "channel.paused": _("Paused"),
    "channel.resumed": _("Resumed"),
    "channel.closed": _("Closed"),
    "channel.change_proposed": _("Change of address proposed"),
    "channel.change_approved": _("Change of address approved"),
    "channel.change_rejected": _("Change of address rejected"),
    "channel.change_withdrawn": _("Proposed change of address withdrawn"),
    "mandate.granted": _("Mandate granted"),
    "mandate.acknowledged": _("Mandate acknowledged"),
    "mandate.renewed": _("Mandate renewed"),
    "mandate.revoked": _("Mandate revoked"),
    "mandate.expired": _("Mandate expired"),
    "channel.documented": _("Screenshots saved"),
    "channel.reviewed": _("Yearly review"),
    "politician_link.registered": _("Registered"),
    "politician_link.updated": _("Changed"),
    "politician_link.published": _("Published on the public list"),
    "politician_link.unpublished": _("Taken off the public list"),
    "politician_link.withdrawn": _("Withdrawn"),
}


# Keyed by (action, key); what the registry's services record under names that are not
# fields of the subject (or not as an [old, new] pair).
CHANGE_FIELDS: dict[tuple[str, str], ChangeField] = {
    ("channel.documented", "files"): ChangeField(label=_("screenshots"), format=count),
    ("channel.documented", "reason"): ChangeField(field="registry.Documentation.reason"),
    ("channel.reviewed", "still_needed"): ChangeField(field="registry.ChannelReview.still_needed"),
    ("channel.reviewed", "purpose_ok"): ChangeField(field="registry.ChannelReview.purpose_ok"),
    ("channel.reviewed", "writers_ok"): ChangeField(field="registry.ChannelReview.writers_ok"),
    ("mandate.granted", "renewal_of"): ChangeField(field="registry.Mandate.renewal_of", format=mandate_period_text),
    ("mandate.acknowledged", "guidelines"): ChangeField(
        field="registry.Mandate.acknowledged_version", format=guidelines_version_text
    ),
    ("mandate.renewed", "renewal"): ChangeField(label=_("renewal"), format=period_text),
}


def _model_field(path: str):
    app_label, model_name, field_name = path.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def _subject_field(entry, key: str):
    model = entry.content_type.model_class()
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    text = str(value).strip().casefold()
    yes, no = {"true", "1"}, {"false", "0"}
    # Older entries hold "yes"/"no" written out in the actor's language.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yes.add(gettext("yes").casefold())
            no.add(gettext("no").casefold())
    if text in yes:
        return gettext("Yes")
    if text in no:
        return gettext("No")
    return str(value)


def _choice_label(field, value) -> str:
    choices = dict(field.flatchoices)
    if value in choices:
        return str(choices[value])
    # Some entries hold the label written out in the actor's language: find its code.
    text = str(value).casefold()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found = next((choice for choice, label in choices.items() if str(label).casefold() == text), None)
        if found is not None:
            return str(choices[found])
    return str(value)


def _related_name(field, value) -> str:
    # A number is the related object's id; a text is its name, written out when recorded.
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    obj = field.related_model._default_manager.filter(pk=value).first()
    if obj is None:
        return f"#{value}"
    if isinstance(obj, apps.get_model(settings.AUTH_USER_MODEL)):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def value_text(field, value) -> str:
    """Show one recorded value of *field* (a model field, or None) to the reader."""
    if value is None or value == "":
        return ""
    if field is None:
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, list | tuple | set):
            return ", ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return str(value)
    if field.many_to_many or field.one_to_many or isinstance(value, list):
        return count(value)
    if getattr(field, "flatchoices", None):
        return _choice_label(field, value)
    if isinstance(field, models.BooleanField):
        return _yes_no(value)
    if isinstance(field, models.DateTimeField):
        return str(value)
    if isinstance(field, models.DateField):
        return date_text(value)
    if field.is_relation and field.related_model is not None:
        return _related_name(field, value)
    return str(value)


def describe_changes(entry) -> list[ChangeLine]:
    """Return *entry*'s recorded changes as lines for the reader, in the active language."""
    changes = entry.changes
    if not isinstance(changes, dict):
        return []
    lines = []
    for key, recorded in changes.items():
        spec = CHANGE_FIELDS.get((entry.action, key), ChangeField())
        field = _model_field(spec.field) if spec.field else _subject_field(entry, key)
        if spec.label:
            label = capfirst(str(spec.label))
        elif field is not None:
            label = capfirst(str(getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural))
        else:
            label = capfirst(key.replace("_", " "))
        show = spec.format or (lambda value, field=field: value_text(field, value))
        if not spec.single and isinstance(recorded, list) and len(recorded) == 2:
            old, new = recorded
            lines.append(ChangeLine(label=label, old=show(old) if old not in (None, "") else "", new=show(new)))
        else:
            lines.append(ChangeLine(label=label, old="", new=show(recorded)))
    return lines


def register_actions(labels: dict, *, change_fields: dict | None = None) -> None:
    """Add another app's history actions and how their recorded keys read; call from ``AppConfig.ready()``."""
    ACTION_LABELS.update(labels)
    CHANGE_FIELDS.update(change_fields or {})
