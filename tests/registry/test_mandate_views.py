"""Mandate screens: the permission matrix, tampered posts, what each page shows, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.models import Mandate

from ..factories import MandateFactory
from ..matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db


def _mandate(world):
    return {"pk": world.mandate.pk}


def _pending_for_employee(world):
    """A mandate on the library page that waits for the plain employee's acknowledgement."""
    mandate = MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=timezone.localdate(),
    )
    return {"pk": mandate.pk}


def _grant_post(world):
    today = timezone.localdate()
    return {
        "employee": world.users["employee"].pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=180)).isoformat(),
        "scope": "Svara på frågor om bibliotekets öppettider.",
    }


# Who sees a mandate: the employee (writer), the granting manager of the unit, the web team; others 404.
SEES_MANDATE = {"writer": 200, "manager": 200, "web_team": 200}

MATRIX = [
    Row("mandates:mine", expect(200)),
    Row("mandates:guidelines", expect(200)),
    Row("mandates:detail", expect(404, **SEES_MANDATE), kwargs=_mandate),
    Row("mandates:print", expect(404, **SEES_MANDATE), kwargs=_mandate),
    # Someone else's mandate is "not yours": 404, even for the manager and the web team.
    Row("mandates:acknowledge", expect(404, employee=200), kwargs=_pending_for_employee),
    Row(
        "mandates:acknowledge",
        expect(404, employee=302),
        method="post",
        kwargs=_pending_for_employee,
        data=lambda w: {"confirm": "on"},
    ),
    Row("mandates:grant", only({"manager": 200, "other_manager": 200})),
    # Another unit's channel is not among the other manager's choices: the form comes back (200).
    Row("mandates:grant", only({"manager": 302, "other_manager": 200}), method="post", data=_grant_post),
    Row("mandates:revoke", expect(404, writer=403, manager=200, web_team=200), kwargs=_mandate),
    Row(
        "mandates:revoke",
        expect(404, writer=403, manager=302, web_team=302),
        method="post",
        kwargs=_mandate,
        data=lambda w: {"reason": "Byter arbetsuppgifter."},
    ),
    Row("mandates:renew", expect(404, writer=403, manager=200, web_team=403), kwargs=_mandate),
    Row("mandates:renew", expect(404, writer=403, manager=302, web_team=403), method="post", kwargs=_mandate),
    Row("mandates:manager", only({"manager": 200, "other_manager": 200})),
    Row("mandates:writers", only({"web_team": 200})),
]


@params(MATRIX)
def test_mandate_permission_matrix(client, world, row, role):
    """Every mandate URL answers every role as the matrix says."""
    run_row(client, world, row, role)
