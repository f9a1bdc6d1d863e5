"""Requests for public records (begäran om utlämnande av allmän handling, 4:6) and their copies.

A requested record that is confidential (its effective classification, 4:10 h) needs a
recorded review decision (released, released in part, withheld) before the copy is made;
making the copy is logged as an export of what it shows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import history

from .. import permissions
from ..models import (
    DisclosureItem,
    DisclosureRequest,
    DisposedRecord,
    RecordRead,
    RemovedComment,
    RemovedCommentContent,
)
from ..selectors import archive as archive_selectors
from .log import record_access_log

ERRORS = {
    "no_records": _("Choose at least one record."),
    "review_missing": _(
        "Confidential records need a review decision (released, released in part or withheld) before the copy "
        "can be made: %(records)s."
    ),
    "partial_needs_text": _("For release in part, give the text as released and what was masked."),
    "withheld_needs_grounds": _("Give the grounds for withholding."),
}


def is_confidential(record: RemovedComment) -> bool:
    """Whether a requested record needs a confidentiality review: its effective classification."""
    return record.classification.confidential


@transaction.atomic
def disclosure_create(
    *, actor, received_on: date, description: str, records: Iterable[RemovedComment], reference: str = "", requester=""
) -> DisclosureRequest:
    """Register a request for public records and the records selected for it."""
    permissions.require_archive_manager(actor)
    records = list(records)
    if not records:
        raise ValidationError({"records": ValidationError(ERRORS["no_records"], code="no_records")})
    request = DisclosureRequest(
        reference=reference.strip(),
        received_on=received_on,
        requester=requester.strip(),
        description=description.strip(),
        created_by=actor,
    )
    request.full_clean()
    request.save()
    DisclosureItem.objects.bulk_create([DisclosureItem(request=request, record=r) for r in records])
    history.record(request, action="disclosure.created", actor=actor, changes={"records": [r.pk for r in records]})
    return request


@transaction.atomic
def disclosure_review(
    *, actor, item: DisclosureItem, decision: str, redacted_text: str = "", redaction_note: str = ""
) -> DisclosureItem:
    """Record the confidentiality review of one requested record: released, released in part or withheld."""
    permissions.require_archive_manager(actor)
    if decision not in DisclosureItem.Decision.values:
        raise ValidationError({"decision": ValidationError(_("Choose a decision."), code="invalid_choice")})
    if decision == DisclosureItem.Decision.RELEASED_IN_PART and not (redacted_text.strip() and redaction_note.strip()):
        raise ValidationError(ERRORS["partial_needs_text"], code="partial_needs_text")
    if decision == DisclosureItem.Decision.WITHHELD and not redaction_note.strip():
        raise ValidationError(
            {"redaction_note": ValidationError(ERRORS["withheld_needs_grounds"], code="withheld_needs_grounds")}
        )
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    item.decision = decision
    item.redacted_text = redacted_text if decision == DisclosureItem.Decision.RELEASED_IN_PART else ""
    item.redaction_note = redaction_note.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.full_clean()
    item.save()
    history.record(
        item.request,
        action="disclosure.reviewed",
        actor=actor,
        changes={"record": item.record_id, "decision": decision},
        reason=item.redaction_note,
    )
    return item


@dataclass
class CopyEntry:
    """One record of a copy: what the printable page shows of it, after the review."""

    item: DisclosureItem
    record: RemovedComment
    confidential: bool
    disposed: bool
    show_content: bool
    text: str = ""
    content: RemovedCommentContent | None = None


def disclosure_copy(*, actor, request: DisclosureRequest, http_request=None) -> list[CopyEntry]:
    """Return the printable copy of a request's records; refuse while a confidential one lacks a review.

    *http_request* is the request of the screen that made the copy, for the access log.
    """
    permissions.require_archive_manager(actor)
    items = list(archive_selectors.disclosure_items(request))
    missing = [f"#{i.record.sequence}" for i in items if is_confidential(i.record) and not i.decision]
    if missing:
        raise ValidationError(ERRORS["review_missing"], code="review_missing", params={"records": ", ".join(missing)})
    entries = []
    for item in items:
        record = item.record
        content = record.content if _has(record, "content") else None
        disposed = _has(record, "disposal")
        withheld = item.decision == DisclosureItem.Decision.WITHHELD
        partial = item.decision == DisclosureItem.Decision.RELEASED_IN_PART
        entry = CopyEntry(
            item=item,
            record=record,
            confidential=is_confidential(record),
            disposed=disposed,
            show_content=content is not None and not withheld,
            content=None if (withheld or partial) else content,
        )
        if content is not None and not withheld:
            entry.text = item.redacted_text if partial else content.text
        entries.append(entry)
    copied = [entry.record for entry in entries if entry.show_content]
    if copied:
        record_access_log(
            request=http_request,
            actor=actor,
            action="export",
            records=copied,
            what=RecordRead.What.EXPORT,
            detail=f"copy for request {request.pk}",
            format="copy",
            disclosure_request=request.pk,
        )
    history.record(request, action="disclosure.printed", actor=actor, changes={"records": len(entries)})
    return entries


def _has(record, relation: str) -> bool:
    try:
        getattr(record, relation)
    except (RemovedCommentContent.DoesNotExist, DisposedRecord.DoesNotExist):
        return False
    return True
