"""The open alerts of removals required by law (b–e), for the web team's and archivists' start pages.

Derived from data each time: an original record whose group is required by law (its effective
classification, so an addendum reclassifying into b–e counts) is open until both next steps
are done — a police report recorded (``PoliceReport``) and an active hold covering it
(``services.holds.held_condition``, the one rule of holds) — or someone marked it handled.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from .. import permissions
from ..models import LegalAlertHandled, PoliceReport, RemovedComment
from ..services.holds import held_condition

LIMIT = 20


@dataclass(frozen=True)
class LegalAlert:
    record: RemovedComment
    police_report: bool
    held: bool

    @property
    def hold_url(self) -> str:
        return hold_form_path(self.record)


def hold_form_path(record: RemovedComment) -> str:
    """Return the hold form's address filled in for *record* (the alert's second step)."""
    return f"{reverse('moderation:hold_create')}?kind=records&records={record.sequence}&from_alert=1"


def _required_by_law():
    # Originals whose effective classification (moderation.classification, the one rule) is required by law.
    return RemovedComment.objects.with_classification().filter(
        addendum_to__isnull=True, effective_legally_required=True
    )


def open_legal_alerts(held: Q | None = None):
    """Return the originals required by law whose alert is still open, newest first, with ``has_police_report``.

    *held* is ``held_condition()`` when the caller has it already (it reads the active holds).
    """
    held = RemovedComment.objects.filter(held if held is not None else held_condition()).values("pk")
    reported = PoliceReport.objects.filter(record_id=OuterRef("pk"))
    return (
        _required_by_law()
        .annotate(has_police_report=Exists(reported))
        .exclude(Exists(LegalAlertHandled.objects.filter(record_id=OuterRef("pk"))))
        .exclude(Q(has_police_report=True) & Q(pk__in=held))
        .order_by("-sequence")
    )


def legal_alerts_for(user) -> dict | None:
    """Return the open alerts (at most ``LIMIT``) and their count for the web team and archivists; else None."""
    if not permissions.sees_legal_alerts(user):
        return None
    held = held_condition()  # once: it reads the active holds
    records = list(open_legal_alerts(held).select_related("channel")[:LIMIT])
    held_ids = set(
        RemovedComment.objects.filter(pk__in=[r.pk for r in records]).filter(held).values_list("pk", flat=True)
    )
    return {
        "alerts": [LegalAlert(record=r, police_report=r.has_police_report, held=r.pk in held_ids) for r in records],
        "count": open_legal_alerts(held).count() if len(records) == LIMIT else len(records),
        "can_hold": permissions.can_manage_archive(user),
    }
