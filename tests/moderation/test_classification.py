"""The effective classification: one definition, and every path reads it.

A correction to h protects the original; a correction from g to b keeps it 24 months.
"""

import csv
import io
import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from moderation import classification
from moderation.exports import database_csv, package, table
from moderation.models import Category, RemovedComment
from moderation.selectors import archive as archive_selectors
from moderation.selectors import log as log_selectors
from moderation.services import decisions as decision_services
from moderation.services import disclosure as disclosure_services
from moderation.services import disposal as disposal_services
from moderation.services import log as log_services

from .conftest import png_upload

pytestmark = pytest.mark.django_db

SECRET = "Grannens personnummer är 19700101-1234."


def _fresh(pk) -> RemovedComment:
    """A record without annotations: its classification comes from the Python form."""
    return RemovedComment.objects.get(pk=pk)


def test_python_and_sql_agree_for_every_pair_of_reasons(world):
    """For an original with each reason and an addendum with each reason, both forms give the same answer."""
    web = world.users["web_team"]
    now = timezone.now()
    periods = {"a": 12, "b": 24, "c": 24, "d": 24, "e": 24, "f": 3, "g": 3, "h": 60}  # "other" not covered
    for original_reason, addendum_reason in itertools.product(Category.values, repeat=2):
        original = log_services.removal_log(
            actor=web,
            channel=world.channel,
            category=original_reason,
            action="deleted",
            removed_at=now - timedelta(minutes=5),
            text="Text.",
            explanation="Förklaring.",
        )
        log_services.addendum_add(actor=web, original=original, explanation="Rättelse.", category=addendum_reason)
    for reason in Category.values:  # groups of one: classified by their own columns in SQL
        log_services.removal_log(
            actor=web,
            channel=world.channel,
            category=reason,
            action="deleted",
            removed_at=now - timedelta(minutes=5),
            text="Text.",
            explanation="Förklaring.",
        )
    annotated = {r.pk: r for r in RemovedComment.objects.with_classification().retention_months(periods)}
    confidential_sql = set(RemovedComment.objects.effectively_confidential().values_list("pk", flat=True))
    law_sql = set(
        RemovedComment.objects.filter(classification.legally_required_condition(RemovedComment)).values_list(
            "pk", flat=True
        )
    )
    assert len(annotated) == 2 * len(Category.values) ** 2 + len(Category.values)
    for pk, record in annotated.items():
        python = _fresh(pk).classification
        assert record.classification == python, (record.category, record.addendum_to_id)
        assert (pk in confidential_sql) is python.confidential
        assert (pk in law_sql) is python.legally_required
        root = record.addendum_to_id or pk
        reasons = [annotated[root].category, *(r.category for r in annotated.values() if r.addendum_to_id == root)]
        assert record.retention_months == classification.retention_months(reasons, periods)
    for category in Category.values:
        sql = set(RemovedComment.objects.of_effective_category(category).values_list("pk", flat=True))
        assert sql == {pk for pk in annotated if _fresh(pk).classification.category == category}


def test_classify_most_protective_wins():
    assert classification.classify([("g", False), ("b", True)]).category == "b"
    assert classification.classify([("b", True), ("g", False)]).category == "b", "a correction cannot lower it"
    assert classification.classify([("a", False), ("h", False)]).confidential is True
    assert classification.classify([("h", False), ("b", True)]) == classification.Classification(
        category="h", legally_required=True, confidential=True, reclassified=True
    )
    assert classification.retention_months(["g", "b"], {"g": 3, "b": 24}) == 24
    assert classification.retention_months(["g", "other"], {"g": 3}) is None, "an uncovered reason keeps it"


@pytest.fixture
def reclassified(world):
    """The writer logged a comment as a (with a screenshot); the web team corrected the reason to h."""
    original = log_services.removal_log(
        actor=world.users["writer"],
        channel=world.channel,
        category="a",
        action="deleted",
        removed_at=timezone.now() - timedelta(minutes=5),
        text=SECRET,
        author_name="Granne Grannsson",
        attachments=[png_upload()],
    )
    log_services.addendum_add(
        actor=world.users["web_team"], original=original, explanation="Innehåller sekretessuppgifter.", category="h"
    )
    return original


@pytest.mark.parametrize("role", ["manager", "web_team"])
def test_h_addendum_hides_the_originals_content(client, world, reclassified, role):
    """Others than archivists and the person who logged it no longer read the original's text, author or screenshot."""
    client.force_login(world.users[role])
    response = client.get(reclassified.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and response.context["content"] is None
    assert "19700101" not in html and "Grannsson" not in html
    assert client.get(reverse("moderation:attachment_download", args=[reclassified.pk, 1])).status_code == 403


def test_h_addendum_hides_the_originals_content_from_another_writer(client, world, reclassified):
    """A writer on the channel who did not log it does not read it either."""
    from tests.factories import MandateFactory, UserFactory

    other = UserFactory(username="skribent2")
    MandateFactory(
        employee=other,
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=world.mandate.valid_from,
        valid_until=world.mandate.valid_until,
        acknowledged_at=world.mandate.acknowledged_at,
    )
    client.force_login(other)
    response = client.get(reclassified.get_absolute_url())
    assert response.status_code == 200 and response.context["content"] is None


def test_archivist_and_logger_still_read_it(client, world, reclassified):
    for role in ("archivist", "writer"):
        client.force_login(world.users[role])
        assert "19700101" in client.get(reclassified.get_absolute_url()).content.decode()


def test_record_page_says_it_was_reclassified(client, world, reclassified):
    client.force_login(world.users["web_team"])
    response = client.get(reclassified.get_absolute_url())
    html = response.content.decode()
    assert 'id="reclassified"' in html
    assert str(Category("h").label) in html
    assert response.context["record"].classification.reclassified is True


@pytest.mark.parametrize("role", ["manager", "web_team"])
def test_search_does_not_find_the_reclassified_original(client, world, reclassified, role):
    client.force_login(world.users[role])
    url = reverse("moderation:record_list")
    assert list(client.get(url, {"q": "personnummer"}).context["page"].items) == []
    assert list(client.get(url, {"q": "Grannsson"}).context["page"].items) == []
    client.force_login(world.users["archivist"])
    assert [r.pk for r in client.get(url, {"q": "personnummer"}).context["page"].items] == [reclassified.pk]


def test_list_shows_and_filters_the_reason_in_effect(client, world, reclassified):
    client.force_login(world.users["web_team"])
    url = reverse("moderation:record_list")
    items = client.get(url, {"category": "h"}).context["page"].items
    assert reclassified.pk in [r.pk for r in items]
    assert reclassified.pk not in [r.pk for r in client.get(url, {"category": "a"}).context["page"].items]
    row = next(r for r in items if r.pk == reclassified.pk)
    assert row.classification.confidential and row.classification.reclassified


def test_exports_mark_the_reclassified_original_confidential(world, reclassified):
    qs = table.records_for_export(user=world.users["web_team"], filters=log_selectors.Filters())
    rows = {r["id"]: r for r in table.export_rows(qs, reveal_confidential=False)}
    original = rows[reclassified.pk]
    assert original["confidential"] is True and original["effective_category"] == "h"
    assert original["category"] == "a", "the reason as logged stays"
    assert SECRET not in (original["text"] or "") and original["author_name"] is None
    # The CSV the database formats.
    for delimiter in (",", ";"):
        data = b"".join(database_csv.export_csv(qs, delimiter=delimiter, reveal_confidential=False)).decode("utf-8-sig")
        parsed = {r["id"]: r for r in csv.DictReader(io.StringIO(data, newline=""), delimiter=delimiter)}
        assert parsed[str(reclassified.pk)]["confidential"] == "true"
        assert parsed[str(reclassified.pk)]["effective_category"] == "h"
        assert "19700101" not in data


def test_xlsx_export_marks_the_reclassified_original_confidential(client, world, reclassified):
    client.force_login(world.users["web_team"])
    response = client.get(reverse("moderation:export_download"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    original = next(r for r in rows if r["id"] == reclassified.pk)
    assert original["confidential"] is True and "19700101" not in str(original["text"])


def test_eark_package_marks_the_reclassified_original_confidential(world, reclassified, tmp_path):
    summary = package.build_package(RemovedComment.objects.all(), tmp_path / "pkg")
    assert summary.confidential == 2, "the original and its addendum"
    data = tmp_path / "pkg" / "representations" / "rep1" / "data"
    ns = {"r": package.RECORDS_NS}
    element = ET.parse(data / "records.xml").getroot().find(f"r:record[@id='{reclassified.pk}']", ns)  # noqa: S314
    assert element.get("confidential") == "true"
    assert element.find("r:reclassified", ns).get("category") == "h"
    assert package.verify_package(tmp_path / "pkg") == [], "the hashed fields are as logged"


def test_disclosure_copy_needs_a_review_of_the_reclassified_original(world, reclassified):
    archivist = world.users["archivist"]
    request = disclosure_services.disclosure_create(
        actor=archivist, received_on=timezone.localdate(), description="Kommentaren.", records=[reclassified]
    )
    with pytest.raises(ValidationError) as excinfo:
        disclosure_services.disclosure_copy(actor=archivist, request=request)
    assert excinfo.value.code == "review_missing"


def test_statistics_count_the_reason_in_effect(world, reclassified):
    stats = log_selectors.statistics(user=world.users["web_team"])
    totals = {row["category"]: row["total"] for row in stats["category_totals"]}
    assert totals[Category("h").label] == 1 and totals[Category("a").label] == 0


def test_g_corrected_to_b_is_not_disposed_of_after_three_months(world):
    """Retention follows the correction: g (3 months) corrected to b (24 months) is kept 24 months."""
    archivist = world.users["archivist"]
    removed = datetime(2025, 3, 10, 10, tzinfo=UTC)
    with time_machine.travel(removed + timedelta(minutes=1), tick=False):
        original = log_services.removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category="g",
            action="deleted",
            removed_at=removed,
            text="Köp nu!",
        )
        log_services.addendum_add(
            actor=world.users["web_team"], original=original, explanation="Det var hets, inte reklam.", category="b"
        )
        decision_services.decision_register(
            actor=archivist,
            reference="KS 2025/17",
            deciding_body="Kommunstyrelsen",
            decided_on=date(2025, 1, 1),
            in_force_from=date(2025, 1, 1),
            in_force_until=None,
            scope="Borttagna kommentarer.",
            retention={"g": 3, "b": 24},
        )
    decision = archive_selectors.decision_in_force(date(2025, 7, 1))
    assert disposal_services.record_disposable_from(original, decision) == date(2027, 3, 10)
    with time_machine.travel(datetime(2025, 7, 1, 10, tzinfo=UTC), tick=False):
        assert disposal_services.disposal_preview().record_ids == []
    with time_machine.travel(datetime(2027, 3, 9, 10, tzinfo=UTC), tick=False):
        assert disposal_services.disposal_preview().record_ids == []
    with time_machine.travel(datetime(2027, 3, 10, 10, tzinfo=UTC), tick=False):
        preview = disposal_services.disposal_preview()
        assert preview.original_ids == [original.pk] and len(preview.addendum_ids) == 1
        assert [row[3] for row in preview.by_category if row[0] == "b"] == [1]
