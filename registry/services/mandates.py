"""Mandates (uppdrag, 4:2 and 4:3): grant, acknowledge, revoke, renew, and the expiries' history.

A mandate's state follows from its dates, acknowledgement and revocation; these services are
its only writes, each recorded in the mandate's history (``registry.history.record``).
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import history, permissions
from ..models import Channel, HistoryEntry, Mandate
from .errors import ERRORS, field_error, in_records_language, required_reason
from .guidelines import guideline_version_current

# Refusals of ``permissions.mandate_grant_refusal`` that are not a ValidationError: the actor
# may not grant on this channel at all.
PERMISSION_CODES = frozenset({"not_unit_manager", "web_team_managers_only"})

# The field of the grant form (and the renewal form) each refusal belongs to.
ERROR_FIELDS = {
    "overlap": "channels",
    "channel_not_open": "channels",
    "no_channels": "channels",
    "period_order": "valid_until",
    "too_long": "valid_until",
    "past_start": "valid_from",
    "inactive_employee": "employee",
    "self_grant": "employee",
    "administrator": "employee",
    "web_team_managers_only": "channels",
    "scope_required": "scope",
    "confirmation_required": "confirm",
}


def _refuse(code: str, **params) -> ValidationError:
    """Return the refusal *code*, keyed by the form field it belongs to (``ERROR_FIELDS``)."""
    error = ValidationError(ERRORS[code], code=code, params=params or None)
    field = ERROR_FIELDS.get(code)
    return field_error(field, error) if field else error


def mandate_default_until(valid_from: date) -> date:
    """Return the default end date: MANDATE_DEFAULT_DAYS days of validity, counting the first."""
    return valid_from + timedelta(days=settings.MANDATE_DEFAULT_DAYS - 1)


def mandate_max_until(valid_from: date) -> date:
    return valid_from + timedelta(days=settings.MANDATE_MAX_DAYS - 1)


def _check_period(valid_from: date, valid_until: date, *, today: date) -> None:
    if valid_from < today:
        raise _refuse("past_start")
    if valid_until < valid_from:
        raise _refuse("period_order")
    if valid_until > mandate_max_until(valid_from):
        raise _refuse("too_long", days=settings.MANDATE_MAX_DAYS)


def _check_grant(actor, channel: Channel, employee) -> None:
    """Refuse a grant that ``permissions.mandate_grant_refusal`` refuses, with its code."""
    refusal = permissions.mandate_grant_refusal(actor, channel, employee)
    if refusal in PERMISSION_CODES:
        raise PermissionDenied(ERRORS[refusal])
    if refusal is not None:
        raise _refuse(refusal)


@transaction.atomic
def mandate_grant(
    *,
    actor,
    channel: Channel,
    employee,
    role: str = Mandate.Role.WRITER,
    scope: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    renewal_of: Mandate | None = None,
) -> Mandate:
    """Grant *employee* a mandate on *channel*; refuse foreign units, closed channels and overlaps."""
    # Locking the channel serialises grants on it, so two overlapping grants cannot both pass.
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    _check_grant(actor, channel, employee)
    if channel.status not in Channel.ACCEPTS_MANDATES:
        raise _refuse("channel_not_open")
    scope = (scope or "").strip()
    if not scope:
        raise _refuse("scope_required")
    today = timezone.localdate()
    valid_from = valid_from or today
    valid_until = valid_until or mandate_default_until(valid_from)
    _check_period(valid_from, valid_until, today=today)
    if Mandate.objects.for_channel(channel).of(employee, role).overlapping(valid_from, valid_until).exists():
        raise _refuse("overlap")
    mandate = Mandate(
        channel=channel,
        employee=employee,
        role=role,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
        renewal_of=renewal_of,
    )
    mandate.full_clean(validate_constraints=False)
    mandate.save()
    changes = {
        "role": ["", mandate.get_role_display()],
        "valid_from": ["", valid_from.isoformat()],
        "valid_until": ["", valid_until.isoformat()],
    }
    if renewal_of is not None:
        changes["renewal_of"] = ["", str(renewal_of.pk)]
    history.record(mandate, action="mandate.granted", actor=actor, changes=changes, reason=scope)
    return mandate


@transaction.atomic
def mandate_grant_many(
    *,
    actor,
    channels: Iterable[Channel],
    employee,
    role: str = Mandate.Role.WRITER,
    scope: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> list[Mandate]:
    """Grant one mandate per channel in one transaction: all are granted, or none."""
    channels = sorted(channels, key=lambda c: c.pk)  # a fixed lock order
    if not channels:
        raise _refuse("no_channels")
    return [
        mandate_grant(
            actor=actor,
            channel=channel,
            employee=employee,
            role=role,
            scope=scope,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        for channel in channels
    ]


def _locked_mandate(mandate: Mandate) -> Mandate:
    return Mandate.objects.select_for_update().select_related("channel__unit").get(pk=mandate.pk)


@transaction.atomic
def mandate_acknowledge(*, mandate: Mandate, actor, confirmed: bool) -> Mandate:
    """Record that the employee read the guidelines and acts as an employee, not as a private person (4:2)."""
    mandate = _locked_mandate(mandate)
    if not permissions.can_acknowledge_mandate(actor, mandate):
        raise PermissionDenied(ERRORS["not_yours"])
    if mandate.state_on(timezone.localdate()) != Mandate.State.AWAITING_ACKNOWLEDGEMENT:
        raise _refuse("not_awaiting")
    if not confirmed:
        raise _refuse("confirmation_required")
    version = guideline_version_current()
    mandate.acknowledged_at = timezone.now()
    mandate.acknowledged_version = version
    mandate.save(update_fields=["acknowledged_at", "acknowledged_version"])
    history.record(mandate, action="mandate.acknowledged", actor=actor, changes={"guidelines": ["", version.short]})
    return mandate


def _revoke(mandate: Mandate, *, actor, reason: str) -> Mandate:
    mandate.revoked_at = timezone.now()
    mandate.revoked_by = actor
    mandate.revocation_reason = reason
    mandate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    history.record(mandate, action="mandate.revoked", actor=actor, reason=reason)
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: Mandate, actor, reason: str) -> Mandate:
    """Revoke a mandate with a reason: the granting manager, another manager of the unit, or the web team."""
    mandate = _locked_mandate(mandate)
    if not permissions.can_revoke_mandate(actor, mandate):
        raise PermissionDenied(ERRORS["not_allowed"])
    if mandate.revoked_at is not None:
        raise _refuse("already_revoked")
    if mandate.valid_until < timezone.localdate():
        raise _refuse("already_ended")
    reason = required_reason(reason)
    return _revoke(mandate, actor=actor, reason=reason)


def mandates_end_with_channel(*, channel: Channel, actor, reason: str) -> None:
    """Revoke *channel*'s current mandates because it was closed (called by ``channel_close``)."""
    ending = in_records_language(_("The channel was closed: %(reason)s")) % {"reason": reason}
    for mandate in Mandate.objects.select_for_update().current().filter(channel=channel).order_by("pk"):
        _revoke(mandate, actor=actor, reason=ending)


@transaction.atomic
def mandate_renew(*, mandate: Mandate, actor, valid_until: date | None = None, scope: str = "") -> Mandate:
    """Grant the same mandate again from the day after it ends (or today, if it has ended).

    The renewal is a new mandate, linked through ``renewal_of``; the employee acknowledges
    it like any other, so the current guidelines are accepted again.
    """
    mandate = _locked_mandate(mandate)
    _check_grant(actor, mandate.channel, mandate.employee)  # renewing is granting again
    if mandate.revoked_at is not None:
        raise _refuse("already_revoked")
    if Mandate.objects.filter(renewal_of=mandate).exists():
        raise _refuse("already_renewed")
    renewal = mandate_grant(
        actor=actor,
        channel=mandate.channel,
        employee=mandate.employee,
        role=mandate.role,
        scope=scope or mandate.scope,
        valid_from=mandate_renewal_start(mandate),
        valid_until=valid_until,
        renewal_of=mandate,
    )
    history.record(
        mandate,
        action="mandate.renewed",
        actor=actor,
        changes={"renewal": ["", f"{renewal.valid_from.isoformat()} – {renewal.valid_until.isoformat()}"]},
    )
    return renewal


def mandate_renewal_start(mandate: Mandate) -> date:
    """Return the first day of *mandate*'s renewal: the day after it ends, or today if it has ended."""
    return max(mandate.valid_until + timedelta(days=1), timezone.localdate())


def mandates_record_expiries(*, today: date | None = None) -> int:
    """Record an "expired" history entry, once, for every mandate that has run out; return how many.

    Expiry itself is computed from the dates; this only keeps it in the history (who: the system).
    """
    today = today or timezone.localdate()
    mandate_type = ContentType.objects.get_for_model(Mandate)
    recorded = HistoryEntry.objects.filter(
        content_type=mandate_type, object_id=OuterRef("pk"), action="mandate.expired"
    )
    count = 0
    for mandate in Mandate.objects.expired(on=today).filter(~Exists(recorded)).order_by("pk").iterator():
        with transaction.atomic():
            locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
            if HistoryEntry.objects.of(locked).filter(action="mandate.expired").exists():
                continue  # another run recorded it meanwhile
            history.record(
                locked,
                action="mandate.expired",
                actor=None,
                changes={"valid_until": ["", locked.valid_until.isoformat()]},
            )
            count += 1
    return count
