"""registry.services.politician_links: politicians' links on the public list (4:5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import selectors
from registry.models import PoliticianLink
from registry.services.politician_links import (
    politician_link_register,
    politician_link_set_published,
    politician_link_update,
    politician_link_withdraw,
)

pytestmark = pytest.mark.django_db


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
