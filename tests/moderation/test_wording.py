"""Words a person reads: names not user names, reason labels not letters, plural forms, technical detail by role."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from accounts.people import display_name
from moderation.models import Category
from registry.reminders import MandatesExpiring

from ..conftest import client_for
from .test_views_archive import _decision, _hold, _record

pytestmark = pytest.mark.django_db

HIDDEN = "Hej\u202ed\u00e5"  # U+202E RIGHT-TO-LEFT OVERRIDE inside the text


def _anna(world):
    writer = world.users["writer"]
    writer.username, writer.first_name, writer.last_name = "anna", "Anna", "Andersson"
    writer.save()
    return writer


def _text(response) -> str:
    return response.content.decode()


def test_display_name_falls_back_to_the_user_name_only_without_a_name(world):
    """A person is their full name; an account without a name is its user name."""
    anna = _anna(world)
    assert display_name(anna) == "Anna Andersson"
    anna.first_name = anna.last_name = ""
    assert display_name(anna) == "anna"
    assert display_name(None) == ""


def test_record_pages_name_the_person_not_the_user_name(client, world, log_removal):
    """The record, the list and its filter show "Anna Andersson", never "anna"."""
    _anna(world)
    record = log_removal()
    client_for(client, world, "archivist")
    for url in (record.get_absolute_url(), reverse("moderation:record_list")):
        page = _text(client.get(url))
        assert "Anna Andersson" in page
        assert not re.search(r"\banna\b", page.split("<main", 1)[-1].replace('value="anna"', ""))


def test_manager_start_page_names_people_and_platforms(client, world, log_removal):
    """The manager's start page: the user menu shows the manager's name; each channel has its platform."""
    manager = world.users["manager"]
    manager.first_name, manager.last_name = "Maja", "Chefsson"
    manager.save()
    client_for(client, world, "manager")
    page = _text(client.get(reverse("home")))
    assert "Maja Chefsson" in page
    assert f"{world.channel.name}</a> ({world.channel.platform})" in page


def test_statistics_and_decisions_show_reason_labels_not_letters(client, world, log_removal):
    """Reasons read as labels in the statistics, decisions and disposal log; never as a bare letter."""
    log_removal(category="a")
    decision = _decision(world)
    client_for(client, world, "archivist")
    with translation.override("sv"):
        short = Category.short_label_of("a")
        label = Category.label_of("a")
    stats = _text(client.get(reverse("moderation:statistics")))
    assert f">{short}</th>" in stats
    assert not re.search(r">a\.…<", stats)
    for url in (reverse("moderation:decision_list"), reverse("moderation:decision_detail", args=[decision.pk])):
        page = _text(client.get(url))
        assert label in page
        assert not re.search(r">a(:| *<)", page)


def test_disposal_page_plural_forms_for_one_and_two(client, world):
    """ "1 handling ska gallras." and "2 handlingar ska gallras." — the count decides the form."""
    _record(world)
    _decision(world)
    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        client_for(client, world, "archivist")
        page = _text(client.get(reverse("moderation:disposal")))
        assert "1 handling ska gallras." in page
        assert "0 tillägg gallras med dem." in page
    _record(world, "b")
    _decision(world).retention_periods.create(category="b", months=12)
    with time_machine.travel(later, tick=False):
        client.force_login(world.users["archivist"])
        page = _text(client.get(reverse("moderation:disposal")))
    assert "2 handlingar ska gallras." in page


def test_plural_forms_of_counted_messages_in_swedish():
    """Counted messages have both forms in Swedish (1 dag, 2 dagar)."""
    with translation.override("sv"):
        assert MandatesExpiring(1).subject() == "Uppdrag som upphör inom 1 dag"
        assert MandatesExpiring(2).subject() == "Uppdrag som upphör inom 2 dagar"


def test_writer_record_page_has_no_hash_archivist_has(client, world, log_removal):
    """The record hash and the [U+…] codes are the archivist's; the writer reads the text in words."""
    record = log_removal(text=HIDDEN)
    client_for(client, world, "writer")
    writer_page = _text(client.get(record.get_absolute_url()))
    assert record.record_hash not in writer_page
    assert "[U+202E]" not in writer_page and "[dolt tecken]" in writer_page
    assert "\u202e" not in writer_page
    client_for(client, world, "archivist")
    archivist_page = _text(client.get(record.get_absolute_url()))
    assert record.record_hash in archivist_page
    assert "[U+202E]" in archivist_page


def test_hold_list_names_the_person_and_the_channel_with_its_platform(client, world):
    """A hold names who placed it by name, and its channel with the platform (names repeat across platforms)."""
    archivist = world.users["archivist"]
    archivist.username, archivist.first_name, archivist.last_name = "karin", "Karin", "Arkivsson"
    archivist.save()
    _hold(world)
    client_for(client, world, "archivist")
    page = _text(client.get(reverse("moderation:hold_list")))
    assert f"{world.channel.name} ({world.channel.platform})" in page
    assert "Karin Arkivsson" in page and not re.search(r"\bkarin\b", page)


def test_mandate_page_names_the_employee_without_the_user_name(client, world):
    """The mandate's page: "Anna Andersson", not "Anna Andersson (anna)"."""
    _anna(world)
    client_for(client, world, "manager")
    page = _text(client.get(world.mandate.get_absolute_url()))
    assert "Anna Andersson" in page and not re.search(r"\banna\b", page)
