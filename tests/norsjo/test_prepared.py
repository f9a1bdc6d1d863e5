"""norsjo.prepared.PreparedQuery: the ORM's own query, compiled once, answers as the ORM does."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from norsjo.prepared import PreparedQuery
from registry import permissions
from registry.models import Mandate
from tests.factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_roles_query_answers_as_the_orm_for_every_person_and_day():
    today = timezone.localdate()
    manager, writer, web, nobody = (UserFactory() for _ in range(4))
    web.groups.add(Group.objects.get(name=permissions.WEB_TEAM_GROUP))
    unit = UnitFactory(managers=[manager])
    UnitFactory(managers=[manager], is_active=False)  # an inactive unit is not managed
    channel = ChannelFactory(unit=unit)
    MandateFactory(employee=writer, channel=channel, acknowledged_at=timezone.now())
    MandateFactory(
        employee=writer,
        acknowledged_at=timezone.now(),
        valid_from=today + datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=40),
    )
    pending = MandateFactory(employee=writer)  # not acknowledged: not in force, but current
    days = [today, today + datetime.timedelta(days=10), today + datetime.timedelta(days=400)]
    for user in (manager, writer, web, nobody):
        for day in days:
            expected = sorted(permissions._roles_of(user.pk, day))  # the queryset, run by the ORM
            assert sorted(permissions._ROLES_QUERY(user_id=user.pk, day=day)) == expected
    later = writer.mandates.get(valid_from__gt=today)
    assert sorted(permissions._ROLES_QUERY(user_id=writer.pk, day=today)) == sorted(
        [
            ("mandate", str(channel.pk)),
            ("current", str(channel.pk)),
            ("current", str(later.channel_id)),  # starts later: current (not ended), not in force
            ("current", str(pending.channel_id)),
        ]
    )
    assert sorted(permissions._ROLES_QUERY(user_id=manager.pk, day=today)) == [("unit", str(unit.pk))]
    assert permissions._ROLES_QUERY(user_id=web.pk, day=today) == [("group", permissions.WEB_TEAM_GROUP)]


def test_the_queryset_is_built_and_compiled_once_then_only_executed():
    builds = []

    def build(user_id, day):
        builds.append((user_id, day))
        return Mandate.objects.filter(employee_id=user_id).active(on=day).values_list("channel_id")

    query = PreparedQuery(build, user_id=int, day=datetime.date)
    writer = UserFactory()
    mandate = MandateFactory(employee=writer, acknowledged_at=timezone.now())
    today = timezone.localdate()
    someone_else = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        first = query(user_id=writer.pk, day=today)
        second = query(user_id=writer.pk, day=today + datetime.timedelta(days=366))
        third = query(user_id=someone_else.pk, day=today)
    assert first == [(mandate.channel_id,)]
    assert second == [] and third == []  # after the end date; another person
    assert len(builds) == 1  # with stand-ins, never a real person
    assert builds[0][0] != writer.pk
    assert len(captured.captured_queries) == 3


def test_a_parameter_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(
        lambda user_id, day: Mandate.objects.filter(employee_id=user_id).values_list("id"),
        user_id=int,
        day=datetime.date,
    )
    with pytest.raises(ImproperlyConfigured, match="day"):
        query(user_id=1, day=timezone.localdate())


def test_wrong_parameters_and_unsupported_types_are_refused():
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(lambda at: None, at=float)
    query = PreparedQuery(lambda user_id: Mandate.objects.filter(employee_id=user_id).values_list("id"), user_id=int)
    with pytest.raises(TypeError):
        query(user=1)
    with pytest.raises(TypeError):
        query(user_id=1, day=timezone.localdate())


def test_the_start_page_reads_no_own_mandates_of_a_person_without_a_current_one(client):
    """registry.permissions.holds_current_mandate: from the roles query; the start page skips its mandate lists."""
    from django.urls import reverse

    writer = UserFactory()
    client.force_login(writer)
    client.get(reverse("home"))  # warm: per-process caches (the guidelines' version...)
    with CaptureQueriesContext(connection) as without:
        assert client.get(reverse("home")).status_code == 200
    # Only the roles query (a UNION of groups, units and mandates) reads mandates.
    assert not any(q["sql"].startswith('SELECT "registry_mandate"') for q in without)
    MandateFactory(employee=writer)  # awaiting acknowledgement: current
    response = client.get(reverse("home"))
    assert response.context["pending_acknowledgements"]
    ended = UserFactory()
    MandateFactory(
        employee=ended,
        valid_from=timezone.localdate() - datetime.timedelta(days=40),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(ended)
    assert not client.get(reverse("home")).context["pending_acknowledgements"]
