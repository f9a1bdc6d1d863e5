"""Disposal decisions (gallringsbeslut, 4:7): registering one with its retention periods, and ending it.

Without a decision in force nothing is disposed of (``moderation.services.disposal``); at
most one decision is in force on any day.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import history

from .. import permissions
from ..models import DisposalDecision, RetentionPeriod

ERRORS = {
    "overlap": _("Another disposal decision is in force during part of this period; end it first."),
    "no_retention": _("Give a retention period for at least one reason."),
    "end_before_start": _("A decision cannot end before it came into force."),
    "already_ends": _("This decision already ends on %(day)s: its end can only be brought forward."),
    "end_before_run": _("Records were disposed of under this decision as of %(day)s: it cannot end before that day."),
}


@transaction.atomic
def decision_register(
    *,
    actor,
    reference: str,
    deciding_body: str,
    decided_on: date,
    in_force_from: date,
    in_force_until: date | None,
    scope: str,
    retention: dict[str, int],
) -> DisposalDecision:
    """Register a disposal decision (4:7) with its retention period per reason; refuse overlapping periods."""
    permissions.require_archive_manager(actor)
    retention = {category: months for category, months in retention.items() if months is not None}
    if not retention:
        raise ValidationError(ERRORS["no_retention"], code="no_retention")
    overlapping = DisposalDecision.objects.filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=in_force_from))
    if in_force_until is not None:
        overlapping = overlapping.filter(in_force_from__lte=in_force_until)
    if overlapping.exists():
        raise ValidationError(ERRORS["overlap"], code="overlap")
    decision = DisposalDecision(
        reference=reference.strip(),
        deciding_body=deciding_body.strip(),
        decided_on=decided_on,
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        scope=scope.strip(),
        registered_by=actor,
    )
    decision.full_clean()
    decision.save()
    RetentionPeriod.objects.bulk_create(
        [RetentionPeriod(decision=decision, category=category, months=months) for category, months in retention.items()]
    )
    history.record(decision, action="decision.registered", actor=actor, changes={"retention": retention})
    return decision


@transaction.atomic
def decision_end(*, actor, decision: DisposalDecision, last_day: date) -> DisposalDecision:
    """End a decision on *last_day* (a new decision may follow); an end may be brought forward, never pushed back.

    Pushing an end back could overlap the decision that follows, and an end before a
    disposal run under the decision would leave the run without a decision in force.
    """
    permissions.require_archive_manager(actor)
    decision = DisposalDecision.objects.select_for_update().get(pk=decision.pk)
    if last_day < decision.in_force_from:
        raise ValidationError(ERRORS["end_before_start"], code="end_before_start")
    if decision.in_force_until is not None and last_day >= decision.in_force_until:
        raise ValidationError(
            ERRORS["already_ends"], code="already_ends", params={"day": decision.in_force_until.isoformat()}
        )
    last_run = decision.runs.order_by("-as_of").values_list("as_of", flat=True).first()
    if last_run is not None and last_day < last_run:
        raise ValidationError(ERRORS["end_before_run"], code="end_before_run", params={"day": last_run.isoformat()})
    before = decision.in_force_until
    decision.in_force_until = last_day
    decision.full_clean()
    decision.save(update_fields=["in_force_until"])
    history.record(
        decision,
        action="decision.ended",
        actor=actor,
        changes={"in_force_until": [str(before) if before else None, str(last_day)]},
    )
    return decision


def decision_can_end(decision: DisposalDecision, today: date | None = None) -> bool:
    """Whether the decision's end can still be set or brought forward: it has not ended before *today*."""
    today = today or timezone.localdate()
    return decision.in_force_until is None or decision.in_force_until >= today
