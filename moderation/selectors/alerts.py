"""The open alerts of removals required by law (b–e), for the web team's and archivists' start pages.

Derived from data each time: an original record whose group is required by law (its effective
classification, so an addendum reclassifying into b–e counts) is open until both next steps
are done — a police report recorded (``PoliceReport``) and an active hold covering it
(``services.holds.held_condition``, the one rule of holds) — or someone marked it handled.
"""

from dataclasses import dataclass
from functools import partial

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Window
from django.urls import reverse

from norsjo.prepared import PreparedQuery

from .. import permissions
from ..classification import legally_required_condition
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
    return RemovedComment.objects.filter(legally_required_condition(RemovedComment), addendum_to__isnull=True)


def _open(held_ids):
    reported = PoliceReport.objects.filter(record_id=OuterRef("pk"))
    return (
        _required_by_law()
        .annotate(
            has_police_report=Exists(reported),
            is_held=ExpressionWrapper(Q(pk__in=held_ids), output_field=BooleanField()),
        )
        .exclude(Exists(LegalAlertHandled.objects.filter(record_id=OuterRef("pk"))))
        .exclude(has_police_report=True, is_held=True)
        .order_by("-sequence")
    )


def open_legal_alerts(held: Q | None = None):
    """Return the originals required by law whose alert is still open, newest first.

    Each has ``has_police_report`` and ``is_held``, the two next steps.

    *held* is ``held_condition()`` when the caller has it already (it reads the active holds).
    """
    return _open(RemovedComment.objects.filter(held if held is not None else held_condition()).values("pk"))


def _alerts_shown(limit: int):
    # The columns the start page shows, whether each record is reported and held, and how many
    # alerts are open in all (a window over the rows before the limit).
    held_ids = RemovedComment.objects.filter(held_condition()).values("pk")
    return (
        _open(held_ids)
        .annotate(total=Window(Count("pk")))
        .values_list(*_ALERT_FIELDS, "has_police_report", "is_held", "total")[:limit]
    )


_ALERT_FIELDS = ("id", "sequence", "channel_name", "logged_at")
# The start page's alerts: one query of one shape (held_condition reads nothing), compiled once
# per process and LIMIT.
_ALERTS_SHOWN = {}


def legal_alerts_for(user) -> dict | None:
    """Return the open alerts (at most ``LIMIT``) and their count for the web team and archivists; else None."""
    if not permissions.sees_legal_alerts(user):
        return None
    query = _ALERTS_SHOWN.get(LIMIT)
    if query is None:
        query = _ALERTS_SHOWN[LIMIT] = PreparedQuery(partial(_alerts_shown, LIMIT))
    rows = query()
    return {
        "alerts": [
            LegalAlert(
                record=RemovedComment.from_db("default", _ALERT_FIELDS, row[:4]), police_report=row[4], held=row[5]
            )
            for row in rows
        ],
        "count": rows[0][6] if rows else 0,
        "can_hold": permissions.can_manage_archive(user),
    }
