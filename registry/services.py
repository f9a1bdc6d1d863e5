"""Every write to the registry. Each service checks the actor, runs in a transaction
and records history in the same transaction."""

import os
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import (
    Channel,
    ChannelReview,
    Documentation,
    DocumentationFile,
    HistoryEntry,
    Platform,
    PoliticianLink,
    Unit,
)
from .platforms import recognise
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
    "link_duplicate": _("This address is already among the politicians' links."),
    "withdrawn": _("The link has been withdrawn and can no longer be changed."),
    "files_required": _("Choose at least one screenshot file."),
    "not_documentable": _("Only an active or paused channel can be documented."),
    "not_reviewable": _("Only an active or paused channel can be reviewed."),
    "note_required": _("Write a note on what is not right and what will be done."),
    "future_date": _("The date cannot be in the future."),
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
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERRORS["reason_required"], code="reason_required")
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
