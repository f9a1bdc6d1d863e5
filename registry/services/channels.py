"""Channels: registration, the lifecycle, edits and proposed changes of an official address.

Each service checks the actor (``registry.permissions``), runs in a transaction and records
history (``registry.history.record``) in the same transaction.
"""

from datetime import date
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import history, permissions
from ..models import Channel, ChannelChange, Platform, Unit
from ..platforms import Recognition, check_platform, recognise
from . import mandates
from .errors import ERRORS, field_error, in_records_language, required_reason
from .updates import diff, model_update

# Fields whose changes are kept in a channel's history.
TRACKED_FIELDS = ("platform", "name", "url", "handle", "unit", "purpose", "audience", "contact_email")


class ChannelFields(TypedDict, total=False):
    """What ``channel_update`` changes; a field left out keeps its value."""

    platform: Platform | None
    name: str
    url: str
    handle: str
    unit: Unit
    purpose: str
    audience: str
    contact_email: str


def _recognised(url: str) -> Recognition:
    """Return what *url* says about itself, or refuse it as an error of the "url" field."""
    try:
        return recognise(url)
    except ValidationError as error:
        raise field_error("url", error) from None


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
    """Refuse an address that *existing* holds or claims, naming it (the form links to it)."""
    return field_error("url", ValidationError(ERRORS["duplicate"], code="duplicate", params={"channel": existing}))


def _refuse_duplicate(url: str, *, exclude_pk=None) -> None:
    existing = _duplicate_of(url, exclude_pk=exclude_pk)
    if existing is not None:
        raise duplicate_error(existing)


def _saved(instance, *, url: str, exclude_pk=None, save=None):
    """Save *instance* (or run *save*) in a savepoint; a lost race for *url* is refused as a duplicate.

    Two people registering or claiming the same address at once: the unique constraint decides.
    """
    try:
        with transaction.atomic():
            return save() if save else instance.save()
    except IntegrityError:
        existing = _duplicate_of(url, exclude_pk=exclude_pk)
        if existing is None:
            raise
        raise duplicate_error(existing) from None


def _check_platform(recognition: Recognition, platform: Platform) -> None:
    """Refuse a platform that does not agree with the address, as a field error on "platform"."""
    try:
        check_platform(recognition, platform.slug)
    except ValidationError as error:
        raise ValidationError({"platform": error}) from None


def _locked(channel: Channel) -> Channel:
    return Channel.objects.select_for_update().get(pk=channel.pk)


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
    recognition = _recognised(url)
    if platform is None:
        platform = Platform.objects.get(slug=recognition.platform)
    _check_platform(recognition, platform)
    _refuse_duplicate(recognition.url)
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
    _saved(channel, url=channel.url)
    history.record(channel, action="channel.registered" if direct else "channel.proposed", actor=actor)
    return channel


# -- Edits, and proposed changes of an official address -------------------------------------


def _address_fields(channel: Channel, fields: dict) -> dict:
    """Return the address, platform and handle that *fields* give *channel*, normalised and checked.

    A new address brings its own handle unless another one was typed; the platform must agree
    with the address (``platforms.check_platform``) and nobody else may hold or claim the address.
    """
    recognition = _recognised(fields.get("url", channel.url))
    platform = fields.get("platform") or channel.platform
    handle = fields.get("handle", channel.handle)
    if recognition.url != channel.url and handle in ("", channel.handle):
        handle = recognition.handle or handle
    _check_platform(recognition, platform)
    if recognition.url != channel.url:
        _refuse_duplicate(recognition.url, exclude_pk=channel.pk)
    return {"platform": platform, "url": recognition.url, "handle": handle}


def _pending_change(channel: Channel) -> ChannelChange | None:
    return ChannelChange.objects.pending().select_for_update().filter(channel=channel).first()


def _withdraw_change(change: ChannelChange, *, actor, reason: str) -> None:
    change.status = ChannelChange.Status.WITHDRAWN
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    history.record(change.channel, action="channel.change_withdrawn", actor=actor, reason=reason)


@transaction.atomic
def channel_update(*, channel: Channel, actor, **fields: Unpack[ChannelFields]) -> Channel:
    """Change a channel's details; the changes are recorded field by field.

    A change of an official channel's address, platform or handle by anyone but the web team
    becomes a proposed change (``permissions.address_change_needs_approval``); the other
    fields change at once.
    """
    channel = _locked(channel)
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
        if diff(channel, address):
            _propose_change(channel, actor=actor, **address)
    else:
        other |= address
        if diff(channel, address):
            pending = _pending_change(channel)
            if pending is not None:
                reason = in_records_language(_("The address was changed directly by the web team."))
                _withdraw_change(pending, actor=actor, reason=reason)
    channel, changes = _saved(
        channel,
        url=other.get("url", channel.url),
        exclude_pk=channel.pk,
        save=lambda: model_update(instance=channel, fields=TRACKED_FIELDS, data=other),
    )
    if changes:
        history.record(channel, action="channel.updated", actor=actor, changes=changes)
    return channel


def _propose_change(channel: Channel, *, actor, platform: Platform, url: str, handle: str) -> ChannelChange | None:
    """Keep a proposed change of *channel*'s address for the web team; a newer proposal replaces an older one."""
    proposed = {"platform": platform, "url": url, "handle": handle}
    pending = _pending_change(channel)
    if pending is not None:
        if not diff(pending, proposed):
            return pending  # the same proposal again
        _withdraw_change(pending, actor=actor, reason=in_records_language(_("Replaced by a newer proposal.")))
    change = ChannelChange(channel=channel, proposed_by=actor, **proposed)
    change.full_clean(validate_constraints=False)
    _saved(change, url=url, exclude_pk=channel.pk)
    history.record(channel, action="channel.change_proposed", actor=actor, changes=diff(channel, proposed))
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
    if not diff(channel, address):
        return None
    if not permissions.address_change_needs_approval(actor, channel):
        channel_update(channel=channel, actor=actor, **address)
        return None
    return _propose_change(channel, actor=actor, **address)


def _locked_change(change: ChannelChange) -> tuple[Channel, ChannelChange]:
    channel = _locked(change.channel)  # the channel first, in the same order as channel_update
    return channel, ChannelChange.objects.select_for_update().select_related("platform").get(pk=change.pk)


def _decide(change: ChannelChange, *, actor, status: str, reason: str = "") -> None:
    change.status = status
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


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
    _refuse_duplicate(recognition.url, exclude_pk=channel.pk)
    _decide(change, actor=actor, status=ChannelChange.Status.APPROVED)  # frees the pending claim first
    applied = {"platform": change.platform, "url": recognition.url, "handle": change.handle}
    channel, changes = _saved(
        channel,
        url=recognition.url,
        exclude_pk=channel.pk,
        save=lambda: model_update(instance=channel, fields=ChannelChange.FIELDS, data=applied),
    )
    history.record(channel, action="channel.change_approved", actor=actor, changes=changes)
    return channel


@transaction.atomic
def channel_change_reject(*, change: ChannelChange, actor, reason: str) -> ChannelChange:
    """Reject a proposed change with a reason; the channel keeps its address."""
    if not permissions.can_decide_address_change(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    channel, change = _locked_change(change)
    if not change.is_pending:
        raise ValidationError(ERRORS["change_not_pending"], code="change_not_pending")
    reason = required_reason(reason)
    _decide(change, actor=actor, status=ChannelChange.Status.REJECTED, reason=reason)
    proposed = {"platform": change.platform, "url": change.url, "handle": change.handle}
    history.record(
        channel, action="channel.change_rejected", actor=actor, changes=diff(channel, proposed), reason=reason
    )
    return change


# -- The lifecycle: proposed -> active <-> paused -> closed; proposed -> rejected ------------


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
    history.record(channel, action="channel.approved", actor=actor)
    return channel


@transaction.atomic
def channel_reject(*, channel: Channel, actor, reason: str) -> Channel:
    """Reject a proposed channel with a reason; it stays in the register as rejected."""
    channel = _locked(channel)
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if channel.status != Channel.Status.PROPOSED:
        raise ValidationError(ERRORS["not_proposed"], code="not_proposed")
    reason = required_reason(reason)
    channel.status = Channel.Status.REJECTED
    channel.rejection_reason = reason
    channel.save(update_fields=["status", "rejection_reason", "updated_at"])
    history.record(channel, action="channel.rejected", actor=actor, reason=reason)
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
    history.record(channel, action="channel.published" if published else "channel.unpublished", actor=actor)
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
    history.record(channel, action="channel.paused", actor=actor, reason=reason)
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
    history.record(channel, action="channel.resumed", actor=actor)
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
    reason = required_reason(reason)
    channel.status = Channel.Status.CLOSED
    channel.is_published = False
    channel.closed_on = closed_on or timezone.localdate()
    channel.save(update_fields=["status", "is_published", "closed_on", "updated_at"])
    history.record(channel, action="channel.closed", actor=actor, reason=reason)
    pending = _pending_change(channel)
    if pending is not None:  # a closed channel's proposal would hold its new address for ever
        _withdraw_change(pending, actor=actor, reason=in_records_language(_("The channel was closed.")))
    # Closing a channel ends its mandates: each current one is revoked with the closing reason.
    mandates.mandates_end_with_channel(channel=channel, actor=actor, reason=reason)
    return channel
