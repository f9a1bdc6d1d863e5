"""Reads for the archivist's screens: decisions, holds, disposal runs and log, requests for public records.

Every list a view shows comes from a queryset scoped to the person asking: empty for
anyone who may not manage the archive (``permissions.can_manage_archive``), so a view
that fetches an object through one answers "not found" rather than leak it.
"""

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from norsjo.dates import day_start

from .. import permissions
from ..models import (
    DisclosureItem,
    DisclosureRequest,
    DisposalDecision,
    DisposalRun,
    DisposedRecord,
    Hold,
    RecordRead,
    RemovedComment,
)

# Rows per page on the archive's paginated lists.
PAGE_SIZE = 50


def decisions(*, user) -> QuerySet[DisposalDecision]:
    """Return the disposal decisions with their retention periods, newest first (archivists)."""
    if not permissions.can_manage_archive(user):
        return DisposalDecision.objects.none()
    return DisposalDecision.objects.prefetch_related("retention_periods")


def decision_in_force(day: date | None = None) -> DisposalDecision | None:
    """Return the disposal decision in force on *day* (today), if any: at most one is (``decision_register``)."""
    day = day or timezone.localdate()
    return (
        DisposalDecision.objects.filter(in_force_from__lte=day)
        .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day))
        .prefetch_related("retention_periods")
        .first()
    )


def disposal_runs(*, user) -> QuerySet[DisposalRun]:
    """Return the disposal runs, newest first (archivists)."""
    if not permissions.can_manage_archive(user):
        return DisposalRun.objects.none()
    return DisposalRun.objects.select_related("decision", "executed_by")


def disposal_sample(*, user, record_ids: list[int]) -> list[RemovedComment]:
    """Return the records of a disposal preview to show on the confirmation page, oldest first (archivists)."""
    if not permissions.can_manage_archive(user) or not record_ids:
        return []
    return list(RemovedComment.objects.filter(pk__in=record_ids).order_by("sequence"))


def disposal_log(
    *, text: str = "", decision_reference: str = "", disposed_from: date | None = None, disposed_until=None
) -> QuerySet[DisposedRecord]:
    """Return the disposal log (permanent), newest first, searchable by record, channel or decision."""
    qs = DisposedRecord.objects.select_related("record", "disposed_by", "decision", "run").order_by(
        "-disposed_at", "-record_id"
    )
    text = text.strip()
    if text:
        condition = Q(record__channel_name__icontains=text) | Q(decision_reference__icontains=text)
        if text.lstrip("#").isdigit():
            number = int(text.lstrip("#"))
            condition |= Q(record__sequence=number) | Q(record_id=number)
        qs = qs.filter(condition)
    if decision_reference:
        qs = qs.filter(decision_reference=decision_reference)
    if disposed_from:
        qs = qs.filter(disposed_at__gte=day_start(disposed_from))
    if disposed_until:
        qs = qs.filter(disposed_at__lt=day_start(disposed_until + timedelta(days=1)))
    return qs


def holds(*, user) -> QuerySet[Hold]:
    """Return every hold, lifted or not, newest first (archivists)."""
    if not permissions.can_manage_archive(user):
        return Hold.objects.none()
    return Hold.objects.select_related("channel", "channel__platform", "placed_by", "lifted_by").prefetch_related(
        "records", "inquiries"
    )


def holds_active() -> QuerySet[Hold]:
    """Return the holds not lifted: what they cover is never disposed of."""
    return Hold.objects.filter(lifted_at__isnull=True)


def disclosure_requests(*, user) -> QuerySet[DisclosureRequest]:
    """Return the requests for public records, newest first (archivists)."""
    if not permissions.can_manage_archive(user):
        return DisclosureRequest.objects.none()
    return DisclosureRequest.objects.select_related("created_by")


def disclosure_items(request: DisclosureRequest) -> QuerySet[DisclosureItem]:
    """Return a request's items, each record carrying its effective classification (one query, not one per item)."""
    records = RemovedComment.objects.with_classification().select_related("content", "disposal")
    return request.items.select_related("decided_by").prefetch_related(Prefetch("record", queryset=records))


def record_reads(*, user, record_number: int | None = None, person: str = "") -> QuerySet[RecordRead]:
    """Return the read log (who read which record's content or screenshots, or exported it), newest first.

    Searchable by record number and by person (user name, first or last name); archivists only.
    """
    if not permissions.can_read_access_log(user):
        return RecordRead.objects.none()
    qs = RecordRead.objects.select_related("reader", "record").order_by("-read_at", "-id")
    if record_number is not None:
        qs = qs.filter(record__sequence=record_number)
    for word in person.split()[:3]:
        qs = qs.filter(
            Q(reader__username__icontains=word)
            | Q(reader__first_name__icontains=word)
            | Q(reader__last_name__icontains=word)
        )
    return qs
