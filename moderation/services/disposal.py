"""Disposal (gallring, 4:7): under the one disposal decision in force, what is due and its destruction.

Disposal in one sentence: under the one disposal decision in force today, an original
record (and its addenda) whose category the decision covers is disposed of once its
retention period has run from the day the comment was removed (Europe/Stockholm), unless a
hold that is not lifted covers it; disposal deletes its content and screenshots (rows and
files) and writes a ``DisposedRecord``, leaving the record row (the tombstone, with its
hash) untouched, so the hash chain still verifies.

Inquiries (section 5) are disposed of in the same run, under the same decision: an inquiry
is due once the decision's ``inquiry`` retention has run from the day it was registered
(Europe/Stockholm), unless a hold that is not lifted names it; disposal writes a
``DisposedInquiry`` and deletes its ``InquiryContent`` (question, asker, place, screenshot)
and its addenda's text, leaving the inquiry (number, unit, dates, registrar's address, who
registered it) and its addenda's authors and times.
"""

import calendar
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.models import DisposedInquiry, Inquiry, InquiryAddendumContent, InquiryContent
from norsjo.dates import add_months, day_start
from registry import history

from .. import classification, permissions
from ..models import (
    Category,
    DisposalDecision,
    DisposalRun,
    DisposedRecord,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
)
from ..models.archive import INQUIRY_RETENTION
from ..selectors import archive as archive_selectors
from . import holds
from .log import record_access_log

log = logging.getLogger(__name__)

ERRORS = {
    "no_decision": _("No disposal decision is in force today: nothing can be disposed of."),
    "preview_stale": _(
        "The records to dispose of have changed since the preview. Look at the new preview and confirm again."
    ),
    "nothing_to_dispose": _("There is nothing to dispose of today."),
}

BATCH = 500


def retention_cutoff(today: date, months: int) -> date:
    """Return the last removal day whose retention of *months* has run by *today*.

    A record removed on day ``d`` may be disposed of from ``add_months(d, months)`` on.
    """
    cutoff = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        # Removed on the 29th-31st, kept until the end of a shorter month: all have run.
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


@dataclass
class DisposalPreview:
    """What a disposal run would destroy on *as_of*, under *decision*; its fingerprint guards the confirmation."""

    decision: DisposalDecision | None
    as_of: date
    original_ids: list[int] = field(default_factory=list)
    addendum_ids: list[int] = field(default_factory=list)
    by_category: list[tuple[str, str, int, int, date]] = field(default_factory=list)
    held_count: int = 0
    # Inquiries (section 5): the decision's retention for them (None: not covered) and its cutoff.
    inquiry_ids: list[int] = field(default_factory=list)
    inquiry_months: int | None = None
    inquiry_cutoff: date | None = None
    inquiry_held_count: int = 0

    @property
    def record_ids(self) -> list[int]:
        return sorted(self.original_ids + self.addendum_ids)

    @property
    def record_count(self) -> int:
        """Removed comments due: originals and their addenda."""
        return len(self.original_ids) + len(self.addendum_ids)

    @property
    def count(self) -> int:
        """Everything due: removed comments and inquiries."""
        return self.record_count + len(self.inquiry_ids)

    @property
    def fingerprint(self) -> str:
        """A short digest of exactly which records would go: a confirmation is for this set only."""
        digest = hashlib.sha256()
        digest.update(f"{self.decision.pk if self.decision else 0}:{self.as_of}:".encode())
        for pk in self.record_ids:
            digest.update(f"{pk},".encode())
        digest.update(b"inquiries:")
        for pk in self.inquiry_ids:
            digest.update(f"{pk},".encode())
        return digest.hexdigest()[:32]


def retention_periods(decision: DisposalDecision) -> dict[str, int]:
    """Return the decision's retention in months per reason."""
    return {period.category: period.months for period in decision.retention_periods.all()}


def record_disposable_from(record: RemovedComment, decision: DisposalDecision) -> date | None:
    """Return the first day *record* may be disposed of under *decision*; None while it is not covered.

    The effective retention (the longest of the reasons of the record and its addenda,
    ``classification.retention_months``) counted from the day the comment was removed.
    """
    root = record.addendum_to or record
    reasons = [root.category, *root.addenda.values_list("category", flat=True)]
    months = classification.retention_months(reasons, retention_periods(decision))
    if months is None:
        return None
    return add_months(timezone.localdate(root.removed_at), months)


def _eligible(decision: DisposalDecision, today: date) -> QuerySet[RemovedComment]:
    """Return the original records past their effective retention under *decision*, not yet disposed of.

    The effective retention is the longest among the reasons of the record and its addenda
    (``moderation.classification``): a record corrected from g (3 months) to b (24 months)
    is kept 24 months; one with a reason the decision does not cover is kept.
    """
    periods = retention_periods(decision)
    periods.pop(INQUIRY_RETENTION, None)
    if not periods:
        return RemovedComment.objects.none()
    # Nothing is due before the shortest retention has run: this bound keeps the scan short.
    shortest = retention_cutoff(today, min(periods.values()))
    candidates = RemovedComment.objects.filter(
        addendum_to__isnull=True,
        disposal__isnull=True,
        category__in=list(periods),
        removed_at__lt=day_start(shortest + timedelta(days=1)),
    ).retention_months(periods)
    due = Q()
    for months in sorted(set(periods.values())):
        cutoff = retention_cutoff(today, months)
        due |= Q(retention_months=months, removed_at__lt=day_start(cutoff + timedelta(days=1)))
    return candidates.filter(due)


def inquiry_disposable_from(inquiry: Inquiry, decision: DisposalDecision) -> date | None:
    """Return the first day *inquiry* may be disposed of under *decision*; None while it is not covered.

    The decision's ``inquiry`` retention counted from the day the inquiry was registered
    (Europe/Stockholm): the day it became a public record, which the registrar's list shows
    and no one can backdate (the time asked is the employee's statement).
    """
    months = retention_periods(decision).get(INQUIRY_RETENTION)
    if months is None:
        return None
    return add_months(timezone.localdate(inquiry.registered_at), months)


def _inquiries_due(decision: DisposalDecision, today: date) -> QuerySet[Inquiry]:
    """Return the inquiries past the decision's inquiry retention on *today*, not yet disposed of (holds aside)."""
    months = retention_periods(decision).get(INQUIRY_RETENTION)
    if months is None:
        return Inquiry.objects.none()
    cutoff = retention_cutoff(today, months)
    return Inquiry.objects.filter(disposal__isnull=True, registered_at__lt=day_start(cutoff + timedelta(days=1)))


def _preview_inquiries(preview: DisposalPreview) -> None:
    """Fill in the inquiries due under *preview*'s decision: those past their retention, held ones left out."""
    months = retention_periods(preview.decision).get(INQUIRY_RETENTION)
    if months is None:
        return
    preview.inquiry_months = months
    preview.inquiry_cutoff = retention_cutoff(preview.as_of, months)
    candidates = _inquiries_due(preview.decision, preview.as_of)
    held = candidates.filter(holds.inquiry_held_condition())
    preview.inquiry_held_count = held.count()
    preview.inquiry_ids = list(candidates.exclude(pk__in=held.values("pk")).order_by("pk").values_list("pk", flat=True))


def disposal_preview(*, on: date | None = None) -> DisposalPreview:
    """Return what a disposal run would destroy today: which records, how many, under which decision."""
    today = on or timezone.localdate()
    decision = archive_selectors.decision_in_force(today)
    preview = DisposalPreview(decision=decision, as_of=today)
    if decision is None:
        return preview
    candidates = _eligible(decision, today)
    held = candidates.filter(holds.held_condition()).values("pk")
    eligible = candidates.exclude(pk__in=held)
    preview.held_count = candidates.filter(pk__in=held).count()
    preview.original_ids = list(eligible.order_by("pk").values_list("pk", flat=True))
    preview.addendum_ids = list(
        RemovedComment.objects.filter(addendum_to_id__in=eligible.values("pk"), disposal__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    months = retention_periods(decision)
    labels = dict(Category.choices)
    # Counted under the reason in effect (a record corrected from g to b counts as b).
    counts = dict(
        eligible.with_classification()
        .order_by()
        .values_list("effective_category")
        .annotate(n=Count("pk"))
        .values_list("effective_category", "n")
    )
    for category, label in labels.items():
        if category in months:
            preview.by_category.append(
                (
                    category,
                    str(label),
                    months[category],
                    counts.get(category, 0),
                    retention_cutoff(today, months[category]),
                )
            )
    _preview_inquiries(preview)
    return preview


def _remove_files(names: list[str]) -> None:
    """Delete disposed screenshots from storage (after the commit: a rollback keeps them)."""
    still_used = set()
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        still_used |= set(RemovedCommentAttachment.objects.filter(file__in=chunk).values_list("file", flat=True))
        still_used |= set(InquiryContent.objects.filter(screenshot__in=chunk).values_list("screenshot", flat=True))
    for name in names:
        if name in still_used:
            continue
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged for the operator; the row is already gone
            log.exception("Disposal: could not delete the file %s from storage", name)


# Names given by attachment_path (a SHA-256), with the suffix the storage adds when a name is taken.
_ATTACHMENT_NAME = re.compile(r"moderation/[0-9a-f]{2}/[0-9a-f]{64}(?:_[A-Za-z0-9]{7})?\.(?:png|jpg|gif|webp|pdf)")


ORPHAN_GRACE = timedelta(hours=24)


def _stored_attachment_files() -> Iterator[str]:
    """Yield the names of the screenshot files in storage (those attachment_path names, nothing else)."""
    try:
        folders, _files = default_storage.listdir("moderation")
    except FileNotFoundError:
        return
    for folder in sorted(folders):
        _dirs, files = default_storage.listdir(f"moderation/{folder}")
        for name in sorted(files):
            path = f"moderation/{folder}/{name}"
            if _ATTACHMENT_NAME.fullmatch(path):
                yield path


def orphaned_files_sweep(*, dry_run: bool = False, grace: timedelta = ORPHAN_GRACE) -> list[str]:
    """Delete screenshot files that no attachment row refers to any more; return their names.

    They are left when a process dies between a disposal's commit and the removal of its
    files (``_remove_files`` runs after the commit), or when logging a removal fails after its
    files were stored. Only files older than *grace* are touched: a removal being logged right
    now stores its files before its transaction commits the rows that refer to them.
    """
    cutoff = timezone.now() - grace
    candidates = [name for name in _stored_attachment_files() if default_storage.get_modified_time(name) < cutoff]
    orphans: list[str] = []
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start : start + BATCH]
        used = set(RemovedCommentAttachment.objects.filter(file__in=chunk).values_list("file", flat=True))
        orphans += [name for name in chunk if name not in used]
    if dry_run:
        return orphans
    for name in orphans:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged for the operator; the next sweep tries again
            log.exception("Sweep: could not delete the orphaned file %s", name)
        else:
            log.warning("Sweep: deleted %s, a screenshot file no record refers to", name)
    return orphans


def disposal_apply(
    *,
    actor,
    source: str = DisposalRun.Source.SCREEN,
    on: date | None = None,
    expected_fingerprint: str | None = None,
    request=None,
) -> DisposalRun:
    """Dispose of every record due today under the decision in force, in one transaction.

    With *expected_fingerprint* (the preview the archivist confirmed) the run refuses to go
    on if the set of records has changed since. Files are removed from storage only once
    the transaction has committed, so a failure anywhere leaves rows and files as they were.
    The run is recorded in the access log (``record.disposal``) with *request* (None from
    the command) once it has committed.
    """
    permissions.require_archive_manager(actor)
    with transaction.atomic():
        preview = disposal_preview(on=on)
        if preview.decision is None:
            raise ValidationError(ERRORS["no_decision"], code="no_decision")
        if expected_fingerprint is not None and expected_fingerprint != preview.fingerprint:
            raise ValidationError(ERRORS["preview_stale"], code="preview_stale")
        if not preview.count:
            raise ValidationError(ERRORS["nothing_to_dispose"], code="nothing_to_dispose")
        now = timezone.now()
        decision = preview.decision
        ids = preview.record_ids
        run = DisposalRun.objects.create(
            decision=decision,
            as_of=preview.as_of,
            executed_at=now,
            executed_by=actor,
            source=source,
            record_count=len(ids),
            inquiry_count=len(preview.inquiry_ids),
            file_count=0,
        )
        files: list[str] = []
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            # The disposal rows first: the database triggers refuse deleting content without them.
            DisposedRecord.objects.bulk_create(
                [
                    DisposedRecord(
                        record_id=pk,
                        disposed_at=now,
                        disposed_by=actor,
                        decision_reference=decision.reference,
                        decision=decision,
                        run=run,
                    )
                    for pk in chunk
                ]
            )
            attachments = RemovedCommentAttachment.objects.filter(record_id__in=chunk)
            files += list(attachments.values_list("file", flat=True))
            # _raw_delete: one DELETE, no signals, no cascade; the querysets refuse delete() on purpose.
            attachments._raw_delete(attachments.db)
            contents = RemovedCommentContent.objects.filter(record_id__in=chunk)
            contents._raw_delete(contents.db)
        files += _dispose_inquiries(preview.inquiry_ids, run=run, actor=actor, now=now)
        DisposalRun.objects.filter(pk=run.pk).update(file_count=len(files))
        run.file_count = len(files)
        history.record(
            run,
            action="disposal.executed",
            actor=actor,
            changes={
                "decision": decision.reference,
                "records": len(ids),
                "inquiries": run.inquiry_count,
                "files": len(files),
                "as_of": str(run.as_of),
            },
        )
        transaction.on_commit(lambda: _remove_files(files))
    record_access_log(
        request=request,
        actor=actor,
        action="disposal",
        run=run.pk,
        decision=decision.reference,
        source=source,
        as_of=str(run.as_of),
        record_count=len(ids),
        inquiry_count=run.inquiry_count,
        file_count=len(files),
    )
    return run


def _dispose_inquiries(inquiry_ids: list[int], *, run: DisposalRun, actor, now) -> list[str]:
    """Dispose of the inquiries *inquiry_ids* within *run*'s transaction; return their screenshot files."""
    files: list[str] = []
    for start in range(0, len(inquiry_ids), BATCH):
        chunk = inquiry_ids[start : start + BATCH]
        # The disposal rows first: the database triggers refuse deleting content without them.
        DisposedInquiry.objects.bulk_create(
            [
                DisposedInquiry(
                    inquiry_id=pk,
                    disposed_at=now,
                    disposed_by=actor,
                    decision_reference=run.decision.reference,
                    decision=run.decision,
                    run=run,
                )
                for pk in chunk
            ]
        )
        contents = InquiryContent.objects.filter(inquiry_id__in=chunk)
        files += [name for name in contents.values_list("screenshot", flat=True) if name]
        # Addenda may name people too: their text goes with the inquiry, their author and time stay.
        texts = InquiryAddendumContent.objects.filter(addendum__inquiry_id__in=chunk)
        texts._raw_delete(texts.db)
        contents._raw_delete(contents.db)
    return files
