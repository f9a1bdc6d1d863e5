"""Disposal decisions (4:7): registering one, overlaps refused, and ending one (brought forward only)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from moderation.selectors import archive as archive_selectors
from moderation.services import decisions as decision_services
from moderation.services import disposal as disposal_services

from .conftest import (
    LATE_ON_10_MARCH,
    ON_11_MARCH_2026,
)

pytestmark = pytest.mark.django_db


def test_overlapping_decisions_are_refused(decision, archivist):
    with pytest.raises(ValidationError) as excinfo:
        decision_services.decision_register(
            actor=archivist,
            reference="KS 2026/1",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2026, 1, 1),
            in_force_from=date(2026, 1, 1),
            in_force_until=None,
            scope="Alla.",
            retention={"a": 6},
        )
    assert excinfo.value.code == "overlap"


def test_decision_end_brings_the_end_forward_only(decision, archivist):
    """A decision ends on its last day; an end is brought forward, never pushed back or before its start."""
    from registry.models import HistoryEntry

    with pytest.raises(ValidationError) as excinfo:
        decision_services.decision_end(actor=archivist, decision=decision, last_day=date(2024, 12, 31))
    assert excinfo.value.code == "end_before_start"
    decision_services.decision_end(actor=archivist, decision=decision, last_day=date(2026, 6, 30))
    decision.refresh_from_db()
    assert decision.in_force_until == date(2026, 6, 30)
    assert archive_selectors.decision_in_force(date(2026, 6, 30)) == decision
    assert archive_selectors.decision_in_force(date(2026, 7, 1)) is None
    for later in (date(2026, 6, 30), date(2027, 1, 1)):
        with pytest.raises(ValidationError) as excinfo:
            decision_services.decision_end(actor=archivist, decision=decision, last_day=later)
        assert excinfo.value.code == "already_ends"
    decision_services.decision_end(actor=archivist, decision=decision, last_day=date(2026, 3, 31))
    changes = list(
        HistoryEntry.objects.filter(object_id=decision.pk, action="decision.ended").values_list("changes", flat=True)
    )
    assert len(changes) == 2
    # A successor may now follow from the day after.
    decision_services.decision_register(
        actor=archivist,
        reference="KS 2026/200",
        deciding_body="Kommunstyrelsen",
        decided_on=date(2026, 3, 15),
        in_force_from=date(2026, 4, 1),
        in_force_until=None,
        scope="Borttagna kommentarer.",
        retention={"a": 6},
    )


def test_decision_cannot_end_before_a_run_under_it(world, logged_at, decision, archivist):
    logged_at(LATE_ON_10_MARCH)
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        disposal_services.disposal_apply(actor=archivist)
    with pytest.raises(ValidationError) as excinfo:
        decision_services.decision_end(actor=archivist, decision=decision, last_day=date(2026, 3, 10))
    assert excinfo.value.code == "end_before_run"
    decision = decision_services.decision_end(actor=archivist, decision=decision, last_day=date(2026, 3, 11))
    assert decision_services.decision_can_end(decision, today=date(2026, 3, 11))
    assert not decision_services.decision_can_end(decision, today=date(2026, 3, 12))


@pytest.mark.parametrize("role", ["employee", "writer", "manager", "web_team", "admin"])
def test_only_archivists_end_decisions(world, role, decision):
    with pytest.raises(PermissionDenied):
        decision_services.decision_end(actor=world.users[role], decision=decision, last_day=date(2026, 12, 31))
    decision.refresh_from_db()
    assert decision.in_force_until is None
