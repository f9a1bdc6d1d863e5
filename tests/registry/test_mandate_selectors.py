"""The mandate pages' compiled lists (norsjo.prepared) give what their selectors' querysets give."""

import datetime

import pytest
from django.utils import timezone

from registry import selectors
from registry.models import Mandate

from ..factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fill(world):
    """Mandates of every state on both units' channels, to and from several people, one renewed."""
    today = timezone.localdate()
    days = datetime.timedelta
    people = [world.users[role] for role in ("writer", "employee", "manager", "other_manager")] + [UserFactory()]
    channels = [world.channel, world.other_channel, ChannelFactory(unit=world.unit), ChannelFactory()]
    world.unit.managers.add(world.users["other_manager"])
    UnitFactory(managers=[world.users["manager"]], is_active=False)
    made = []
    for i, (start, end, acknowledged, revoked) in enumerate(
        [
            (-30, 10, True, False),  # ending soon
            (-30, 10, False, False),  # awaiting, ending soon
            (5, 100, False, False),  # awaiting, not started
            (5, 100, True, False),  # not started
            (-100, -1, True, False),  # ended
            (-10, 50, True, True),  # revoked
            (-10, 200, True, False),  # active
        ]
        * 2  # each person and channel once (14 < 5 × 4): mandates of one person on one channel never overlap
    ):
        made.append(
            MandateFactory(
                employee=people[i % len(people)],
                granted_by=people[(i + 1) % len(people)],
                channel=channels[i % len(channels)],
                role=Mandate.Role.WRITER if i % 2 else Mandate.Role.MODERATOR,
                valid_from=today + days(start),
                valid_until=today + days(end),
                acknowledged_at=timezone.now() if acknowledged else None,
                revoked_at=timezone.now() if revoked else None,
                revoked_by=world.users["manager"] if revoked else None,
                revocation_reason="Slutat" if revoked else "",
            )
        )
    MandateFactory(employee=made[0].employee, channel=made[0].channel, renewal_of=made[0], valid_from=today + days(11))
    return today


def _same(got, expected):
    assert [m.pk for m in got] == [m.pk for m in expected]
    for a, b in zip(got, expected, strict=True):
        assert {k: v for k, v in a.__dict__.items() if k != "_state"} == {
            k: v for k, v in b.__dict__.items() if k != "_state"
        }
        assert a.get_deferred_fields() == b.get_deferred_fields()


ROLES = ["writer", "employee", "manager", "other_manager", "web_team", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_of_the_mandate_pages_are_their_selectors(world, role):
    today = _fill(world)
    user = world.users[role]
    if role == "manager":  # every list has rows to compare
        assert selectors.unit_mandates_expiring_listed(user, on=today)
        assert selectors.unit_mandates_awaiting_listed(user, on=today)
        assert selectors.orphaned_channels_listed(user, on=today)
        assert len(selectors.unit_mandates_page(user, start=0, size=50)) > 3
    if role == "writer":
        assert selectors.pending_acknowledgements_listed(user, on=today)
        assert len(selectors.mandates_of_page(user, start=0, size=50)) > 3
    for day in (today, today + datetime.timedelta(days=20)):
        _same(
            selectors.unit_mandates_expiring_listed(user, on=day),
            selectors.unit_mandates_expiring(user, on=day)[: selectors.MANAGER_LIST_LIMIT],
        )
        _same(
            selectors.unit_mandates_awaiting_listed(user, on=day),
            selectors.unit_mandates_awaiting(user, on=day)[: selectors.MANAGER_LIST_LIMIT],
        )
        assert selectors.orphaned_channels_listed(user, on=day) == list(
            selectors.orphaned_channels(user, on=day).values_list(*selectors.ORPHANED_LISTED_FIELDS)[
                : selectors.MANAGER_LIST_LIMIT
            ]
        )
        _same(selectors.pending_acknowledgements_listed(user, on=day), selectors.pending_acknowledgements(user, on=day))
        for unit in ("", world.unit.slug, world.other_unit.slug, "nowhere"):
            for start, size in ((0, 50), (0, 4), (4, 4), (100, 4)):
                _same(
                    selectors.appointed_writers_page(on=day, unit=unit, start=start, size=size),
                    selectors.listed_page(selectors.appointed_writers_all(on=day, unit=unit), start, size),
                )
    for start, size in ((0, 50), (0, 3), (3, 3), (100, 3)):
        _same(
            selectors.unit_mandates_page(user, start=start, size=size),
            selectors.listed_page(selectors.unit_mandates(user), start, size),
        )
        _same(
            selectors.mandates_of_page(user, start=start, size=size),
            selectors.listed_page(selectors.mandates_of(user), start, size),
        )


@pytest.mark.parametrize("role", ROLES)
def test_a_mandate_is_found_exactly_when_it_is_visible(world, role):
    _fill(world)
    user = world.users[role]
    visible = selectors.mandates_visible_to(user)
    for mandate in Mandate.objects.order_by("pk"):
        found = selectors.mandate_visible_to(user, mandate.pk)
        expected = visible.filter(pk=mandate.pk).first()
        if expected is None:
            assert found is None
        else:
            _same([found], [expected])
    assert selectors.mandate_visible_to(user, 0) is None


def test_nobody_signed_out_or_inactive_sees_a_mandate(world):
    from django.contrib.auth.models import AnonymousUser

    writer = world.users["writer"]
    assert selectors.mandate_visible_to(AnonymousUser(), world.mandate.pk) is None
    assert selectors.pending_acknowledgements_listed(AnonymousUser(), on=timezone.localdate()) == []
    assert selectors.mandates_of_page(AnonymousUser(), start=0, size=50) == []
    writer.is_active = False
    assert selectors.mandate_visible_to(writer, world.mandate.pk) is None


def test_a_mandates_history_is_its_newest_entries(world):
    from registry import history

    for i in range(selectors.HISTORY_SHOWN + 3):
        history.record(
            world.mandate, action="changed", actor=world.users["manager"], changes={"scope": [str(i), str(i + 1)]}
        )
    history.record(world.channel, action="changed", actor=world.users["manager"])  # another record's
    shown = selectors.mandate_history_shown(world.mandate)
    _same(shown, list(selectors.history_for(world.mandate)[: selectors.HISTORY_SHOWN]))
    assert len(shown) == selectors.HISTORY_SHOWN
    assert shown[0].changes["scope"][0].isdigit()  # the JSON, as the ORM reads it
    assert shown[0].actor == world.users["manager"]
