"""The demo data of the archive: a disposal decision in force and holds, loaded once."""

import pytest
from django.core.management import call_command

from moderation.models import DisposalDecision, Hold, RetentionPeriod
from moderation.selectors import archive as archive_selectors

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_decision_in_force_and_holds(settings, catalogue):
    settings.DEBUG = True
    call_command("load_demo_data")
    decision = archive_selectors.decision_in_force()
    assert (decision.reference, decision.deciding_body) == ("KS 2026/123", "Kommunstyrelsen")
    assert {p.category for p in decision.retention_periods.all()} == {"a", "b", "c", "d", "e", "f", "g", "h", "other"}
    holds = {h.reference: h for h in archive_selectors.holds_active()}
    assert set(holds) == {"KS 2026/311", "KS 2026/88"}
    assert "utlämnande av allmän handling" in holds["KS 2026/311"].reason
    assert all(h.kind == Hold.Kind.RECORDS and h.records.count() == 1 for h in holds.values())
    counts = (DisposalDecision.objects.count(), RetentionPeriod.objects.count(), Hold.objects.count())
    call_command("load_demo_data")
    assert (DisposalDecision.objects.count(), RetentionPeriod.objects.count(), Hold.objects.count()) == counts
