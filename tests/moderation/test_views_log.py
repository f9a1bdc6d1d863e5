"""Moderation views: the permission matrix, and what each screen shows, hides and logs."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from moderation.forms.log import RecordFilterForm
from moderation.models import RecordRead, RemovedComment
from moderation.services import log as log_services

from ..matrix import Row, only, params, run_row
from .conftest import PNG, png_upload

pytestmark = pytest.mark.django_db


def _record(world, *, category="a", with_screenshot=True):
    """The writer's logged removal on the world's channel (created once per test)."""
    key = f"_record_{category}"
    if not hasattr(world, key):
        record = log_services.removal_log(
            actor=world.users["writer"],
            channel=world.channel,
            category=category,
            action="deleted",
            removed_at=timezone.now() - timedelta(minutes=5),
            text="Köp billiga klockor på example.com!",
            author_name="Spam Spamsson",
            attachments=[png_upload()] if with_screenshot else [],
        )
        setattr(world, key, record)
    return getattr(world, key)


def _record_pk(category="a"):
    return lambda world: {"pk": _record(world, category=category).pk}


def _attachment(category="a"):
    return lambda world: {"pk": _record(world, category=category).pk, "position": 1}


def _removal_post(world):
    return {
        "text": "Du är dum i huvudet.",
        "author_name": "Arg Person",
        "removed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "action": "deleted",
        "category": "a",
    }


LOGGERS = {"writer": 200, "web_team": 200}
SEE_ALL = {"writer": 200, "manager": 200, "web_team": 200, "archivist": 200}
LOG_USERS = {"writer": 200, "manager": 200, "other_manager": 200, "web_team": 200, "archivist": 200}

MATRIX = [
    Row("moderation:record_list", only(LOG_USERS)),
    Row("moderation:statistics", only(LOG_USERS)),
    Row("moderation:log_start", only(LOGGERS)),
    Row("moderation:record_create", only(LOGGERS, default=404), kwargs=lambda w: {"channel_pk": w.channel.pk}),
    Row(
        "moderation:record_create",
        only({"web_team": 200}, default=404),
        kwargs=lambda w: {"channel_pk": w.other_channel.pk},
    ),
    Row(
        "moderation:record_create",
        only({"writer": 302, "web_team": 302}, default=404),
        method="post",
        kwargs=lambda w: {"channel_pk": w.channel.pk},
        data=_removal_post,
    ),
    Row("moderation:record_detail", only(SEE_ALL, default=404), kwargs=_record_pk()),
    Row("moderation:record_detail", only(SEE_ALL, default=404), kwargs=_record_pk("h")),
    Row(
        "moderation:addendum_create",
        only({"writer": 200, "web_team": 200, "manager": 403, "archivist": 403}, default=404),
        kwargs=_record_pk(),
    ),
    Row(
        "moderation:addendum_create",
        only({"writer": 302, "web_team": 302, "manager": 403, "archivist": 403}, default=404),
        method="post",
        kwargs=_record_pk(),
        data=lambda w: {"explanation": "Kommentaren var även reklam."},
    ),
    Row("moderation:attachment_download", only(SEE_ALL, default=404), kwargs=_attachment()),
    # 4:10 h: the screenshot of a confidential record only for archivists and the person who logged it.
    Row(
        "moderation:attachment_download",
        only({"writer": 200, "archivist": 200, "manager": 403, "web_team": 403}, default=404),
        kwargs=_attachment("h"),
    ),
]


@params(MATRIX)
def test_moderation_permission_matrix(client, world, row, role):
    """Every moderation URL answers every role as the matrix says."""
    run_row(client, world, row, role)


def test_record_create_by_form_with_screenshot(client, world):
    client.force_login(world.users["writer"])
    data = _removal_post(world) | {"text": "  Exakt\r\n  som given  ", "screenshots": [png_upload()]}
    response = client.post(reverse("moderation:record_create", args=[world.channel.pk]), data)
    record = RemovedComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.content.text == "  Exakt\r\n  som given  ", "text is stored verbatim (not stripped)"
    assert record.attachments.get().size == len(PNG)


def test_record_create_form_errors_keep_input(client, world):
    """ "Other" without explanation, or a NUL character: a clear message, nothing typed is lost."""
    client.force_login(world.users["writer"])
    url = reverse("moderation:record_create", args=[world.channel.pk])
    response = client.post(url, _removal_post(world) | {"category": "other", "text": "Behåll mig"})
    assert response.status_code == 400
    assert response.context["form"].errors["explanation"][0]
    assert "Behåll mig" in response.content.decode()
    response = client.post(url, _removal_post(world) | {"text": "noll\x00tecken"})
    assert response.status_code == 400
    assert "text" in response.context["form"].errors
    assert not RemovedComment.objects.exists()


def test_record_create_refuses_a_channel_in_the_post(client, world):
    """Editing the form cannot move a removal to another channel: the channel comes from the URL."""
    client.force_login(world.users["writer"])
    response = client.post(reverse("moderation:record_create", args=[world.other_channel.pk]), _removal_post(world))
    assert response.status_code == 404
    client.post(
        reverse("moderation:record_create", args=[world.channel.pk]),
        _removal_post(world) | {"channel": world.other_channel.pk},
    )
    assert RemovedComment.objects.get().channel == world.channel


HOSTILE = "<script>alert(1)</script>\u202egnp.exe\u200b 😀\n  indrag"


def test_record_detail_renders_hostile_content_inert(client, world):
    record = log_services.removal_log(
        actor=world.users["writer"],
        channel=world.channel,
        category="b",
        action="unpublished",
        removed_at=timezone.now(),
        text=HOSTILE,
        author_name="<b onmouseover=alert(1)>x</b>",
        author_url="https://example.com/\u202eprofil",
    )
    client.force_login(world.users["writer"])
    html = client.get(record.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b onmouseover" not in html
    assert "\u202e" not in html and "\u200b" not in html, (
        "direction overrides and zero-width characters are made visible"
    )
    # The writer reads hidden characters in words; the archivist by their codes (sees_record_integrity).
    assert "[U+202E]" not in html and html.count("[dolt tecken]") >= 2
    assert "😀\n  indrag" in html, "whitespace and emoji are shown as given"
    client.force_login(world.users["archivist"])
    html = client.get(record.get_absolute_url()).content.decode()
    assert "\u202e" not in html and "[U+202E]" in html and "[U+200B]" in html


def test_record_detail_logs_reading_content(client, world, caplog):
    """Reading content is logged as a record and as a security event with the request id."""
    record = _record(world)
    client.force_login(world.users["archivist"])
    with caplog.at_level("INFO", logger="norsjo.security"):
        client.get(record.get_absolute_url())
    events = [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == "record.read"]
    assert [(e["record"], e["what"]) for e in events] == [(record.pk, "content")]
    client.get(reverse("moderation:attachment_download", args=[record.pk, 1]))
    reads = list(RecordRead.objects.filter(record=record).order_by("id").values_list("reader__username", "what"))
    assert reads == [("arkivarie", "content"), ("arkivarie", "attachment")]


def test_confidential_record_shows_only_that_it_exists(client, world):
    record = _record(world, category="h")
    client.force_login(world.users["web_team"])
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Köp billiga klockor" not in html
    assert "Spam Spamsson" not in html
    assert "4:10 h" in html
    assert not RecordRead.objects.exists()
    for role in ("writer", "archivist"):
        client.force_login(world.users[role])
        assert "Köp billiga klockor" in client.get(record.get_absolute_url()).content.decode()


def test_search_finds_text_and_author_but_not_hidden_confidential(client, world):
    _record(world, category="a")
    confidential = _record(world, category="h")
    client.force_login(world.users["web_team"])
    url = reverse("moderation:record_list")
    found = client.get(url, {"q": "klockor"}).context["page"].items
    assert len(found) == 1 and found[0].category == "a", (
        "a confidential record's content is not searchable by the web team"
    )
    assert len(client.get(url, {"q": "Spamsson"}).context["page"].items) == 1
    client.force_login(world.users["archivist"])
    assert {r.pk for r in client.get(url, {"q": "klockor"}).context["page"].items} >= {confidential.pk}


def test_list_filters_and_scope(client, world):
    """Each filter narrows the list; each person sees only their channels' records.

    At local noon: the record logged "5 minutes ago" and the one logged now are on the same
    Stockholm day, which just after midnight they were not (a removal-day filter then saw one).
    """
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with time_machine.travel(noon, tick=False):
        _record(world)
        log_services.removal_log(
            actor=world.users["web_team"],
            channel=world.other_channel,
            category="g",
            action="unpublished",
            removed_at=timezone.now(),
            text="Reklam",
        )
        url = reverse("moderation:record_list")
        client.force_login(world.users["writer"])
        assert [r.channel_id for r in client.get(url).context["page"].items] == [world.channel.pk]
        client.force_login(world.users["other_manager"])
        assert [r.channel_id for r in client.get(url).context["page"].items] == [world.other_channel.pk]
        client.force_login(world.users["archivist"])
        assert len(client.get(url).context["page"].items) == 2
        assert len(client.get(url, {"category": "g"}).context["page"].items) == 1
        assert len(client.get(url, {"action": "deleted"}).context["page"].items) == 1
        assert len(client.get(url, {"unit": world.other_unit.pk}).context["page"].items) == 1
        assert len(client.get(url, {"channel": world.channel.pk}).context["page"].items) == 1
        assert len(client.get(url, {"logged_by": "webb"}).context["page"].items) == 1
        today = timezone.localdate().isoformat()
        assert len(client.get(url, {"removed_from": today, "removed_until": today}).context["page"].items) == 2
        response = client.get(url, {"logged_by": "finns-inte", "removed_from": "inte-ett-datum"})
        assert response.status_code == 200


def _normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "klockor", "category": "a", "action": "deleted", "removed_from": "2026-01-02", "logged_by": "skribent"},
        {"q": "<b>" + "x" * 200, "channel": "999999", "unit": "x", "category": "?", "removed_until": "inte-ett-datum"},
        {"logged_by": "finns-inte", "action": "", "q": "0"},
        {"channel": "CHANNEL", "unit": "UNIT"},
    ],
)
def test_list_filter_renders_as_the_field_include_does(client, world, query):
    """The log's filter fields are written by moderation/includes/field.html (its widgets by lean_widget)."""
    _record(world)
    ids = {"CHANNEL": world.channel.pk, "UNIT": world.unit.pk}
    query = {name: ids.get(value, value) for name, value in query.items()}
    client.force_login(world.users["archivist"])
    body = client.get(reverse("moderation:record_list"), query).content.decode()
    form = re.search(r'<form method="get" class="filters.*?>(.*?)<div class="col-md-1', body, re.S).group(1)
    expected = RecordFilterForm(query or None)
    expected.is_valid()
    field = get_template("moderation/includes/field.html")
    widths = {"q": 4, "channel": 4, "unit": 4, "category": 3}
    assert _normalise(form) == _normalise(
        "".join(
            f'<div class="col-md-{widths.get(name, 2)}">{field.render({"field": expected[name]})}</div>'
            for name in expected.fields
            if name != "after"
        )
    )


@pytest.mark.parametrize("count", [3, 30])
def test_list_keyset_pagination_and_query_count(client, world, django_assert_max_num_queries, count):
    for n in range(count):
        log_services.removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category="f",
            action="deleted",
            removed_at=timezone.now(),
            text=f"Svordom {n}",
        )
    client.force_login(world.users["archivist"])
    url = reverse("moderation:record_list")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.context["page"]
    assert len(page.items) == min(count, 25)
    seen = [r.pk for r in page.items]
    if page.next_after:
        second = client.get(url, {"after": page.next_after}).context["page"]
        seen += [r.pk for r in second.items]
        assert second.next_after is None
    assert len(set(seen)) == count


def test_addendum_is_shown_with_the_original(client, world):
    record = _record(world)
    client.force_login(world.users["writer"])
    response = client.post(
        reverse("moderation:addendum_create", args=[record.pk]), {"explanation": "Rätt kategori är g.", "category": "g"}
    )
    assert response.status_code == 302
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Rätt kategori är g." in html


def test_statistics_show_figures_in_a_table(client, world):
    _record(world)
    client.force_login(world.users["web_team"])
    response = client.get(reverse("moderation:statistics"))
    stats = response.context["stats"]
    assert stats["total"] == 1
    assert sum(n for _key, n in stats["online"]) == 0  # no publication time given
    html = response.content.decode()
    assert "<table" in html and "<svg" in html and "Norsjö bibliotek" in html


def test_channel_page_links_to_logging(client, world):
    client.force_login(world.users["writer"])
    html = client.get(world.channel.get_absolute_url()).content.decode()
    assert reverse("moderation:record_create", args=[world.channel.pk]) in html
    client.force_login(world.users["employee"])
    assert (
        reverse("moderation:record_create", args=[world.channel.pk])
        not in client.get(world.channel.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("sparse_limit", [0, 10_000])
def test_search_gives_the_same_hits_with_either_plan(client, world, monkeypatch, sparse_limit):
    """PostgreSQL picks a plan by how common the words are; both give the same records."""
    from moderation import search

    monkeypatch.setattr(search, "SPARSE_LIMIT", sparse_limit)
    _record(world)
    client.force_login(world.users["archivist"])
    url = reverse("moderation:record_list")
    assert len(client.get(url, {"q": "klockor"}).context["page"].items) == 1
    assert len(client.get(url, {"q": "finnsinte"}).context["page"].items) == 0
