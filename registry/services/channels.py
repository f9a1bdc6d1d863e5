"""Every write to the registry. Each service checks the actor, runs in a transaction
and records history in the same transaction."""

import os
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import guidelines, permissions
from .models import (
    Channel,
    ChannelChange,
    ChannelReview,
    Documentation,
    DocumentationFile,
    GuidelineVersion,
    HistoryEntry,
    Mandate,
    Platform,
    PoliticianLink,
    Unit,
)
from .platforms import Recognition, check_platform, recognise
from .uploads import check_upload, sha256_of

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

# Service errors that are not a ValidationError: the actor may not do this at all.
_PERMISSION_CODES = frozenset({"not_unit_manager", "web_team_managers_only"})

# Fields whose changes are kept in a channel's history.
TRACKED_FIELDS = ("platform", "name", "url", "handle", "unit", "purpose", "audience", "contact_email")


def history_record(subject, *, action: str, actor, changes: dict | None = None, reason: str = "") -> HistoryEntry:
    """Record that *actor* did *action* to *subject* (a model instance)."""
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        actor=actor,
        changes=changes or {},
        reason=reason,
    )


def _required_reason(reason: str | None) -> str:
    """Return *reason* stripped, or refuse an empty one: rejections, closings and revocations say why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERRORS["reason_required"], code="reason_required")
    return reason


def _duplicate_of(url: str, *, exclude_pk=None) -> Channel | None:
    """Return the channel that holds or claims *url*: its address, or a pending proposed change of it.

    No two claims on one address: a channel that is not rejected, or a change waiting for approval.
    """
    qs = Channel.objects.filter(url=url).exclude(status=Channel.Status.REJECTED)
    pending = ChannelChange.objects.pending().filter(url=url)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
        pending = pending.exclude(channel_id=exclude_pk)
    existing = qs.first()
    if existing is None:
        change = pending.select_related("channel").first()
        existing = change.channel if change else None
    return existing


def duplicate_error(existing: Channel) -> ValidationError:
    return ValidationError(ERRORS["duplicate"], code="duplicate", params={"channel": existing})


def _save_new(channel: Channel) -> None:
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        # Two people registering the same address at once: the unique constraint decides.
        existing = _duplicate_of(channel.url)
        if existing is None:
            raise
        raise duplicate_error(existing) from None


@transaction.atomic
def channel_register(
    *,
    actor,
    unit: Unit,
    url: str,
    name: str,
    purpose: str,
    audience: str,
    platform: Platform | None = None,
    handle: str = "",
    contact_email: str = "",
) -> Channel:
    """Register a channel: a manager's proposal for their unit, or the web team's direct entry.

    The web team's entries are active at once; a manager's wait for the web team's approval.
    """
    if not permissions.can_propose_for(actor, unit):
        raise PermissionDenied(ERRORS["not_manager"])
    recognition = recognise(url)
    if platform is None:
        platform = Platform.objects.get(slug=recognition.platform)
    _check_platform(recognition, platform)
    existing = _duplicate_of(recognition.url)
    if existing is not None:
        raise duplicate_error(existing)
    direct = permissions.is_web_team(actor)
    channel = Channel(
        platform=platform,
        name=name,
        url=recognition.url,
        handle=handle or recognition.handle,
        unit=unit,
        purpose=purpose,
        audience=audience,
        contact_email=contact_email,
        status=Channel.Status.ACTIVE if direct else Channel.Status.PROPOSED,
        created_by=actor,
    )
    channel.full_clean(validate_constraints=False)
    _save_new(channel)
    history_record(channel, action="channel.registered" if direct else "channel.proposed", actor=actor)
    return channel


def _check_platform(recognition: Recognition, platform: Platform) -> None:
    """Refuse a platform that does not agree with the address, as a field error on "platform"."""
    try:
        check_platform(recognition, platform.slug)
    except ValidationError as error:
        raise ValidationError({"platform": error}) from None


def _address_fields(channel: Channel, fields: dict) -> dict:
    """Return the address, platform and handle that *fields* give *channel*, normalised and checked.

    A new address brings its own handle unless another one was typed; the platform must agree
    with the address (``platforms.check_platform``) and nobody else may hold or claim the address.
    """
    url = fields.get("url", channel.url)
    recognition = recognise(url)
    platform = fields.get("platform") or channel.platform
    handle = fields.get("handle", channel.handle)
    if recognition.url != channel.url and handle in ("", channel.handle):
        handle = recognition.handle or handle
    _check_platform(recognition, platform)
    if recognition.url != channel.url:
        existing = _duplicate_of(recognition.url, exclude_pk=channel.pk)
        if existing is not None:
            raise duplicate_error(existing)
    return {"platform": platform, "url": recognition.url, "handle": handle}


def _diff(instance, values: dict) -> dict:
    """Return {field: [old, new]} for the *values* that differ from *instance*'s, as history keeps them."""
    changes = {}
    for field, value in values.items():
        old = getattr(instance, field)
        if old != value:
            changes[field] = [str(old) if old is not None else "", str(value) if value is not None else ""]
    return changes


def _pending_change(channel: Channel) -> ChannelChange | None:
    return ChannelChange.objects.pending().select_for_update().filter(channel=channel).first()


def _withdraw_change(change: ChannelChange, *, actor, reason: str) -> None:
    change.status = ChannelChange.Status.WITHDRAWN
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    history_record(change.channel, action="channel.change_withdrawn", actor=actor, reason=reason)


def _in_records_language(message) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # records are kept in the municipality's language
        return str(message)


@transaction.atomic
def channel_update(*, channel: Channel, actor, **fields) -> Channel:
    """Change a channel's details; the changes are recorded field by field.

    A change of an official channel's address, platform or handle by anyone but the web team
    becomes a proposed change (``permissions.address_change_needs_approval``); the other
    fields change at once.
    """
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if not permissions.can_edit_channel(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} through channel_update.")
    if "unit" in fields and fields["unit"] != channel.unit and not permissions.can_propose_for(actor, fields["unit"]):
        raise PermissionDenied(ERRORS["not_manager"])
    address = _address_fields(channel, fields)
    other = {field: value for field, value in fields.items() if field not in ChannelChange.FIELDS}
    if permissions.address_change_needs_approval(actor, channel):
        if _diff(channel, address):
            _propose_change(channel, actor=actor, **address)
    else:
        other |= address
        if _diff(channel, address):
            pending = _pending_change(channel)
            if pending is not None:
                reason = _in_records_language(_("The address was changed directly by the web team."))
                _withdraw_change(pending, actor=actor, reason=reason)
    changes = _diff(channel, other)
    if not changes:
        return channel
    for field, value in other.items():
        setattr(channel, field, value)
    channel.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        existing = _duplicate_of(channel.url, exclude_pk=channel.pk)
        if existing is None:
            raise
        raise duplicate_error(existing) from None
    history_record(channel, action="channel.updated", actor=actor, changes=changes)
    return channel


def _propose_change(channel: Channel, *, actor, platform: Platform, url: str, handle: str) -> ChannelChange | None:
    """Keep a proposed change of *channel*'s address for the web team; a newer proposal replaces an older one."""
    proposed = {"platform": platform, "url": url, "handle": handle}
    pending = _pending_change(channel)
    if pending is not None:
        if not _diff(pending, proposed):
            return pending  # the same proposal again
        _withdraw_change(pending, actor=actor, reason=_in_records_language(_("Replaced by a newer proposal.")))
    change = ChannelChange(channel=channel, proposed_by=actor, **proposed)
    change.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        # Two people claiming the same address at once: the unique constraint decides.
        existing = _duplicate_of(url, exclude_pk=channel.pk)
        if existing is None:
            raise
        raise duplicate_error(existing) from None
    history_record(channel, action="channel.change_proposed", actor=actor, changes=_diff(channel, proposed))
    return change


@transaction.atomic
def channel_change_propose(*, channel: Channel, actor, url: str, platform: Platform | None = None, handle: str = ""):
    """Propose a new address, platform or handle for *channel*; return the change, or None if nothing changes.

    The web team's own proposal is applied at once (it is who approves), through ``channel_update``.
    """
    channel = _locked(channel)
    if not permissions.can_edit_channel(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    address = _address_fields(channel, {"url": url, "platform": platform, "handle": handle})
    if not _diff(channel, address):
        return None
    if not permissions.address_change_needs_approval(actor, channel):
        channel_update(channel=channel, actor=actor, **address)
        return None
    return _propose_change(channel, actor=actor, **address)


def _locked_change(change: ChannelChange) -> tuple[Channel, ChannelChange]:
    channel = _locked(change.channel)  # the channel first, in the same order as channel_update
    return channel, ChannelChange.objects.select_for_update().select_related("platform").get(pk=change.pk)


@transaction.atomic
def channel_change_approve(*, change: ChannelChange, actor) -> Channel:
    """Approve a proposed change: the new address becomes the channel's, and official, from now on."""
    if not permissions.can_decide_address_change(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    channel, change = _locked_change(change)
    if not change.is_pending:
        raise ValidationError(ERRORS["change_not_pending"], code="change_not_pending")
    if not channel.is_open:
        raise ValidationError(ERRORS["closed"], code="closed")
    recognition = recognise(change.url)
    _check_platform(recognition, change.platform)
    existing = _duplicate_of(recognition.url, exclude_pk=channel.pk)
    if existing is not None:
        raise duplicate_error(existing)
    applied = {"platform": change.platform, "url": recognition.url, "handle": change.handle}
    changes = _diff(channel, applied)
    change.status = ChannelChange.Status.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])  # frees the pending claim first
    for field, value in applied.items():
        setattr(channel, field, value)
    channel.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        existing = _duplicate_of(channel.url, exclude_pk=channel.pk)
        if existing is None:
            raise
        raise duplicate_error(existing) from None
    history_record(channel, action="channel.change_approved", actor=actor, changes=changes)
    return channel


@transaction.atomic
def channel_change_reject(*, change: ChannelChange, actor, reason: str) -> ChannelChange:
    """Reject a proposed change with a reason; the channel keeps its address."""
    if not permissions.can_decide_address_change(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    channel, change = _locked_change(change)
    if not change.is_pending:
        raise ValidationError(ERRORS["change_not_pending"], code="change_not_pending")
    reason = _required_reason(reason)
    change.status = ChannelChange.Status.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    proposed = {"platform": change.platform, "url": change.url, "handle": change.handle}
    changes = _diff(channel, proposed)
    history_record(channel, action="channel.change_rejected", actor=actor, changes=changes, reason=reason)
    return change


def _locked(channel: Channel) -> Channel:
    return Channel.objects.select_for_update().get(pk=channel.pk)


@transaction.atomic
def channel_approve(*, channel: Channel, actor) -> Channel:
    """Approve a proposed channel: it becomes active (not yet published)."""
    channel = _locked(channel)
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if channel.status != Channel.Status.PROPOSED:
        raise ValidationError(ERRORS["not_proposed"], code="not_proposed")
    channel.status = Channel.Status.ACTIVE
    channel.save(update_fields=["status", "updated_at"])
    history_record(channel, action="channel.approved", actor=actor)
    return channel


@transaction.atomic
def channel_reject(*, channel: Channel, actor, reason: str) -> Channel:
    """Reject a proposed channel with a reason; it stays in the register as rejected."""
    channel = _locked(channel)
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if channel.status != Channel.Status.PROPOSED:
        raise ValidationError(ERRORS["not_proposed"], code="not_proposed")
    reason = _required_reason(reason)
    channel.status = Channel.Status.REJECTED
    channel.rejection_reason = reason
    channel.save(update_fields=["status", "rejection_reason", "updated_at"])
    history_record(channel, action="channel.rejected", actor=actor, reason=reason)
    return channel


@transaction.atomic
def channel_set_published(*, channel: Channel, actor, published: bool) -> Channel:
    """Put an active channel on the public list (4:4) or take it off."""
    channel = _locked(channel)
    if not permissions.can_change_channel_status(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    if published and channel.status != Channel.Status.ACTIVE:
        raise ValidationError(ERRORS["not_active"], code="not_active")
    if channel.is_published == published:
        return channel
    channel.is_published = published
    channel.save(update_fields=["is_published", "updated_at"])
    history_record(channel, action="channel.published" if published else "channel.unpublished", actor=actor)
    return channel


@transaction.atomic
def channel_pause(*, channel: Channel, actor, reason: str = "") -> Channel:
    """Pause an active channel; a paused channel leaves the public list."""
    channel = _locked(channel)
    if not permissions.can_change_channel_status(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    if channel.status != Channel.Status.ACTIVE:
        raise ValidationError(ERRORS["not_active"], code="not_active")
    channel.status = Channel.Status.PAUSED
    channel.is_published = False
    channel.save(update_fields=["status", "is_published", "updated_at"])
    history_record(channel, action="channel.paused", actor=actor, reason=reason)
    return channel


@transaction.atomic
def channel_resume(*, channel: Channel, actor) -> Channel:
    """Make a paused channel active again (it must be published again separately)."""
    channel = _locked(channel)
    if not permissions.can_change_channel_status(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    if channel.status != Channel.Status.PAUSED:
        raise ValidationError(ERRORS["not_paused"], code="not_paused")
    channel.status = Channel.Status.ACTIVE
    channel.save(update_fields=["status", "updated_at"])
    history_record(channel, action="channel.resumed", actor=actor)
    return channel


@transaction.atomic
def channel_close(*, channel: Channel, actor, reason: str, closed_on: date | None = None) -> Channel:
    """Close an active or paused channel. It stays in the register with its closing date."""
    channel = _locked(channel)
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if not channel.is_open:
        raise ValidationError(ERRORS["closed"], code="closed")
    if channel.status == Channel.Status.PROPOSED:
        raise ValidationError(ERRORS["not_active"], code="not_active")
    reason = _required_reason(reason)
    channel.status = Channel.Status.CLOSED
    channel.is_published = False
    channel.closed_on = closed_on or timezone.localdate()
    channel.save(update_fields=["status", "is_published", "closed_on", "updated_at"])
    history_record(channel, action="channel.closed", actor=actor, reason=reason)
    pending = _pending_change(channel)
    if pending is not None:  # a closed channel's proposal would hold its new address for ever
        _withdraw_change(pending, actor=actor, reason=_in_records_language(_("The channel was closed.")))
    # Closing a channel ends its mandates: each current one is revoked with the closing reason.
    with translation.override(settings.LANGUAGE_CODE):  # records are kept in the municipality's language
        ending = str(_("The channel was closed: %(reason)s") % {"reason": reason})
    for mandate in Mandate.objects.select_for_update().current().filter(channel=channel).order_by("pk"):
        _revoke(mandate, actor=actor, reason=ending)
    return channel


# Mandates (4:2, 4:3). A mandate's state follows from its dates, acknowledgement and
# revocation; these services are the only writes, each recorded in the mandate's history.


def mandate_default_until(valid_from: date) -> date:
    """Return the default end date: MANDATE_DEFAULT_DAYS days of validity, counting the first."""
    return valid_from + timedelta(days=settings.MANDATE_DEFAULT_DAYS - 1)


def mandate_max_until(valid_from: date) -> date:
    return valid_from + timedelta(days=settings.MANDATE_MAX_DAYS - 1)


def _check_period(valid_from: date, valid_until: date, *, today: date) -> None:
    if valid_from < today:
        raise ValidationError(ERRORS["past_start"], code="past_start")
    if valid_until < valid_from:
        raise ValidationError(ERRORS["period_order"], code="period_order")
    if valid_until > mandate_max_until(valid_from):
        raise ValidationError(ERRORS["too_long"], code="too_long", params={"days": settings.MANDATE_MAX_DAYS})


def _check_grant(actor, channel: Channel, employee) -> None:
    """Refuse a grant that ``permissions.mandate_grant_refusal`` refuses, with its code."""
    refusal = permissions.mandate_grant_refusal(actor, channel, employee)
    if refusal in _PERMISSION_CODES:
        raise PermissionDenied(ERRORS[refusal])
    if refusal is not None:
        raise ValidationError(ERRORS[refusal], code=refusal)


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
    channel = _locked(channel)  # serialises grants on one channel, so two overlapping grants cannot both pass
    _check_grant(actor, channel, employee)
    if channel.status not in Channel.ACCEPTS_MANDATES:
        raise ValidationError(ERRORS["channel_not_open"], code="channel_not_open")
    scope = (scope or "").strip()
    if not scope:
        raise ValidationError(ERRORS["scope_required"], code="scope_required")
    today = timezone.localdate()
    valid_from = valid_from or today
    valid_until = valid_until or mandate_default_until(valid_from)
    _check_period(valid_from, valid_until, today=today)
    if Mandate.objects.for_channel(channel).of(employee, role).overlapping(valid_from, valid_until).exists():
        raise ValidationError(ERRORS["overlap"], code="overlap")
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
    history_record(mandate, action="mandate.granted", actor=actor, changes=changes, reason=scope)
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
        raise ValidationError(ERRORS["no_channels"], code="no_channels")
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


def guideline_version_current() -> GuidelineVersion:
    """Return the version of the guidelines text the application now shows, recording it when new."""
    text = guidelines.read_text()
    version, _created = GuidelineVersion.objects.get_or_create(sha256=guidelines.digest(text), defaults={"text": text})
    return version


def _locked_mandate(mandate: Mandate) -> Mandate:
    return Mandate.objects.select_for_update().select_related("channel__unit").get(pk=mandate.pk)


@transaction.atomic
def mandate_acknowledge(*, mandate: Mandate, actor, confirmed: bool) -> Mandate:
    """Record that the employee read the guidelines and acts as an employee, not as a private person (4:2)."""
    mandate = _locked_mandate(mandate)
    if mandate.employee_id != actor.pk:
        raise PermissionDenied(ERRORS["not_yours"])
    if mandate.state_on(timezone.localdate()) != Mandate.State.AWAITING_ACKNOWLEDGEMENT:
        raise ValidationError(ERRORS["not_awaiting"], code="not_awaiting")
    if not confirmed:
        raise ValidationError(ERRORS["confirmation_required"], code="confirmation_required")
    version = guideline_version_current()
    mandate.acknowledged_at = timezone.now()
    mandate.acknowledged_version = version
    mandate.save(update_fields=["acknowledged_at", "acknowledged_version"])
    history_record(mandate, action="mandate.acknowledged", actor=actor, changes={"guidelines": ["", version.short]})
    return mandate


def _revoke(mandate: Mandate, *, actor, reason: str) -> Mandate:
    mandate.revoked_at = timezone.now()
    mandate.revoked_by = actor
    mandate.revocation_reason = reason
    mandate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    history_record(mandate, action="mandate.revoked", actor=actor, reason=reason)
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: Mandate, actor, reason: str) -> Mandate:
    """Revoke a mandate with a reason: the granting manager, another manager of the unit, or the web team."""
    mandate = _locked_mandate(mandate)
    if not permissions.can_revoke_mandate(actor, mandate):
        raise PermissionDenied(ERRORS["not_allowed"])
    if mandate.revoked_at is not None:
        raise ValidationError(ERRORS["already_revoked"], code="already_revoked")
    if mandate.valid_until < timezone.localdate():
        raise ValidationError(ERRORS["already_ended"], code="already_ended")
    reason = _required_reason(reason)
    return _revoke(mandate, actor=actor, reason=reason)


@transaction.atomic
def mandate_renew(*, mandate: Mandate, actor, valid_until: date | None = None, scope: str = "") -> Mandate:
    """Grant the same mandate again from the day after it ends (or today, if it has ended).

    The renewal is a new mandate, linked through ``renewal_of``; the employee acknowledges
    it like any other, so the current guidelines are accepted again.
    """
    mandate = _locked_mandate(mandate)
    _check_grant(actor, mandate.channel, mandate.employee)  # renewing is granting again
    if mandate.revoked_at is not None:
        raise ValidationError(ERRORS["already_revoked"], code="already_revoked")
    if Mandate.objects.filter(renewal_of=mandate).exists():
        raise ValidationError(ERRORS["already_renewed"], code="already_renewed")
    valid_from = max(mandate.valid_until + timedelta(days=1), timezone.localdate())
    renewal = mandate_grant(
        actor=actor,
        channel=mandate.channel,
        employee=mandate.employee,
        role=mandate.role,
        scope=scope or mandate.scope,
        valid_from=valid_from,
        valid_until=valid_until,
        renewal_of=mandate,
    )
    history_record(
        mandate,
        action="mandate.renewed",
        actor=actor,
        changes={"renewal": ["", f"{renewal.valid_from.isoformat()} – {renewal.valid_until.isoformat()}"]},
    )
    return renewal


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
            if HistoryEntry.objects.filter(
                content_type=mandate_type, object_id=locked.pk, action="mandate.expired"
            ).exists():
                continue  # another run recorded it meanwhile
            history_record(
                locked,
                action="mandate.expired",
                actor=None,
                changes={"valid_until": ["", locked.valid_until.isoformat()]},
            )
            count += 1
    return count


# -- Politicians' links (4:5) ---------------------------------------------------------------

LINK_FIELDS = ("politician", "party", "url", "kind", "decided_by", "decided_on", "reference")


def _link_duplicate(url: str, *, exclude_pk=None) -> PoliticianLink | None:
    qs = PoliticianLink.objects.current().filter(url=url)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


@transaction.atomic
def politician_link_register(
    *,
    actor,
    politician: str,
    url: str,
    decided_by: str,
    decided_on: date,
    kind: str = PoliticianLink.Kind.BLOG,
    party: str = "",
    reference: str = "",
    publish: bool = False,
) -> PoliticianLink:
    """Register a politician's link as decided by the person responsible for the website (4:5)."""
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if decided_on > timezone.localdate():
        raise ValidationError(ERRORS["future_date"], code="future_date")
    url = recognise(url).url
    if _link_duplicate(url) is not None:
        raise ValidationError(ERRORS["link_duplicate"], code="link_duplicate")
    link = PoliticianLink(
        politician=politician.strip(),
        party=party.strip(),
        url=url,
        kind=kind,
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        is_published=publish,
        created_by=actor,
    )
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(ERRORS["link_duplicate"], code="link_duplicate") from None
    history_record(link, action="politician_link.registered", actor=actor)
    if publish:
        history_record(link, action="politician_link.published", actor=actor)
    return link


def _locked_link(link: PoliticianLink) -> PoliticianLink:
    return PoliticianLink.objects.select_for_update().get(pk=link.pk)


@transaction.atomic
def politician_link_update(*, link: PoliticianLink, actor, **fields) -> PoliticianLink:
    """Change a link's details; the changes are recorded field by field."""
    link = _locked_link(link)
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if link.is_withdrawn:
        raise ValidationError(ERRORS["withdrawn"], code="withdrawn")
    unknown = set(fields) - set(LINK_FIELDS)
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} through politician_link_update.")
    if "decided_on" in fields and fields["decided_on"] > timezone.localdate():
        raise ValidationError(ERRORS["future_date"], code="future_date")
    if "url" in fields:
        fields["url"] = recognise(fields["url"]).url
        if _link_duplicate(fields["url"], exclude_pk=link.pk) is not None:
            raise ValidationError(ERRORS["link_duplicate"], code="link_duplicate")
    changes = {}
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(link, field)
        if old != value:
            changes[field] = [str(old) if old is not None else "", str(value) if value is not None else ""]
            setattr(link, field, value)
    if not changes:
        return link
    link.full_clean(validate_constraints=False)
    link.save()
    history_record(link, action="politician_link.updated", actor=actor, changes=changes)
    return link


@transaction.atomic
def politician_link_set_published(*, link: PoliticianLink, actor, published: bool) -> PoliticianLink:
    """Show a link on the public list, with the disclaimer, or take it off."""
    link = _locked_link(link)
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if link.is_withdrawn:
        raise ValidationError(ERRORS["withdrawn"], code="withdrawn")
    if link.is_published == published:
        return link
    link.is_published = published
    link.save(update_fields=["is_published", "updated_at"])
    history_record(
        link, action="politician_link.published" if published else "politician_link.unpublished", actor=actor
    )
    return link


@transaction.atomic
def politician_link_withdraw(*, link: PoliticianLink, actor, reason: str) -> PoliticianLink:
    """Withdraw a link for good (it leaves the public list); it is kept with its history."""
    link = _locked_link(link)
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if link.is_withdrawn:
        raise ValidationError(ERRORS["withdrawn"], code="withdrawn")
    reason = _required_reason(reason)
    link.is_published = False
    link.withdrawn_at = timezone.now()
    link.withdrawal_reason = reason
    link.save(update_fields=["is_published", "withdrawn_at", "withdrawal_reason", "updated_at"])
    history_record(link, action="politician_link.withdrawn", actor=actor, reason=reason)
    return link


# -- Screenshot documentation (4:8) ---------------------------------------------------------


def documentation_record(
    *,
    channel: Channel,
    actor,
    files: list,
    documented_on: date | None = None,
    reason: str = Documentation.Reason.YEARLY,
    note: str = "",
) -> Documentation:
    """Save screenshots of *channel* with their SHA-256 checksums, the date and the reason (4:8).

    Every file is checked by its content (PNG, JPEG or PDF) and size before anything is saved.
    """
    if not permissions.can_document(actor, channel):
        if permissions.is_web_team(actor):
            raise ValidationError(ERRORS["not_documentable"], code="not_documentable")
        raise PermissionDenied(ERRORS["not_allowed"])
    if not files:
        raise ValidationError(ERRORS["files_required"], code="files_required")
    documented_on = documented_on or timezone.localdate()
    if documented_on > timezone.localdate():
        raise ValidationError(ERRORS["future_date"], code="future_date")
    checked = [(uploaded, check_upload(uploaded), sha256_of(uploaded)) for uploaded in files]
    saved_paths = []
    try:
        with transaction.atomic():
            documentation = Documentation.objects.create(
                channel=channel, documented_on=documented_on, reason=reason, note=note.strip(), created_by=actor
            )
            for uploaded, content_type, digest in checked:
                record = DocumentationFile(
                    documentation=documentation,
                    original_name=os.path.basename(uploaded.name)[:255],
                    content_type=content_type,
                    size=uploaded.size,
                    sha256=digest,
                )
                record.file.save("upload", uploaded, save=False)
                saved_paths.append(record.file.name)
                record.save()
            history_record(
                channel,
                action="channel.documented",
                actor=actor,
                changes={"files": ["", str(len(checked))], "reason": ["", str(Documentation.Reason(reason).label)]},
                reason=note.strip(),
            )
    except BaseException:
        # The database rolled back; do not leave the files behind.
        from django.core.files.storage import default_storage

        for path in saved_paths:
            default_storage.delete(path)
        raise
    return documentation


# -- Yearly review ----------------------------------------------------------------------------


@transaction.atomic
def channel_review_record(
    *,
    channel: Channel,
    actor,
    still_needed: bool,
    purpose_ok: bool,
    writers_ok: bool,
    note: str = "",
    reviewed_on: date | None = None,
) -> ChannelReview:
    """Record the unit's yearly review of *channel*: still needed, purpose and writers right."""
    if not permissions.can_review_channel(actor, channel):
        if channel.is_open and channel.status != Channel.Status.PROPOSED:
            raise PermissionDenied(ERRORS["not_allowed"])
        raise ValidationError(ERRORS["not_reviewable"], code="not_reviewable")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError(ERRORS["future_date"], code="future_date")
    note = (note or "").strip()
    if not (still_needed and purpose_ok and writers_ok) and not note:
        raise ValidationError(ERRORS["note_required"], code="note_required")
    review = ChannelReview.objects.create(
        channel=channel,
        reviewed_on=reviewed_on,
        still_needed=still_needed,
        purpose_ok=purpose_ok,
        writers_ok=writers_ok,
        note=note,
        reviewed_by=actor,
    )
    yes, no = str(_("yes")), str(_("no"))
    history_record(
        channel,
        action="channel.reviewed",
        actor=actor,
        changes={
            "still_needed": ["", yes if still_needed else no],
            "purpose_ok": ["", yes if purpose_ok else no],
            "writers_ok": ["", yes if writers_ok else no],
        },
        reason=note,
    )
    return review
