"""The read log for archivists: who read what, when and from where; searchable, paginated, exportable as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from moderation.models import RecordRead
from moderation.selectors import archive as archive_selectors

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(client, world, log_removal):
    """The web team opens two records' content from 203.0.113.7; the manager opens one."""
    first = log_removal(text="=1+1 ett")
    second = log_removal(text="Två")
    web = client_for(client, world, "web_team")
    for record in (first, second):
        web.get(record.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    client.logout()
    return first, second


def test_record_access_log_keeps_the_address(world, reads, client):
    """RecordRead.address is the client's address as the security log sees it (client_ip)."""
    assert list(RecordRead.objects.values_list("address", flat=True)) == ["203.0.113.7", "203.0.113.7"]


def test_read_log_searches_by_record_and_person(world, log_removal, settings):
    record = log_removal(text="Ett")
    other = log_removal(text="Två")
    RecordRead.objects.create(record=record, reader=world.users["web_team"], what="content", address="192.0.2.1")
    RecordRead.objects.create(record=other, reader=world.users["archivist"], what="attachment", address="192.0.2.2")
    archivist = world.users["archivist"]
    assert [r.record for r in archive_selectors.record_reads(user=archivist, record_number=record.sequence)] == [record]
    assert [r.reader for r in archive_selectors.record_reads(user=archivist, person="arkiv")] == [archivist]
    assert not archive_selectors.record_reads(user=world.users["web_team"]).exists()


def test_read_log_page_and_csv(client, world, log_removal):
    record = log_removal(text="Ett")
    world.users["web_team"].first_name, world.users["web_team"].last_name = "=Webb", "Redaktör"
    world.users["web_team"].save()
    for _ in range(60):
        RecordRead.objects.create(record=record, reader=world.users["web_team"], what="content", address="192.0.2.1")
    client = client_for(client, world, "archivist")
    page = client.get(reverse("moderation:read_log"), {"record": record.sequence})
    assert page.status_code == 200
    content = page.content.decode()
    assert "=Webb Redaktör" in content and "192.0.2.1" in content and "page=2" in content
    bad = client.get(reverse("moderation:read_log"), {"record": "abc"})
    assert bad.status_code == 200 and 'value="abc"' in bad.content.decode()
    response = client.get(reverse("moderation:read_log_export"), {"person": "webb"})
    assert response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 61
    assert rows[1][1] == "'=Webb Redaktör" and rows[1][3] == str(record.sequence) and rows[1][6] == "192.0.2.1"
