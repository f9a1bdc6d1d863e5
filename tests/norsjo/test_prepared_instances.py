"""norsjo.prepared.PreparedQuery for model instances: the instances the ORM gives, compiled once per shape."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from norsjo.prepared import INTS, KEY, PreparedQuery
from registry.models import Mandate
from tests.factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _lists(unit_ids, day):
    return Mandate.objects.for_lists().of_units(unit_ids).current(on=day).order_by("-valid_until", "-pk")


def _same(got, expected):
    """The same rows, the same values of every loaded field, related object and annotation."""
    assert [m.pk for m in got] == [m.pk for m in expected]
    for a, b in zip(got, expected, strict=True):
        assert a.__dict__.keys() == b.__dict__.keys() - {"_state"} | {"_state"}
        for name, value in b.__dict__.items():
            if name != "_state":
                assert getattr(a, name) == value, name
        assert a.get_deferred_fields() == b.get_deferred_fields()
        for relation in ("employee", "granted_by", "channel"):
            assert getattr(a, relation).__dict__.keys() == getattr(b, relation).__dict__.keys()
            assert getattr(a, relation).get_deferred_fields() == getattr(b, relation).get_deferred_fields()
        assert (a.channel.platform.name, a.channel.unit.name) == (b.channel.platform.name, b.channel.unit.name)


def test_the_instances_are_those_the_orm_makes_for_every_value():
    today = timezone.localdate()
    units = [UnitFactory() for _ in range(3)]
    for unit in units:
        channel = ChannelFactory(unit=unit)
        MandateFactory(channel=channel, acknowledged_at=timezone.now())
        renewed = MandateFactory(channel=channel, valid_until=today + datetime.timedelta(days=5))
        MandateFactory(channel=channel, renewal_of=renewed, valid_from=today + datetime.timedelta(days=6))
    query = PreparedQuery(lambda unit_ids, day: _lists(unit_ids, day), unit_ids=INTS, day=KEY)
    for unit_ids in ([units[0].pk], [units[1].pk, units[2].pk], [units[2].pk, units[0].pk, units[0].pk], [0]):
        for day in (today, today + datetime.timedelta(days=5), today + datetime.timedelta(days=400)):
            got = query(unit_ids=unit_ids, day=day)
            _same(got, list(_lists(unit_ids, day)))
    assert {m.renewed for m in query(unit_ids=[units[0].pk], day=today)} == {True, False}
    with CaptureQueriesContext(connection) as captured:
        mandate = query(unit_ids=[units[0].pk], day=today)[0]
        shown = (mandate.employee.get_full_name(), mandate.granted_by.username, mandate.channel.platform.name)
        shown += (mandate.channel.unit.name,)
    assert all(shown)
    assert len(captured.captured_queries) == 1  # the related objects came with the row


def test_the_queryset_is_built_once_per_shape_then_only_executed():
    builds = []

    def build(user_id, unit_ids, day):
        builds.append((user_id, tuple(unit_ids), day))
        return Mandate.objects.filter(employee_id=user_id).of_units(unit_ids).active(on=day)

    query = PreparedQuery(build, user_id=int, unit_ids=INTS, day=KEY)
    writer = UserFactory()
    mandate = MandateFactory(employee=writer, acknowledged_at=timezone.now())
    unit_id = mandate.channel.unit_id
    today = timezone.localdate()
    someone_else = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        first = query(user_id=writer.pk, unit_ids=[unit_id], day=today)
        second = query(user_id=someone_else.pk, unit_ids=[unit_id], day=today)
        third = query(user_id=writer.pk, unit_ids=[unit_id, unit_id + 1], day=today)
        fourth = query(user_id=writer.pk, unit_ids=[unit_id], day=today + datetime.timedelta(days=400))
        fifth = query(user_id=writer.pk, unit_ids=[], day=today)
    assert first == [mandate] and third == [mandate]
    assert second == [] and fourth == [] and fifth == []
    # One shape per length of the list and per day; the people are stand-ins, never a real person.
    assert [(len(units), day) for _, units, day in builds] == [
        (1, today),
        (2, today),
        (1, today + datetime.timedelta(days=400)),
        (0, today),
    ]
    assert writer.pk not in {user_id for user_id, _, _ in builds}
    assert len(captured.captured_queries) == 5 - 1  # an empty list of units asks nothing


def test_a_parameter_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(lambda user_id, name: Mandate.objects.filter(employee_id=user_id), user_id=int, name=str)
    with pytest.raises(ImproperlyConfigured, match="name"):
        query(user_id=1, name="x")


def test_wrong_parameters_unsupported_types_and_values_querysets_are_refused():
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(lambda at: None, at=float)
    query = PreparedQuery(lambda user_id: Mandate.objects.filter(employee_id=user_id), user_id=int)
    with pytest.raises(TypeError):
        query(user=1)
    values = PreparedQuery(lambda user_id: Mandate.objects.filter(employee_id=user_id).values("pk"), user_id=int)
    with pytest.raises(ImproperlyConfigured):
        values(user_id=1)
