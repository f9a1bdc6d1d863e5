"""Every write to the moderation log (4:10) and its access log. Each service checks the actor and runs in a transaction.

Appends are serialised on the single ``ChainHead`` row (``select_for_update`` on
PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), so the hash chain
stays linear: no fork, no gap.
"""

import ipaddress
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from norsjo.files import sha256_file
from norsjo.security_log import client_ip, security_event
from registry.uploads import detect_content_type

from .. import classification, integrity, permissions
from ..models import (
    Action,
    Category,
    ChainHead,
    PoliceReport,
    RecordRead,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
    is_legally_required,
)
from ..transparency import tree as transparency_tree
from . import alerts

ERRORS = {
    "not_allowed": _("You may not log removals on this channel."),
    "explanation_required": _("Explain why the comment was removed when the reason is “other”."),
    "content_required": _("Paste the comment's text or attach a screenshot of it."),
    "nul_character": _(
        "The text contains one or more NUL characters (U+0000), which cannot be stored. Each is shown "
        "as ␀: remove it or replace it with what it stood for, and note in the explanation where it was. "
        "Nothing else has been changed."
    ),
    "published_after_removed": _("The comment cannot have been published after it was removed."),
    "in_future": _("The time of removal cannot be in the future."),
    "attachment_type": _("“%(name)s” is not a PNG, JPEG, GIF or WebP image or a PDF document."),
    "attachment_too_large": _("“%(name)s” is larger than %(limit)s MB."),
    "too_many_attachments": _("Attach at most %(limit)s screenshots."),
    "addendum_empty": _("Write the correction or addition."),
    "invalid_url": _("Enter a web address starting with http:// or https://."),
    "reference_required": _("Enter the police report's reference."),
}

MAX_ATTACHMENTS = 10
FUTURE_TOLERANCE = timedelta(minutes=5)


def refuse_nul(value: str) -> None:
    """Refuse a text holding U+0000, with the application's message: the one NUL rule of forms and services.

    PostgreSQL text cannot hold U+0000, and a text is stored as given or not at all: never
    with the character silently dropped or replaced (docs/moderation.md, "NUL characters").
    """
    if value and "\x00" in value:
        raise ValidationError(ERRORS["nul_character"], code="nul_character")


def _check_text(**fields: str) -> None:
    for name, value in fields.items():
        try:
            refuse_nul(value)
        except ValidationError as error:
            raise ValidationError({name: error}) from None


def _check_urls(**fields: str) -> None:
    for name, value in fields.items():
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValidationError({name: ValidationError(ERRORS["invalid_url"], code="invalid_url")})


def _prepare_attachments(files: Sequence) -> list[tuple[RemovedCommentAttachment, object]]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            ERRORS["too_many_attachments"], code="too_many_attachments", params={"limit": MAX_ATTACHMENTS}
        )
    prepared = []
    for position, upload in enumerate(files, start=1):
        name = (getattr(upload, "name", "") or f"skarmdump-{position}")[-255:]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                ERRORS["attachment_too_large"],
                code="attachment_too_large",
                params={"name": name, "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            )
        upload.seek(0)
        content_type = detect_content_type(upload.read(16))
        if content_type is None:
            raise ValidationError(ERRORS["attachment_type"], code="attachment_type", params={"name": name})
        attachment = RemovedCommentAttachment(
            position=position,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=sha256_file(upload),
        )
        prepared.append((attachment, upload))
    return prepared


def _append(record: RemovedComment, content: RemovedCommentContent, attachments) -> RemovedComment:
    """Chain *record* after the current head and store it with its content and files."""
    head = _locked_head()
    record.sequence = head.sequence + 1
    record.previous_hash = head.last_hash
    record.content_sha256 = integrity.content_hash(content)
    record.attachments_sha256 = integrity.attachments_hash([a for a, _upload in attachments])
    record.record_hash = integrity.record_hash(record)
    record.save(force_insert=True)
    content.record = record
    content.save(force_insert=True)
    stored = []
    try:
        for attachment, upload in attachments:
            attachment.record = record
            attachment.file.save(attachment.original_name, upload, save=False)
            stored.append(attachment.file.name)
            attachment.save(force_insert=True)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    # The head is not a record: it is the lock and the pointer to the chain's end.
    ChainHead.objects.filter(pk=1).update(sequence=record.sequence, last_hash=record.record_hash)
    # The Merkle tree and its signed checkpoint move with the record (issue 12).
    transparency_tree.tree_append(record)
    return record


def _locked_head() -> ChainHead:
    """Return the chain head, locked until the transaction ends (the appends' single queue)."""
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        pass
    # After a restore or a flush the head may be missing: rebuild it from the log itself.
    last = RemovedComment.objects.order_by("-sequence").only("sequence", "record_hash").first()
    defaults = {"sequence": 0, "last_hash": integrity.GENESIS_HASH}
    if last is not None:
        defaults = {"sequence": last.sequence, "last_hash": last.record_hash}
    ChainHead.objects.get_or_create(pk=1, defaults=defaults)
    return ChainHead.objects.select_for_update().get(pk=1)


@transaction.atomic
def removal_log(
    *,
    actor,
    channel,
    category: str,
    action: str,
    removed_at: datetime,
    text: str = "",
    author_name: str = "",
    author_handle: str = "",
    author_url: str = "",
    comment_url: str = "",
    post_url: str = "",
    comment_published_at: datetime | None = None,
    explanation: str = "",
    attachments: Sequence = (),
) -> RemovedComment:
    """Log that a comment was removed from *channel* (4:10), saving its content and author."""
    if not permissions.can_log_removal(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    if category not in Category.values:
        raise ValidationError({"category": ValidationError(_("Choose a reason."), code="invalid_choice")})
    if action not in Action.values:
        raise ValidationError({"action": ValidationError(_("Choose how it was removed."), code="invalid_choice")})
    if category == Category.OTHER and not explanation.strip():
        raise ValidationError(
            {"explanation": ValidationError(ERRORS["explanation_required"], code="explanation_required")}
        )
    _check_text(
        text=text,
        author_name=author_name,
        author_handle=author_handle,
        author_url=author_url,
        comment_url=comment_url,
        post_url=post_url,
        explanation=explanation,
    )
    _check_urls(author_url=author_url, comment_url=comment_url, post_url=post_url)
    now = timezone.now()
    if removed_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"removed_at": ValidationError(ERRORS["in_future"], code="in_future")})
    if comment_published_at is not None and comment_published_at > removed_at:
        raise ValidationError(
            {"comment_published_at": ValidationError(ERRORS["published_after_removed"], code="published_after_removed")}
        )
    prepared = _prepare_attachments(attachments)
    if not text and not prepared:
        raise ValidationError({"text": ValidationError(ERRORS["content_required"], code="content_required")})
    record = RemovedComment(
        channel=channel,
        channel_name=channel.name,
        unit_name=channel.unit.name,
        platform_name=channel.platform.name,
        category=category,
        legally_required=is_legally_required(category),
        confidential=category == Category.CONFIDENTIAL,
        action=action,
        comment_published_at=comment_published_at,
        removed_at=removed_at,
        logged_by=actor,
        logged_at=now,
    )
    content = RemovedCommentContent(
        text=text,
        author_name=author_name,
        author_handle=author_handle,
        author_url=author_url,
        comment_url=comment_url,
        post_url=post_url,
        explanation=explanation,
    )
    record = _append(record, content, prepared)
    if record.legally_required:
        alerts.legal_alert_notify(record=record)
    return record


@transaction.atomic
def addendum_add(
    *, actor, original: RemovedComment, explanation: str, category: str = "", text: str = "", attachments: Sequence = ()
) -> RemovedComment:
    """Add a correction or addition to *original* as a new record linked to it."""
    if original.addendum_to_id is not None:
        original = original.addendum_to
    if not permissions.can_add_addendum(actor, original):
        raise PermissionDenied(ERRORS["not_allowed"])
    return _addendum_append(
        actor=actor, original=original, explanation=explanation, category=category, text=text, attachments=attachments
    )


def _addendum_append(
    *, actor, original: RemovedComment, explanation: str, category: str = "", text: str = "", attachments: Sequence = ()
) -> RemovedComment:
    """Append an addendum to the original *original*, once the caller has checked the actor."""
    if not explanation.strip():
        raise ValidationError({"explanation": ValidationError(ERRORS["addendum_empty"], code="addendum_empty")})
    category = category or original.category
    if category not in Category.values:
        raise ValidationError({"category": ValidationError(_("Choose a reason."), code="invalid_choice")})
    _check_text(text=text, explanation=explanation)
    prepared = _prepare_attachments(attachments)
    # Read before the addendum joins the group: an addendum making it required by law raises the alert.
    was_required = _group_classification(original).legally_required
    record = RemovedComment(
        channel=original.channel,
        channel_name=original.channel_name,
        unit_name=original.unit_name,
        platform_name=original.platform_name,
        category=category,
        legally_required=is_legally_required(category),
        confidential=category == Category.CONFIDENTIAL,
        action=original.action,
        comment_published_at=original.comment_published_at,
        removed_at=original.removed_at,
        logged_by=actor,
        logged_at=timezone.now(),
        addendum_to=original,
    )
    content = RemovedCommentContent(text=text, explanation=explanation)
    addendum = _append(record, content, prepared)
    if addendum.legally_required and not was_required:
        alerts.legal_alert_notify(record=original)
    return addendum


def _group_classification(original: RemovedComment) -> classification.Classification:
    """Return the group's classification as stored now (not an instance's cached one)."""
    group = RemovedComment._base_manager.filter(Q(pk=original.pk) | Q(addendum_to_id=original.pk)).order_by("pk")
    return classification.classify(group.values_list("category", "legally_required"))


@transaction.atomic
def police_report_record(*, actor, record: RemovedComment, reference: str, note: str = "") -> PoliceReport:
    """Record that the removal was reported to the police: an addendum with the reference, and its row."""
    original = record.addendum_to if record.addendum_to_id is not None else record
    if not permissions.can_record_police_report(actor, original):
        raise PermissionDenied(ERRORS["not_allowed"])
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": ValidationError(ERRORS["reference_required"], code="reference_required")})
    _check_text(reference=reference, note=note)
    # The addendum is part of the public record: written in the municipality's language.
    with translation.override(settings.LANGUAGE_CODE):
        explanation = str(_("Reported to the police, reference %(reference)s.") % {"reference": reference})
    if note.strip():
        explanation = f"{explanation}\n\n{note.strip()}"
    addendum = _addendum_append(actor=actor, original=original, explanation=explanation)
    return PoliceReport.objects.create(
        record=original, addendum=addendum, reference=reference, reported_by=actor, reported_at=addendum.logged_at
    )


# The security events of record_access_log, by what was done (docs/moderation.md, "Access log").
ACCESS_EVENTS = {"read": "record.read", "export": "record.export", "disposal": "record.disposal"}


def _address(request) -> str | None:
    """The reader's address, as the security event records it (one function: ``client_ip``)."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def record_access_log(
    *,
    request,
    actor,
    action: str,
    records: Iterable[RemovedComment] = (),
    what: str = "",
    detail: str = "",
    **fields,
) -> list[RecordRead]:
    """Record that *actor* read, exported or disposed of *records*, with the HTTP *request* (None from a command).

    The one access log of the moderation records: every screen, export, copy, command and
    disposal calls it. A read or an export by a person writes a ``RecordRead`` row per record
    (*what*: content, screenshot or export); every call emits the security event
    ``record.read``, ``record.export`` or ``record.disposal``, which carries the client's
    address and the path when there is a request. A disposal writes no ``RecordRead``: the
    content is gone, and the ``DisposedRecord`` rows are its record. *fields* go into the event.

    An export of a selection (``selection=`` the filters) passes only the newest record of it:
    one row per export, as a row per record would make exporting a million records write a
    million rows.
    """
    event = ACCESS_EVENTS[action]
    records = list(records)
    reads = []
    if action != "disposal" and actor is not None:
        what = what or RecordRead.What.EXPORT
        address = _address(request)
        reads = RecordRead.objects.bulk_create(
            [
                RecordRead(record=record, reader=actor, what=what, detail=detail[:255], address=address)
                for record in records
            ]
        )
    if what:
        fields.setdefault("what", str(what))
    if detail:
        fields.setdefault("detail", detail[:255])
    if action == "read":
        # One event per record read, as the log collection has always received them.
        for record in records:
            security_event(
                event, request, user=actor, record=record.pk, confidential=record.classification.confidential, **fields
            )
        return reads
    if records and "selection" in fields:
        fields.setdefault("newest_record", records[0].pk)
    elif records:
        fields.setdefault("record_ids", [record.pk for record in records])
        fields.setdefault("confidential", any(record.classification.confidential for record in records))
    security_event(event, request, user=actor, **fields)
    return reads
