"""Services and selectors for politicians' links, screenshot documentation and the yearly review."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import selectors
from registry.models import Documentation, DocumentationFile, HistoryEntry, PoliticianLink
from registry.services.channels import channel_close, channel_set_published
from registry.services.documentation import documentation_record
from registry.services.politician_links import (
    politician_link_register,
    politician_link_set_published,
    politician_link_update,
    politician_link_withdraw,
)
from registry.services.reviews import channel_review_record

from ..factories import ChannelFactory
from .conftest import EXE, PNG, upload

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _register(world, **overrides):
    kwargs = {
        "actor": world.users["web_team"],
        "politician": "Anna Andersson",
        "url": "http://www.annasblogg.blogspot.com/?utm_source=nyhetsbrev",
        "decided_by": "Eva Ek, webbansvarig",
        "decided_on": timezone.localdate(),
    } | overrides
    return politician_link_register(**kwargs)


def test_politician_link_register_normalises_and_records_history(world):
    link = _register(world, publish=True)
    assert link.url == "https://annasblogg.blogspot.com"
    assert link.is_published
    actions = list(selectors.history_for(link).values_list("action", flat=True))
    assert sorted(actions) == ["politician_link.published", "politician_link.registered"]


@pytest.mark.parametrize("role", ["employee", "writer", "manager", "archivist", "admin"])
def test_politician_link_register_belongs_to_the_web_team(world, role):
    with pytest.raises(PermissionDenied):
        _register(world, actor=world.users[role])
    assert not PoliticianLink.objects.exists()


def test_politician_link_register_refuses_duplicate_and_future_decision(world):
    _register(world)
    with pytest.raises(ValidationError) as excinfo:
        _register(world, url="https://annasblogg.blogspot.com")
    assert excinfo.value.code == "link_duplicate"
    with pytest.raises(ValidationError) as excinfo:
        _register(world, url="https://annan.blogspot.com", decided_on=timezone.localdate() + dt.timedelta(days=1))
    assert excinfo.value.code == "future_date"


def test_politician_link_withdraw_needs_reason_and_frees_the_address(world):
    web_team = world.users["web_team"]
    link = _register(world, publish=True)
    with pytest.raises(ValidationError) as excinfo:
        politician_link_withdraw(link=link, actor=web_team, reason="  ")
    assert excinfo.value.code == "reason_required"
    link = politician_link_withdraw(link=link, actor=web_team, reason="Har lämnat uppdraget.")
    assert link.is_withdrawn and not link.is_published
    with pytest.raises(ValidationError) as excinfo:
        politician_link_set_published(link=link, actor=web_team, published=True)
    assert excinfo.value.code == "withdrawn"
    # A withdrawn link no longer blocks its address.
    assert _register(world).pk != link.pk


def test_politician_link_update_records_changes(world):
    link = _register(world)
    politician_link_update(link=link, actor=world.users["web_team"], party="Norsjöpartiet")
    entry = selectors.history_for(link).filter(action="politician_link.updated").get()
    assert entry.changes == {"party": ["", "Norsjöpartiet"]}


def test_documentation_record_keeps_checksum_and_history(world):
    documentation = documentation_record(
        channel=world.channel,
        actor=world.users["web_team"],
        files=[upload("skarm.png", PNG)],
        reason=Documentation.Reason.BEFORE_CHANGE,
    )
    record = documentation.files.get()
    import hashlib

    assert record.sha256 == hashlib.sha256(PNG).hexdigest()
    assert record.size == len(PNG)
    assert record.file.name.startswith(f"documentation/{world.channel.pk}/") and record.file.name.endswith(".png")
    assert "skarm" not in record.file.name  # the stored name never comes from the uploader
    assert HistoryEntry.objects.filter(action="channel.documented", object_id=world.channel.pk).exists()


def test_documentation_record_refuses_bad_file_and_saves_nothing(world, settings):
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(
            channel=world.channel,
            actor=world.users["web_team"],
            files=[upload("ok.png", PNG), upload("virus.png", EXE)],
        )
    assert excinfo.value.code == "wrong_type"
    assert not Documentation.objects.exists() and not DocumentationFile.objects.exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _, _, files in os.walk(media))


@pytest.mark.parametrize("role", ["manager", "writer", "employee", "archivist"])
def test_documentation_record_belongs_to_the_web_team(world, role):
    with pytest.raises(PermissionDenied):
        documentation_record(channel=world.channel, actor=world.users[role], files=[upload("a.png", PNG)])


def test_documentation_record_refuses_closed_channel_and_no_files(world):
    web_team = world.users["web_team"]
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(channel=world.channel, actor=web_team, files=[])
    assert excinfo.value.code == "files_required"
    channel_close(channel=world.channel, actor=web_team, reason="Ersatt.")
    world.channel.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(channel=world.channel, actor=web_team, files=[upload("a.png", PNG)])
    assert excinfo.value.code == "not_documentable"


def test_channel_review_record_by_the_units_manager(world):
    review = channel_review_record(
        channel=world.channel, actor=world.users["manager"], still_needed=True, purpose_ok=True, writers_ok=True
    )
    assert review.all_ok and review.reviewed_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        channel_review_record(
            channel=world.channel,
            actor=world.users["other_manager"],
            still_needed=True,
            purpose_ok=True,
            writers_ok=True,
        )
    with pytest.raises(ValidationError) as excinfo:
        channel_review_record(
            channel=world.channel, actor=world.users["manager"], still_needed=True, purpose_ok=False, writers_ok=True
        )
    assert excinfo.value.code == "note_required"
    with pytest.raises(ValidationError) as excinfo:
        channel_review_record(
            channel=world.proposed, actor=world.users["manager"], still_needed=True, purpose_ok=True, writers_ok=True
        )
    assert excinfo.value.code == "not_reviewable"


def test_overdue_review_boundaries(world, catalogue):
    """Due one year after registration, then one year after each review (Europe/Stockholm days)."""
    with time_machine.travel(dt.datetime(2025, 3, 10, 23, 30, tzinfo=STOCKHOLM), tick=False):
        channel = ChannelFactory(unit=world.unit, name="Årskanalen")
    overdue = lambda day: channel in selectors.channels_with_overdue_review(on=day)  # noqa: E731
    assert not overdue(dt.date(2026, 3, 10))
    assert overdue(dt.date(2026, 3, 11))
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=STOCKHOLM), tick=False):
        channel_review_record(
            channel=channel, actor=world.users["manager"], still_needed=True, purpose_ok=True, writers_ok=True
        )
    assert not overdue(dt.date(2027, 3, 11))
    assert overdue(dt.date(2027, 3, 12))
    # Closed channels need no review.
    channel_close(channel=channel, actor=world.users["web_team"], reason="Ersatt.")
    assert not overdue(dt.date(2028, 1, 1))


def test_overdue_reviews_for_manager_are_their_units(world):
    day = timezone.localdate() + dt.timedelta(days=800)
    assert set(selectors.overdue_reviews_for(world.users["manager"], on=day)) == {world.channel}
    assert set(selectors.overdue_reviews_for(world.users["web_team"], on=day)) == {world.channel, world.other_channel}
    assert not selectors.overdue_reviews_for(world.users["employee"], on=day).exists()


def test_overdue_documentation_boundaries(world):
    web_team = world.users["web_team"]
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, 0, tzinfo=STOCKHOLM), tick=False):
        documentation_record(
            channel=world.channel, actor=web_team, files=[upload("a.png", PNG)], documented_on=dt.date(2025, 6, 1)
        )
    due = lambda day: set(selectors.channels_with_overdue_documentation(on=day))  # noqa: E731
    assert due(dt.date(2026, 6, 1)) == {world.other_channel}  # never documented: always listed
    assert due(dt.date(2026, 6, 2)) == {world.channel, world.other_channel}


def test_public_list_state_changes_with_every_relevant_write(world):
    """Publishing, unpublishing, closing, links and renames all change the fingerprint."""
    web_team = world.users["web_team"]
    seen = {selectors.public_list_state().fingerprint}

    def changed():
        fingerprint = selectors.public_list_state().fingerprint
        assert fingerprint not in seen
        seen.add(fingerprint)

    channel_set_published(channel=world.other_channel, actor=web_team, published=True)
    changed()
    channel_set_published(channel=world.other_channel, actor=web_team, published=False)
    changed()
    channel_close(channel=world.other_channel, actor=web_team, reason="Ersatt.")
    changed()
    link = _register(world)
    changed()
    politician_link_set_published(link=link, actor=web_team, published=True)
    changed()
    world.channel.platform.name = "Meta Facebook"
    world.channel.platform.save()
    changed()


def test_public_list_state_memoised_reads_at_most_once_per_interval(world, settings, django_assert_num_queries):
    """With PUBLIC_LIST_STATE_SECONDS the validators are read once per interval, then from memory."""
    settings.PUBLIC_LIST_STATE_SECONDS = 60
    selectors._state_memo = None
    with django_assert_num_queries(1):
        first = selectors.public_list_state_memoised()
        assert selectors.public_list_state_memoised() is first
    selectors._state_memo = (selectors._state_memo[0] - 61, first)
    with django_assert_num_queries(1):
        selectors.public_list_state_memoised()
    selectors._state_memo = None
