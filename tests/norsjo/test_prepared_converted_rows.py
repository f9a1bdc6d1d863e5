"""norsjo.prepared.PreparedQuery for values_list(): rows converted as the ORM does, datetimes, lists of ids."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from norsjo.prepared import INTS, PreparedQuery
from registry.models import Channel, Mandate
from tests.factories import ChannelFactory, MandateFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_rows_are_converted_as_the_orm_converts_them():
    mandate = MandateFactory(acknowledged_at=timezone.now())
    query = PreparedQuery(
        lambda day: Mandate.objects.active(on=day).values_list("pk", "valid_from", "acknowledged_at"), day=datetime.date
    )
    expected = list(Mandate.objects.active().values_list("pk", "valid_from", "acknowledged_at"))
    assert query(day=timezone.localdate()) == expected == [(mandate.pk, mandate.valid_from, mandate.acknowledged_at)]
    assert isinstance(expected[0][1], datetime.date)  # not SQLite's text


def test_lists_of_ids_and_datetimes_as_parameters_one_compilation_per_length():
    units = [UnitFactory() for _ in range(3)]
    channels = [ChannelFactory(unit=unit) for unit in units]
    builds = []

    def build(unit_ids, since):
        builds.append(len(unit_ids))
        return Channel.objects.of_units(unit_ids).filter(created_at__gte=since).order_by("pk").values_list("pk")

    query = PreparedQuery(build, unit_ids=INTS, since=datetime.datetime)
    long_ago = timezone.now() - datetime.timedelta(days=1)
    with CaptureQueriesContext(connection) as captured:
        assert query(unit_ids=[units[0].pk], since=long_ago) == [(channels[0].pk,)]
        assert query(unit_ids=[units[2].pk], since=long_ago) == [(channels[2].pk,)]
        assert query(unit_ids=[units[0].pk, units[1].pk], since=long_ago) == [(channels[0].pk,), (channels[1].pk,)]
        assert query(unit_ids=[units[0].pk], since=timezone.now() + datetime.timedelta(days=1)) == []
        assert query(unit_ids=[], since=long_ago) == []  # matches nothing, as in the ORM: no query
    assert builds[:2] == [1, 2]
    assert len(captured.captured_queries) == 4


def test_a_value_computed_from_a_stand_in_is_refused():
    """``expiring`` adds days to the day given: that sum would stay in the compiled SQL."""
    query = PreparedQuery(
        lambda day: Mandate.objects.expiring(within_days=30, on=day).values_list("pk"), day=datetime.date
    )
    with pytest.raises(ImproperlyConfigured, match="derived"):
        query(day=timezone.localdate())
