"""An administrator links an existing account to a person at the identity provider, or undoes it."""

import pytest
from django.urls import reverse

from accounts.models import ExternalIdentity

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"


def _events(caplog, name):
    return [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == name]


def test_admin_links_a_local_account(client, world, caplog):
    client.force_login(world.users["admin"])
    employee = world.users["employee"]
    response = client.post(
        reverse("admin:accounts_externalidentity_add"), {"user": employee.pk, "issuer": ISSUER, "subject": "oid-1"}
    )
    assert response.status_code == 302
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (employee, ISSUER, "oid-1")
    [event] = _events(caplog, "auth.sso_linked")
    assert event["by"] == "administrator" and event["user"] == "admin" and event["account"] == employee.username


def test_admin_cannot_link_an_administrator_or_a_taken_subject(client, world):
    client.force_login(world.users["admin"])
    add = reverse("admin:accounts_externalidentity_add")
    response = client.post(add, {"user": world.users["admin"].pk, "issuer": ISSUER, "subject": "oid-2"})
    assert response.status_code == 200 and response.context["adminform"].form.has_error("user", code="invalid_choice")
    ExternalIdentity.objects.create(user=UserFactory(password=None), issuer=ISSUER, subject="oid-2")
    response = client.post(add, {"user": world.users["employee"].pk, "issuer": ISSUER, "subject": "oid-2"})
    assert response.status_code == 200
    assert ExternalIdentity.objects.count() == 1


def test_admin_unlinks_but_never_edits_a_link(client, world, caplog):
    client.force_login(world.users["admin"])
    identity = ExternalIdentity.objects.create(user=world.users["employee"], issuer=ISSUER, subject="oid-3")
    change = reverse("admin:accounts_externalidentity_change", args=[identity.pk])
    response = client.post(change, {"user": world.users["writer"].pk, "issuer": ISSUER, "subject": "oid-3"})
    assert response.status_code == 403
    response = client.post(reverse("admin:accounts_externalidentity_delete", args=[identity.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ExternalIdentity.objects.exists()
    assert _events(caplog, "auth.sso_unlinked")[0]["subject"] == "oid-3"


@pytest.mark.parametrize("role", ["employee", "web_team", "manager", "archivist"])
def test_only_administrators_reach_the_links(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("admin:accounts_externalidentity_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
