"""No cache keeps a signed-in page: ``Cache-Control: private, no-store`` (norsjo.middleware).

Every row of every permission matrix, for every role: a signed-in person's response (pages,
forms, redirects, 403 and 404 pages, downloads and exports) and an anonymous person's redirect
to sign in are private; the public list, the API and the theme keep their own caching.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from ..conftest import ROLES
from ..matrix import run_row
from ..test_url_coverage import all_matrices

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"
# The public pages that declare their own caching: the same bytes for everyone.
PUBLIC_CACHING = {
    "public:list": "public, no-cache",
    "public:embed": "public, no-cache",
    "public:api_channels": "public, no-cache",
    "public:api_channels_csv": "public, no-cache",
    "public:api_organisation": "public, no-cache",
    "theme_css": "max-age=3600, public",
}


def _cases():
    for row in all_matrices():
        for role in ROLES:
            yield pytest.param(row, role, id=f"{row.id()}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_every_signed_in_response_is_private(client, world, row, role):
    response = run_row(client, world, row, role)
    cache_control = response.get("Cache-Control")
    if row.name in PUBLIC_CACHING and response.status_code in (200, 304):
        assert cache_control == PUBLIC_CACHING[row.name], f"{row.id()} as {role}"
    elif role != "anonymous":
        assert cache_control == PRIVATE, f"{row.id()} as {role}: {cache_control!r}"
        assert not response.has_header("Expires")
    elif row.expected["anonymous"] == 302 and response["Location"].startswith(reverse("login")):
        assert cache_control == PRIVATE, f"{row.id()}: the redirect to sign in: {cache_control!r}"


def test_public_list_keeps_its_caching_for_a_signed_in_person(client, world):
    client.force_login(world.users["web_team"])
    response = client.get(reverse("public:list"))
    assert response["Cache-Control"] == "public, no-cache"
    assert response.has_header("ETag")


@pytest.mark.parametrize("role", ["employee", "admin"])
def test_unknown_address_of_a_signed_in_person_is_private(client, world, role):
    client.force_login(world.users[role])
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE


def test_slash_redirect_of_a_signed_in_person_is_private(client, world):
    client.force_login(world.users["employee"])
    response = client.get("/kanaler")
    assert response.status_code == 301
    assert response["Cache-Control"] == PRIVATE


def test_csrf_failure_of_a_signed_in_person_is_private(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["employee"])
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    assert response["Cache-Control"] == PRIVATE


def test_admin_pages_are_private(client, world):
    client.force_login(world.users["admin"])
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    response = client.get(reverse("admin:auth_user_change", args=[User.objects.get(username="admin").pk]))
    assert response["Cache-Control"] == PRIVATE


def test_anonymous_public_pages_without_their_own_caching_are_left_alone(client, world):
    response = client.get(reverse("public:verify"))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
