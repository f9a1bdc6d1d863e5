"""Holds: what a hold covers is never disposed of until it is lifted; a hold needs a scope and is lifted once."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from moderation.models import (
    Hold,
    RemovedCommentContent,
)
from moderation.services import disposal as disposal_services
from moderation.services import holds as hold_services
from moderation.services import log as log_services

from .conftest import (
    EARLY_ON_11_MARCH,
    LATE_ON_10_MARCH,
    ON_11_MARCH_2026,
    due_ids,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["records", "channel", "period", "addendum"])
def test_held_records_are_never_disposed_of_until_the_hold_is_lifted(world, logged_at, decision, archivist, kind):
    record = logged_at(LATE_ON_10_MARCH)
    other = logged_at(LATE_ON_10_MARCH, channel=world.other_channel)
    kwargs = {"records": [record]}
    if kind == "channel":
        kwargs = {"channel": world.channel}
    elif kind == "period":
        # Stockholm days: 10 March holds the late record, not one from the 11th.
        kwargs = {"period_from": date(2025, 3, 10), "period_until": date(2025, 3, 10)}
        other = logged_at(EARLY_ON_11_MARCH)
    elif kind == "addendum":
        addendum = log_services.addendum_add(actor=world.users["web_team"], original=record, explanation="Polisanmäld.")
        kwargs = {"records": [addendum]}
        kind = "records"
    hold = hold_services.hold_place(actor=archivist, kind=kind, reason="Polisanmälan K123-25.", **kwargs)
    due = due_ids(ON_11_MARCH_2026)
    assert record.pk not in due and other.pk in due
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        disposal_services.disposal_apply(actor=archivist)
    assert RemovedCommentContent.objects.filter(record=record).exists()
    hold_services.hold_lift(actor=archivist, hold=hold, reason="Ärendet avslutat.")
    assert record.pk in due_ids(ON_11_MARCH_2026)
    actions = list(
        __import__("registry.models", fromlist=["HistoryEntry"])
        .HistoryEntry.objects.filter(object_id=hold.pk, action__startswith="hold.")
        .values_list("action", flat=True)
    )
    assert sorted(actions) == ["hold.lifted", "hold.placed"]


def test_hold_needs_a_scope_and_is_lifted_once(world, archivist):
    with pytest.raises(ValidationError) as excinfo:
        hold_services.hold_place(actor=archivist, kind="records", records=[], reason="Begäran.")
    assert excinfo.value.code == "hold_scope"
    hold = hold_services.hold_place(actor=archivist, kind="channel", channel=world.channel, reason="Begäran.")
    hold_services.hold_lift(actor=archivist, hold=hold, reason="Klar.")
    with pytest.raises(ValidationError) as excinfo:
        hold_services.hold_lift(actor=archivist, hold=hold, reason="Igen.")
    assert excinfo.value.code == "hold_lifted"
    assert Hold.objects.get().lifted_by == archivist
