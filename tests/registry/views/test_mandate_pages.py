"""registry.views.mandates: what the compiled reads must still show (who revoked a mandate, a missing one)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ...factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_revoked_mandates_page_names_who_revoked_it(client, world):
    """``with_related`` no longer joins ``revoked_by``: the page reads it when it shows it."""
    revoker = UserFactory(first_name="Rut", last_name="Återkallare")
    mandate = MandateFactory(
        employee=world.users["writer"],
        channel=world.channel,
        granted_by=world.users["manager"],
        revoked_at=timezone.now(),
        revoked_by=revoker,
        revocation_reason="Slutat på förvaltningen.",
    )
    client.force_login(world.users["manager"])
    page = client.get(reverse("mandates:detail", kwargs={"pk": mandate.pk})).content.decode()
    assert "Rut Återkallare" in page and "Slutat på förvaltningen." in page


@pytest.mark.parametrize("role", ["employee", "other_manager", "writer", "web_team"])
def test_a_mandate_one_may_not_see_or_that_does_not_exist_is_404(client, world, role):
    other = MandateFactory(employee=world.users["employee"], channel=world.other_channel)
    client.force_login(world.users[role])
    for missing in (987654, 0, 2**63, 10**30):
        assert client.get(reverse("mandates:detail", kwargs={"pk": missing})).status_code == 404
    visible = role in ("employee", "other_manager", "web_team")
    assert client.get(reverse("mandates:detail", kwargs={"pk": other.pk})).status_code == (200 if visible else 404)


def test_my_mandates_lists_those_awaiting_acknowledgement_and_none_for_others(client, world):
    """The pending list is read only for a person holding a current mandate (every awaiting one is current)."""
    pending = MandateFactory(employee=world.users["employee"], channel=world.channel)
    client.force_login(world.users["employee"])
    assert [m.pk for m in client.get(reverse("mandates:mine")).context["pending"]] == [pending.pk]
    client.force_login(world.users["archivist"])
    assert client.get(reverse("mandates:mine")).context["pending"] == []
