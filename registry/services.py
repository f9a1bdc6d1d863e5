"""Every write to the registry. Each service checks the actor, runs in a transaction
and records history in the same transaction."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Channel, HistoryEntry, Platform, Unit
from .platforms import recognise

ERRORS = {
    "not_allowed": _("You may not do this."),
    "not_manager": _("You can only propose channels for a unit you manage."),
    "duplicate": _("This channel is already in the register."),
    "not_proposed": _("Only a proposed channel can be approved or rejected."),
    "reason_required": _("Give a reason."),
    "not_active": _("Only an active channel can be published or paused."),
    "not_paused": _("Only a paused channel can be resumed."),
    "closed": _("The channel is closed and can no longer be changed."),
}

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


def _duplicate_of(url: str, *, exclude_pk=None) -> Channel | None:
    qs = Channel.objects.filter(url=url).exclude(status=Channel.Status.REJECTED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


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


@transaction.atomic
def channel_update(*, channel: Channel, actor, **fields) -> Channel:
    """Change a channel's details; the changes are recorded field by field."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if not permissions.can_edit_channel(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} through channel_update.")
    if "unit" in fields and fields["unit"] != channel.unit and not permissions.can_propose_for(actor, fields["unit"]):
        raise PermissionDenied(ERRORS["not_manager"])
    if "url" in fields:
        recognition = recognise(fields["url"])
        fields["url"] = recognition.url
        if not fields.get("handle") and recognition.handle:
            fields["handle"] = recognition.handle
        existing = _duplicate_of(recognition.url, exclude_pk=channel.pk)
        if existing is not None:
            raise duplicate_error(existing)
    changes = {}
    for field, value in fields.items():
        old = getattr(channel, field)
        if old != value:
            changes[field] = [str(old) if old is not None else "", str(value) if value is not None else ""]
            setattr(channel, field, value)
    if not changes:
        return channel
    channel.full_clean(validate_constraints=False)
    channel.save()
    history_record(channel, action="channel.updated", actor=actor, changes=changes)
    return channel


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
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERRORS["reason_required"], code="reason_required")
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
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERRORS["reason_required"], code="reason_required")
    channel.status = Channel.Status.CLOSED
    channel.is_published = False
    channel.closed_on = closed_on or timezone.localdate()
    channel.save(update_fields=["status", "is_published", "closed_on", "updated_at"])
    history_record(channel, action="channel.closed", actor=actor, reason=reason)
    return channel
