"""The registry services' refusals: one message per error code, and the checks several services share.

A refusal that belongs to one field of the form that asked is raised keyed by that field
(``field_error``), so that ``norsjo.forms.add_service_error`` shows it there; the error keeps
its ``code`` (and ``params``) on the outside as well, so a caller tells refusals apart
without knowing the field. Codes are part of the contract: tests assert them.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

ERRORS = {
    "not_allowed": _("You may not do this."),
    "not_manager": _("You can only propose channels for a unit you manage."),
    "duplicate": _("This channel is already in the register."),
    "not_proposed": _("Only a proposed channel can be approved or rejected."),
    "reason_required": _("Give a reason."),
    "not_active": _("Only an active channel can be published or paused."),
    "not_paused": _("Only a paused channel can be resumed."),
    "closed": _("The channel is closed and can no longer be changed."),
    "not_unit_manager": _("Only a manager of the channel's unit can grant mandates on it."),
    "channel_not_open": _("Mandates can only be granted on an active or paused channel."),
    "overlap": _("The employee already has a mandate with this role on this channel for part of this period."),
    "period_order": _("The end date cannot be before the start date."),
    "too_long": _("A mandate can be valid for at most %(days)s days."),
    "past_start": _("A mandate cannot start in the past."),
    "inactive_employee": _("The employee's account is not active."),
    "scope_required": _("Describe the reason and scope of the mandate."),
    "no_channels": _("Choose at least one channel."),
    "not_yours": _("Only the employee who holds the mandate can acknowledge it."),
    "not_awaiting": _("This mandate is not awaiting acknowledgement."),
    "confirmation_required": _("Confirm that you act as an employee and not as a private person."),
    "already_revoked": _("The mandate has already been revoked."),
    "already_ended": _("The mandate has already ended."),
    "already_renewed": _("The mandate has already been renewed."),
    "link_duplicate": _("This address is already among the politicians' links."),
    "withdrawn": _("The link has been withdrawn and can no longer be changed."),
    "files_required": _("Choose at least one screenshot file."),
    "not_documentable": _("Only an active or paused channel can be documented."),
    "not_reviewable": _("Only an active or paused channel can be reviewed."),
    "note_required": _("Write a note on what is not right and what will be done."),
    "future_date": _("The date cannot be in the future."),
    "self_grant": _("You cannot grant a mandate to yourself. Another manager of the unit or the web team grants it."),
    "administrator": _("Administrators do not hold mandates. Choose another employee."),
    "web_team_managers_only": _(
        "The web team grants mandates only to a manager of the channel's unit; the unit's staff get theirs from "
        "their manager."
    ),
    "change_not_pending": _("This proposed change has already been decided."),
}


def field_error(field: str, error: ValidationError | str) -> ValidationError:
    """Return *error* (or the message of the code *error*) keyed by *field*, keeping its code and params."""
    if isinstance(error, str):
        error = ValidationError(ERRORS[error], code=error)
    keyed = ValidationError({field: error})
    keyed.code = getattr(error, "code", None)
    keyed.params = getattr(error, "params", None)
    return keyed


def required_reason(reason: str | None, *, field: str = "reason") -> str:
    """Return *reason* stripped, or refuse an empty one: rejections, closings and revocations say why."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error(field, "reason_required")
    return reason


def refuse_future(day: date, *, field: str) -> None:
    """Refuse a date after today (the municipality's day): a decision, a screenshot or a review happened."""
    if day > timezone.localdate():
        raise field_error(field, "future_date")


def in_records_language(message) -> str:
    """Return *message* in the municipality's language: records are kept in it, whoever acted."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)
