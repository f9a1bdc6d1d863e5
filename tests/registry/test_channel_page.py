"""registry.selectors.channel_page: the channel page's one query reads what the separate selectors read."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import history, permissions, selectors
from registry.models import Channel, ChannelChange, ChannelReview, Documentation, DocumentationFile, Mandate, Platform
from registry.selectors.channel_page import HISTORY_LIMIT, channel_page

from ..factories import MandateFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _people(users):
    return [(user.pk, user.get_full_name(), user.username, user.is_active, user.is_superuser) for user in users]


@pytest.fixture
def busy_channel(world):
    """The library's channel with a pending change, reviews, screenshots, writers, managers and a long history."""
    channel, web_team, manager = world.channel, world.users["web_team"], world.users["manager"]
    today = timezone.localdate()
    other = Platform.objects.exclude(pk=channel.platform_id).first()
    ChannelChange.objects.create(
        channel=channel,
        platform=other,
        url="https://example.org/old",
        proposed_by=manager,
        status=ChannelChange.Status.REJECTED,
        decided_by=web_team,
        decided_at=timezone.now(),
        decision_reason="Fel adress",
    )
    ChannelChange.objects.create(
        channel=channel, platform=other, url="https://example.org/ny", handle="@ny", proposed_by=manager
    )
    for day, note in (
        (dt.date(2025, 3, 1), ""),
        (dt.date(2025, 9, 1), "Syftet <b>behöver</b> ses över"),
        (dt.date(2025, 9, 1), ""),
    ):
        ChannelReview.objects.create(
            channel=channel,
            reviewed_on=day,
            still_needed=True,
            purpose_ok=not note,
            writers_ok=True,
            note=note,
            reviewed_by=manager,
        )
    for day, files in ((dt.date(2025, 4, 1), 1), (dt.date(2025, 4, 1), 3), (dt.date(2024, 4, 1), 2)):
        documentation = Documentation.objects.create(
            channel=channel, documented_on=day, reason="before_change", note="Före bytet", created_by=web_team
        )
        for n in range(files):
            DocumentationFile.objects.create(
                documentation=documentation,
                file=f"documentation/{channel.pk}/{n}.png",
                original_name=f"bild {n}.png",
                content_type="image/png",
                size=1000 * (n + 1),
                sha256=f"{n}" * 64,
            )
    # Writers with the same surname, a revoked and an unacknowledged mandate (not appointed).
    for first, last, acknowledged, revoked in (
        ("Örjan", "Åström", True, False),
        ("Anna", "Åström", True, False),
        ("Bo", "Andersson", True, False),
        ("Cecilia", "Berg", False, False),
        ("Dan", "Ek", True, True),
    ):
        MandateFactory(
            employee=UserFactory(first_name=first, last_name=last),
            channel=channel,
            granted_by=manager,
            role=Mandate.Role.MODERATOR,
            valid_from=today - dt.timedelta(days=10),
            acknowledged_at=timezone.now() if acknowledged else None,
            revoked_at=timezone.now() if revoked else None,
            revoked_by=manager if revoked else None,
            revocation_reason="Slutat" if revoked else "",
        )
    # More managers of the unit: one inactive, one also managing an active and an inactive unit.
    second = UserFactory(first_name="Anna", last_name="Öberg")
    inactive = UserFactory(first_name="Gammal", last_name="Chef", is_active=False)
    world.unit.managers.add(second, inactive)
    UnitFactory(managers=[second])
    UnitFactory(managers=[second], is_active=False)
    # More history than the page shows, some by the system (no actor), some with changes.
    for n in range(HISTORY_LIMIT + 5):
        history.record(
            channel,
            action="channel.edit" if n % 2 else "channel.publish",
            actor=None if n % 7 == 0 else web_team,
            changes={"name": [f"Namn {n}", f"Namn {n + 1}"]} if n % 2 else {},
            reason="Därför" if n % 3 == 0 else "",
        )
    return channel


@pytest.mark.parametrize("role", ["web_team", "manager", "writer", "employee"])
def test_channel_page_reads_what_the_selectors_read(world, busy_channel, role):
    user = world.users[role]
    channel = selectors.channels_visible_to(user).get(pk=busy_channel.pk)
    permissions.is_web_team(user)  # the person's groups, read before (as every page's roles query does)
    with CaptureQueriesContext(connection) as captured:
        page = channel_page(user, channel.pk)
    assert len(captured) == 1

    shown = page.channel
    for name in ("pk", "name", "url", "handle", "purpose", "audience", "contact_email", "status", "is_published"):
        assert getattr(shown, name) == getattr(channel, name), name
    for name in ("rejection_reason", "closed_on", "created_at", "platform_id", "unit_id"):
        assert getattr(shown, name) == getattr(channel, name), name
    assert (str(shown.platform), str(shown.unit), shown.unit.is_active) == (
        str(channel.platform),
        str(channel.unit),
        channel.unit.is_active,
    )
    assert shown.is_open and str(shown) == str(channel)

    pending = selectors.address_change_pending(channel)
    change = page.pending_change
    assert (change.pk, change.url, change.handle, change.proposed_at, str(change.platform)) == (
        pending.pk,
        pending.url,
        pending.handle,
        pending.proposed_at,
        str(pending.platform),
    )
    assert _people([change.proposed_by]) == _people([pending.proposed_by])

    review = selectors.latest_review(channel)
    fields = ("pk", "reviewed_on", "still_needed", "purpose_ok", "writers_ok", "note")
    assert [getattr(page.review, name) for name in fields] == [getattr(review, name) for name in fields]

    documentation = selectors.latest_documentation(channel)
    fields = ("pk", "documented_on", "reason", "note")
    assert [getattr(page.documentation, name) for name in fields] == [getattr(documentation, name) for name in fields]
    assert page.documentation.get_reason_display() == documentation.get_reason_display()
    assert _people([page.documentation.created_by]) == _people([documentation.created_by])
    with CaptureQueriesContext(connection) as captured:
        files = [
            (f.pk, f.original_name, f.size, f.sha256, f.get_absolute_url()) for f in page.documentation.files.all()
        ]
    assert not captured
    assert files == [(f.pk, f.original_name, f.size, f.sha256, f.get_absolute_url()) for f in documentation.files.all()]

    appointed = list(selectors.appointed_writers(channel))
    assert len(appointed) == 4  # the library's writer and three of the five above
    assert [(m.pk, m.role, m.get_role_display(), m.valid_until) for m in page.appointed] == [
        (m.pk, m.role, m.get_role_display(), m.valid_until) for m in appointed
    ]
    assert _people(m.employee for m in page.appointed) == _people(m.employee for m in appointed)
    assert _people(m.granted_by for m in page.appointed) == _people(m.granted_by for m in appointed)

    entries = list(selectors.history_for(channel)[:100])
    assert len(page.history) == len(entries) == HISTORY_LIMIT
    with CaptureQueriesContext(connection) as captured:
        shown_entries = [
            (e.pk, e.action_label, e.actor_name, e.changes, e.change_lines(), e.reason, e.created_at)
            for e in page.history
        ]
    assert not captured
    assert shown_entries == [
        (e.pk, e.action_label, e.actor_name, e.changes, e.change_lines(), e.reason, e.created_at) for e in entries
    ]

    if role == "web_team":
        managers = selectors.unit_managers(channel.unit)
        assert len(managers) == 2
        assert _people(page.unit_managers) == _people(managers)
        with CaptureQueriesContext(connection) as captured:
            shown_units = [permissions.managed_unit_ids(m) for m in page.unit_managers]
        assert not captured
        assert shown_units == [permissions.managed_unit_ids(m) for m in managers]
    else:
        assert page.unit_managers == []


def test_channel_page_of_a_bare_channel(world):
    """A proposed channel without writers, reviews, screenshots or changes: the channel alone."""
    page = channel_page(world.users["manager"], world.proposed.pk)
    assert page.channel.pk == world.proposed.pk
    assert page.channel.status == world.proposed.status
    assert (page.pending_change, page.review, page.documentation, page.appointed) == (None, None, None, [])


def test_no_channel_page_for_a_missing_channel_or_anonymous(world, client):
    assert channel_page(world.users["web_team"], world.channel.pk + 1000) is None
    assert channel_page(AnonymousUser(), world.channel.pk) is None
    client.force_login(world.users["employee"])
    assert client.get(f"/kanaler/{world.channel.pk + 1000}/").status_code == 404


def test_channel_page_answers_the_menus_open_channel_only_for_an_open_channel(world):
    """The web team's menu asks whether any channel is open: an open channel on the page says so."""
    user = permissions.remember_per_request(world.users["web_team"])
    channel_page(user, world.channel.pk)
    with CaptureQueriesContext(connection) as captured:
        assert selectors.moderates_any_channel(user)
    assert not captured
    Channel.objects.filter(pk=world.other_channel.pk).update(status="closed", closed_on=timezone.localdate())
    user = permissions.remember_per_request(world.users["web_team"])
    channel_page(user, world.other_channel.pk)
    with CaptureQueriesContext(connection) as captured:
        assert selectors.moderates_any_channel(user)
    assert len(captured) == 1
