"""Holds (a pending request, a police report, a complaint): what a hold covers is never disposed of.

``held_condition`` is the one rule of what the holds cover among removed comments, and
``inquiry_held_condition`` among inquiries (only holds that name them: channel and period
holds are about removals); ``disposal_preview`` excludes both.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry
from registry import history

from .. import permissions
from ..models import Hold, RemovedComment
from ..selectors import archive as archive_selectors

ERRORS = {
    "hold_scope": _("Say what the hold covers: choose records, inquiries, a channel or a period."),
    "hold_lifted": _("This hold has already been lifted."),
    "lift_reason": _("Give the reason for lifting the hold."),
}


@transaction.atomic
def hold_place(
    *,
    actor,
    kind: str,
    reason: str,
    reference: str = "",
    records: Iterable[RemovedComment] = (),
    inquiries: Iterable[Inquiry] = (),
    channel=None,
    period_from: date | None = None,
    period_until: date | None = None,
) -> Hold:
    """Put a hold on records, inquiries, a channel or a period: nothing it covers is disposed of until it is lifted."""
    permissions.require_archive_manager(actor)
    records = list(records)
    inquiries = list(inquiries)
    if (
        (kind == Hold.Kind.RECORDS and not records)
        or (kind == Hold.Kind.INQUIRIES and not inquiries)
        or (kind == Hold.Kind.CHANNEL and channel is None)
        or (kind == Hold.Kind.PERIOD and (period_from is None or period_until is None))
    ):
        raise ValidationError(ERRORS["hold_scope"], code="hold_scope")
    if kind == Hold.Kind.PERIOD and period_until < period_from:
        raise ValidationError(
            {"period_until": ValidationError(_("The period must end on or after its first day."), code="period_order")}
        )
    hold = Hold(
        kind=kind,
        reason=reason.strip(),
        reference=reference.strip(),
        channel=channel if kind == Hold.Kind.CHANNEL else None,
        period_from=period_from if kind == Hold.Kind.PERIOD else None,
        period_until=period_until if kind == Hold.Kind.PERIOD else None,
        placed_by=actor,
    )
    hold.full_clean()
    hold.save()
    if kind == Hold.Kind.RECORDS:
        hold.records.set(records)
    if kind == Hold.Kind.INQUIRIES:
        hold.inquiries.set(inquiries)
    history.record(
        hold,
        action="hold.placed",
        actor=actor,
        reason=hold.reason,
        changes={
            "kind": kind,
            "records": [r.pk for r in records] if kind == Hold.Kind.RECORDS else [],
            "inquiries": [i.number for i in inquiries] if kind == Hold.Kind.INQUIRIES else [],
            "channel": channel.pk if channel is not None and kind == Hold.Kind.CHANNEL else None,
            "period": [str(period_from), str(period_until)] if kind == Hold.Kind.PERIOD else None,
        },
    )
    return hold


@transaction.atomic
def hold_lift(*, actor, hold: Hold, reason: str) -> Hold:
    """Lift a hold, with the reason: what it covered may be disposed of again when due."""
    permissions.require_archive_manager(actor)
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(ERRORS["hold_lifted"], code="hold_lifted")
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(ERRORS["lift_reason"], code="lift_reason")})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    history.record(hold, action="hold.lifted", actor=actor, reason=hold.lift_reason)
    return hold


def held_condition() -> Q:
    """Return a condition matching original records that an active hold covers (directly or via an addendum).

    Every kind of hold is a subquery of the condition, so building it reads nothing and its SQL
    has one shape whatever holds exist (a caller may compile it once): a period covers what was
    removed from its first day to its last, as days in the municipality's time zone.
    """
    active = archive_selectors.holds_active()
    held_ids = Hold.records.through.objects.filter(hold__lifted_at__isnull=True).values("removedcomment_id")
    channels = active.filter(kind=Hold.Kind.CHANNEL).values("channel_id")
    removed_on = TruncDate(ExpressionWrapper(OuterRef("removed_at"), output_field=DateTimeField()))
    periods = active.filter(kind=Hold.Kind.PERIOD, period_from__lte=removed_on, period_until__gte=removed_on)
    return Q(pk__in=held_ids) | Q(addenda__pk__in=held_ids) | Q(channel_id__in=channels) | Q(Exists(periods))


def inquiry_held_condition() -> Q:
    """Return a condition matching inquiries that an active hold names (a hold of kind "inquiries")."""
    held_ids = Hold.inquiries.through.objects.filter(hold__lifted_at__isnull=True).values("inquiry_id")
    return Q(pk__in=held_ids)
