"""Who may grant whom a mandate (issue 10, item 10): never oneself, never an administrator.

One rule, ``permissions.mandate_grant_refusal``, asked by the services, the grant form and
the channel page's buttons.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from registry import permissions, selectors
from registry.models import Mandate
from registry.services.mandates import mandate_grant, mandate_grant_many, mandate_renew

from ..conftest import ROLES
from ..factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db

SCOPE = "Svara på frågor om bibliotekets öppettider."


def _grant(world, *, actor, employee, channel=None):
    return mandate_grant(actor=actor, channel=channel or world.channel, employee=employee, scope=SCOPE)


def test_manager_cannot_grant_himself(world, manager):
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, actor=manager, employee=manager)
    assert excinfo.value.code == "self_grant"
    with pytest.raises(ValidationError) as excinfo:
        mandate_grant_many(actor=manager, channels=[world.channel], employee=manager, scope=SCOPE)
    assert excinfo.value.code == "self_grant"
    assert not Mandate.objects.filter(employee=manager).exists()


def test_nobody_grants_an_administrator(world, manager, web_team):
    admin = world.users["admin"]
    world.unit.managers.add(admin)  # even an administrator who manages the unit
    for actor in (manager, web_team):
        with pytest.raises(ValidationError) as excinfo:
            _grant(world, actor=actor, employee=admin)
        assert excinfo.value.code == "administrator"
    assert not Mandate.objects.filter(employee=admin).exists()


# The manager's own mandate on the unit's channel, tried by every role.
OWN_MANDATE_OUTCOME = {
    "employee": PermissionDenied,
    "writer": PermissionDenied,
    "manager": "self_grant",
    "other_manager": PermissionDenied,  # a manager of another unit
    "web_team": None,
    "archivist": PermissionDenied,
    "admin": PermissionDenied,
}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_managers_own_mandate_for_every_role(world, manager, role):
    """A manager's own mandate comes from the web team or another manager of the unit, nobody else."""
    expected = OWN_MANDATE_OUTCOME[role]
    actor = world.users[role]
    if expected is None:
        mandate = _grant(world, actor=actor, employee=manager)
        assert mandate.granted_by == actor
    elif expected is PermissionDenied:
        with pytest.raises(PermissionDenied):
            _grant(world, actor=actor, employee=manager)
    else:
        with pytest.raises(ValidationError) as excinfo:
            _grant(world, actor=actor, employee=manager)
        assert excinfo.value.code == expected


def test_another_manager_of_the_unit_grants_the_managers_mandate(world, manager):
    colleague = UserFactory(username="chef3")
    world.unit.managers.add(colleague)
    assert _grant(world, actor=colleague, employee=manager).granted_by == colleague
    assert _grant(world, actor=manager, employee=colleague).granted_by == manager


def test_web_team_grants_only_the_units_managers(world, web_team):
    """The web team does not appoint a unit's staff: that stays the manager's (4:2)."""
    with pytest.raises(PermissionDenied):
        _grant(world, actor=web_team, employee=world.users["employee"])
    with pytest.raises(PermissionDenied):  # a manager, but of another unit
        _grant(world, actor=web_team, employee=world.users["other_manager"])


def test_web_team_member_who_manages_cannot_grant_himself(world, web_team):
    world.unit.managers.add(web_team)
    web_team.__dict__.pop("_kanal_managed_unit_ids", None)  # forget the remembered answer
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, actor=web_team, employee=web_team)
    assert excinfo.value.code == "self_grant"


def test_renewal_of_own_mandate_follows_the_same_rule(world, manager, web_team):
    """Renewing is granting again: the manager does not renew his own mandate; the web team does."""
    today = timezone.localdate()
    own = MandateFactory(
        employee=manager,
        channel=world.channel,
        granted_by=web_team,
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=10),
        acknowledged_at=timezone.now(),
    )
    assert not permissions.can_renew_mandate(manager, own)
    with pytest.raises(ValidationError) as excinfo:
        mandate_renew(mandate=own, actor=manager)
    assert excinfo.value.code == "self_grant"
    assert permissions.can_renew_mandate(web_team, own)
    assert mandate_renew(mandate=own, actor=web_team).granted_by == web_team


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


def test_grant_form_does_not_offer_oneself_or_the_administrator(client, world, manager):
    client.force_login(manager)
    response = client.get(reverse("mandates:grant"))
    offered = set(response.context["form"].fields["employee"].queryset)
    assert manager not in offered and world.users["admin"] not in offered
    assert world.users["employee"] in offered
    # A tampered post naming oneself is refused with the form, never granted.
    today = timezone.localdate()
    data = {
        "employee": manager.pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "scope": SCOPE,
    }
    response = client.post(reverse("mandates:grant"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("employee", code="invalid_choice")
    response = client.post(reverse("mandates:grant"), data | {"employee": world.users["admin"].pk})
    assert response.context["form"].has_error("employee", code="invalid_choice")
    assert not Mandate.objects.filter(employee__in=[manager, world.users["admin"]]).exists()


def test_web_team_reaches_the_grant_form_from_the_channel_page(client, world, manager, web_team):
    """The channel page offers the web team one button per manager of the unit; the form grants it."""
    client.force_login(web_team)
    page = client.get(world.channel.get_absolute_url())
    assert page.context["grant_to_managers"] == [manager]
    link = f"{reverse('mandates:grant')}?channel={world.channel.pk}&amp;employee={manager.pk}"
    assert link in page.content.decode()
    form = client.get(reverse("mandates:grant"), {"channel": world.channel.pk, "employee": manager.pk})
    assert set(form.context["form"].fields["employee"].queryset) == {manager, world.users["other_manager"]}
    today = timezone.localdate()
    data = {
        "employee": manager.pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "scope": SCOPE,
    }
    assert client.post(reverse("mandates:grant"), data).status_code == 302
    assert Mandate.objects.get(employee=manager).granted_by == web_team
    # The other unit's manager on this unit's channel: an error on the form, not a 403.
    response = client.post(reverse("mandates:grant"), data | {"employee": world.users["other_manager"].pk})
    assert response.status_code == 200
    assert response.context["form"].has_error("channels", code="web_team_managers_only")


def test_channel_page_buttons_for_the_manager(client, world, manager):
    client.force_login(manager)
    page = client.get(world.channel.get_absolute_url())
    assert page.context["can_grant"] is True
    assert page.context["grant_to_managers"] == []
