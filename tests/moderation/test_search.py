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


@pytest.mark.django_db
def test_many_hits_go_to_the_page_as_one_array_with_the_same_records(world, log_removal, monkeypatch):
    from moderation import search

    hits = [log_removal(text=f"Köp billiga klockor här! {n}").pk for n in range(3)]
    log_removal(text="Du är en idiot.")
    monkeypatch.setattr(search, "LONG_LIST", 2)
    qs = search_records(RemovedComment.objects.all(), "klockor", user=None)
    assert "= ANY(" in str(qs.query)
    assert sorted(qs.values_list("pk", flat=True)) == sorted(hits)
    assert sorted(qs.order_by("-pk").values_list("pk", flat=True)[:2]) == sorted(hits)[1:]
    monkeypatch.setattr(search, "LONG_LIST", 10_000)
    qs = search_records(RemovedComment.objects.all(), "klockor", user=None)
    assert "= ANY(" not in str(qs.query)
    assert sorted(qs.values_list("pk", flat=True)) == sorted(hits)
