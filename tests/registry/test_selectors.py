"""registry.selectors: overdue reviews and documentation, the public list's state, lookalikes, the grant chooser."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import permissions, selectors
from registry.models import (
    Mandate,
)
from registry.selectors import home as home_selectors
from registry.selectors import public as public_selectors
from registry.services.channels import channel_close, channel_set_published
from registry.services.documentation import documentation_record
from registry.services.politician_links import (
    politician_link_register,
    politician_link_set_published,
)
from registry.services.reviews import channel_review_record

from ..factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory
from .conftest import PNG, upload

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


def test_orphaned_channels_are_active_channels_without_an_active_writer(world):
    manager = world.users["manager"]
    assert list(selectors.orphaned_channels(manager)) == []
    lonely = ChannelFactory(unit=world.unit, name="Ensam kanal")
    MandateFactory(channel=lonely, role=Mandate.Role.MODERATOR, acknowledged_at=timezone.now())
    MandateFactory(channel=lonely, role=Mandate.Role.WRITER)  # awaiting acknowledgement: not yet a writer
    assert list(selectors.orphaned_channels(manager)) == [lonely]


@pytest.mark.parametrize("role", ["manager", "other_manager", "web_team"])
def test_chooser_offers_exactly_whom_the_rule_allows(world, role):
    """Everyone offered can be granted a mandate on some offered channel; nobody else can."""
    actor = world.users[role]
    UserFactory(username="inaktiv", is_active=False)
    offered = set(selectors.employees_for_grant(actor))
    channels = list(selectors.channels_for_grant(actor))
    everyone = set(get_user_model().objects.filter(is_active=True))
    for person in everyone:
        allowed = any(permissions.can_grant_mandate(actor, channel, person) for channel in channels)
        assert (person in offered) == allowed, f"{role} offered {person}: {person in offered}, rule says {allowed}"
    assert actor not in offered
    assert world.users["admin"] not in offered


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
    public_selectors._state_memo = None
    with django_assert_num_queries(1):
        first = public_selectors.public_list_state_memoised()
        assert selectors.public_list_state_memoised() is first
    public_selectors._state_memo = (public_selectors._state_memo[0] - 61, first)
    with django_assert_num_queries(1):
        selectors.public_list_state_memoised()
    public_selectors._state_memo = None


def test_the_managers_on_a_channel_page_know_their_units_from_one_query():
    """registry.selectors.unit_managers: each manager's units (managed_unit_ids) read together, not one query each."""
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    unit = UnitFactory(managers=[first, second, third])
    other = UnitFactory(managers=[second])
    UnitFactory(managers=[third], is_active=False)
    with CaptureQueriesContext(connection) as captured:
        managers = selectors.unit_managers(unit)
        answers = {manager.pk: permissions.managed_unit_ids(manager) for manager in managers}
    assert len(captured.captured_queries) == 2
    assert answers == {first.pk: {unit.pk}, second.pk: {unit.pk, other.pk}, third.pk: {unit.pk}}
    for manager in managers:  # the same answers as each person's own query
        fresh = get_user_model().objects.get(pk=manager.pk)
        assert permissions.managed_unit_ids(fresh) == answers[manager.pk]


# -- The start page's lists of mandates: one query, the same rows as each list's own rule -------


def _mandate_states(world, employee, channel):
    """Mandates in every state that matters: awaiting, ending soon, both, renewed, revoked, ended, later."""
    today = timezone.localdate()
    now = timezone.now()
    made = []
    for offset, acknowledged in [(3, None), (5, now), (10, now), (20, None), (40, None), (200, now), (-2, None)]:
        made.append(
            MandateFactory(
                employee=employee,
                channel=channel,
                granted_by=world.users["manager"],
                valid_from=today - dt.timedelta(days=10),
                valid_until=today + dt.timedelta(days=offset),
                acknowledged_at=acknowledged,
            )
        )
    renewed = made[1]
    MandateFactory(
        employee=employee,
        channel=channel,
        granted_by=world.users["manager"],
        valid_from=renewed.valid_until + dt.timedelta(days=1),
        valid_until=renewed.valid_until + dt.timedelta(days=100),
        renewal_of=renewed,
    )
    Mandate.objects.filter(pk=made[2].pk).update(
        revoked_at=now, revoked_by=world.users["manager"], revocation_reason="Slutat."
    )


def test_own_mandates_home_are_the_pending_and_expiring_lists(world):
    writer = world.users["writer"]
    _mandate_states(world, writer, world.channel)
    own = home_selectors.own_mandates_home(writer)
    assert own.pending == list(selectors.pending_acknowledgements(writer))
    assert own.expiring == list(selectors.mandates_of(writer).expiring(within_days=30))
    assert own.pending and own.expiring


@pytest.mark.parametrize("limit", [2, 20])
def test_unit_mandates_home_are_the_expiring_and_awaiting_lists(world, limit):
    manager = world.users["manager"]
    _mandate_states(world, world.users["writer"], world.channel)
    _mandate_states(world, world.users["employee"], world.other_channel)  # another unit's: not shown
    home = home_selectors.unit_mandates_home(manager, limit=limit)
    assert home.expiring == list(selectors.unit_mandates_expiring(manager)[:limit])
    assert home.awaiting == list(selectors.unit_mandates(manager).awaiting_acknowledgement()[:limit])
    assert home.expiring and home.awaiting


def test_missing_writers_count_every_channel_beyond_those_shown(world):
    for _ in range(4):
        ChannelFactory(unit=world.unit, created_by=world.users["web_team"])
    everything = selectors.channels_without_writer()
    missing = selectors.missing_writers_for(world.users["web_team"], limit=3)
    assert missing.channel_count == everything.count() > 3
    assert missing.channels == list(everything[:3])
    mine = selectors.missing_writers_for(world.users["manager"], limit=50)
    assert mine.channel_count == len(mine.channels) == selectors.orphaned_channels(world.users["manager"]).count()
