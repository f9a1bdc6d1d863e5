"""Shared fixtures: one person per role, and the channels they act on."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from branding.selectors import use_defaults_until_forgotten
from registry.catalogue import ensure_catalogue
from registry.models import Channel, Mandate, Platform, Unit
from registry.permissions import ARCHIVIST_GROUP, REGISTRAR_GROUP, WEB_TEAM_GROUP

from .factories import ChannelFactory, MandateFactory, UnitFactory, UserFactory

# Every role of the permission matrix (issue 2): a person with exactly that role.
ROLES = [
    "anonymous",
    "employee",
    "writer",
    "manager",
    "other_manager",
    "web_team",
    "archivist",
    "registrar",
    "admin",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords cheaply; the real hasher is Django's and needs no test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _brand_defaults():
    """Pages show the default graphic profile without reading it (tests/branding and its browser test read it)."""
    use_defaults_until_forgotten()
    yield
    use_defaults_until_forgotten()


@pytest.fixture
def catalogue(db):
    """The seeded platforms and groups; re-created when a transactional test flushed them."""
    ensure_catalogue(Platform, Group)


@dataclass
class World:
    """A small municipality: two units, their managers and channels, one person per role."""

    unit: Unit
    other_unit: Unit
    channel: Channel
    proposed: Channel
    other_channel: Channel
    users: dict
    mandate: Mandate  # the writer's active mandate on ``channel``

    def user(self, role: str) -> User | None:
        return self.users.get(role)


@pytest.fixture
def world(catalogue) -> World:
    users = {
        "employee": UserFactory(username="anstalld"),
        "writer": UserFactory(username="skribent"),
        "manager": UserFactory(username="chef"),
        "other_manager": UserFactory(username="chef2"),
        "web_team": UserFactory(username="webb", groups=[WEB_TEAM_GROUP]),
        "archivist": UserFactory(username="arkivarie", groups=[ARCHIVIST_GROUP]),
        "registrar": UserFactory(username="registrator", groups=[REGISTRAR_GROUP]),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    unit = UnitFactory(name="Kultur- och fritidsförvaltningen", slug="kultur", managers=[users["manager"]])
    other_unit = UnitFactory(name="Socialförvaltningen", slug="social", managers=[users["other_manager"]])
    channel = ChannelFactory(unit=unit, name="Norsjö bibliotek", created_by=users["web_team"], is_published=True)
    proposed = ChannelFactory(
        unit=unit, name="Ung i Norsjö", status=Channel.Status.PROPOSED, created_by=users["manager"]
    )
    other_channel = ChannelFactory(unit=other_unit, name="Socialtjänsten informerar", created_by=users["web_team"])
    today = timezone.localdate()
    mandate = MandateFactory(
        employee=users["writer"],
        channel=channel,
        granted_by=users["manager"],
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=335),
        acknowledged_at=timezone.now() - timedelta(days=29),
    )
    return World(unit, other_unit, channel, proposed, other_channel, users, mandate)


@pytest.fixture
def web_team(world):
    return world.users["web_team"]


@pytest.fixture
def manager(world):
    return world.users["manager"]


def client_for(client, world: World, role: str):
    """Return *client* signed in as *role* (anonymous stays signed out)."""
    if role != "anonymous":
        client.force_login(world.users[role])
    return client
