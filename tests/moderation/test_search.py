"""The log search on PostgreSQL leaves the planner's settings as it found them (moderation/search.py)."""

import pytest
from django.db import connection, transaction

from moderation.models import RemovedComment
from moderation.selectors.log import search_records

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner settings are PostgreSQL's")

SETTINGS = "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(SETTINGS)
        return cursor.fetchone()


def _search(text: str) -> list[int]:
    return list(search_records(RemovedComment.objects.all(), text, user=None).values_list("pk", flat=True))


@pytest.mark.django_db
def test_inside_a_transaction_the_settings_are_put_back_as_they_were(world, log_removal):
    record = log_removal(text="Köp billiga klockor här!")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert _settings() == ("off", "on")
    assert _search("klockor") == [record.pk]  # few matches: the ids from the GIN index
    assert _settings() == ("off", "on")
    with transaction.atomic():
        assert _search("klockor") == [record.pk]
        assert _settings() == ("off", "on")


@pytest.mark.django_db(transaction=True)
def test_on_its_own_the_search_leaves_the_connection_as_it_was(world, log_removal):
    record = log_removal(text="Köp billiga klockor här!")
    assert connection.get_autocommit()
    assert _search("klockor") == [record.pk]
    assert _settings() == ("on", "on")
    assert _search("finnsinte") == []
    assert _settings() == ("on", "on")
