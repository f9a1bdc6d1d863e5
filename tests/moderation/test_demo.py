"""The demo data of the archive: a disposal decision in force and holds, loaded once."""

import pytest
from django.core.management import call_command

from branding.models import Branding
from moderation.models import DisposalDecision, Hold, RetentionPeriod
from moderation.selectors import archive as archive_selectors
from moderation.selectors.alerts import open_legal_alerts

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_decision_in_force_and_holds(settings, catalogue):
    settings.DEBUG = True
    call_command("load_demo_data")
    decision = archive_selectors.decision_in_force()
    assert (decision.reference, decision.deciding_body) == ("KS 2026/123", "Kommunstyrelsen")
    assert {p.category for p in decision.retention_periods.all()} == {*"abcdefgh", "other", "inquiry"}
    holds = {h.reference: h for h in archive_selectors.holds_active()}
    assert set(holds) == {"KS 2026/311", "KS 2026/88"}
    assert "utlämnande av allmän handling" in holds["KS 2026/311"].reason
    assert all(h.kind == Hold.Kind.RECORDS and h.records.count() == 1 for h in holds.values())
    counts = (DisposalDecision.objects.count(), RetentionPeriod.objects.count(), Hold.objects.count())
    call_command("load_demo_data")
    assert (DisposalDecision.objects.count(), RetentionPeriod.objects.count(), Hold.objects.count()) == counts


def test_demo_data_shows_a_legal_alert_and_the_graphic_profile(settings, catalogue):
    """The demo has an open alert of a removal required by law, and the municipality's graphic profile."""
    settings.DEBUG = True
    call_command("load_demo_data")
    open_categories = {record.category for record in open_legal_alerts()}
    assert {"b", "d"} <= open_categories
    assert Branding.objects.get().logo_type == "image/svg+xml"
