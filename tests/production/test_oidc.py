"""Single sign-on end to end against a real OpenID provider (npm oidc-provider) on loopback.

The provider is started from tests/oidc (``npm ci`` there installs it; .ci/run does). Without
node or the installed package these tests are skipped with the reason printed, unless
REQUIRE_OIDC_PROVIDER is set (CI), where they fail instead.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth.models import User
from django.urls import reverse

from registry.permissions import ARCHIVIST_GROUP, WEB_TEAM_GROUP

from ..factories import UserFactory

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "kanalregistret"
CLIENT_SECRET = secrets.token_urlsafe(32)
ACCOUNTS = {
    "anna.webb": {"email": "anna@norsjo.example", "given_name": "Anna", "family_name": "Webb", "groups": ["KOM-Webb"]},
    "arne.arkiv": {"email": "arne@norsjo.example", "given_name": "Arne", "family_name": "Ark", "groups": ["KS-Arkiv"]},
    "eva.anstalld": {"email": "eva@norsjo.example", "given_name": "Eva", "family_name": "Ek", "groups": ["Alla"]},
    "admin": {"email": "it@norsjo.example", "groups": ["KOM-Webb"]},
}

pytestmark = [pytest.mark.django_db(transaction=True)]


def _unavailable(reason):
    if os.environ.get("REQUIRE_OIDC_PROVIDER"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    node = shutil.which("node")
    if not node:
        _unavailable("node is not installed: the OpenID provider for the single sign-on tests cannot run")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        _unavailable("oidc-provider is not installed: run `npm ci` in tests/oidc")
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/logga-in/",
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        [node, "provider.js"], cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    issuer = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None:
                pytest.fail("the OpenID provider did not start: " + process.stdout.read())
            time.sleep(0.1)
    yield requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider, catalogue):
    """Configure single sign-on as docs/deploy.md does, pointing at the provider."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider["jwks_uri"]
    settings.OIDC_OP_LOGOUT_ENDPOINT = oidc_provider["end_session_endpoint"]
    settings.OIDC_WEB_TEAM_GROUPS = ["KOM-Webb"]
    settings.OIDC_ARCHIVIST_GROUPS = ["KS-Arkiv"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "norsjo.oidc.MunicipalOIDCBackend"]
    # The live server speaks plain http on loopback; requests keeps Secure cookies off http.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return oidc_provider


def _submit_form(session, response):
    """Post the first form of an HTML page with its inputs, as a browser would."""
    html = response.text
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return action, fields


def sign_in_through_provider(live_server, login, next_url=""):
    """Follow the whole authorization code flow with a plain HTTP client; return the session and last response."""
    session = requests.Session()
    start = f"{live_server.url}{reverse('oidc_authentication_init')}"
    if next_url:
        start += f"?next={next_url}"
    response = session.get(start, timeout=30)  # -> provider -> its login page
    assert 'name="login"' in response.text, response.text[:500]
    action, fields = _submit_form(session, response)
    response = session.post(urljoin(response.url, action), data={**fields, "login": login, "password": "x"}, timeout=30)
    if 'name="prompt" value="consent"' in response.text:  # the consent page
        action, fields = _submit_form(session, response)
        response = session.post(urljoin(response.url, action), data=fields, timeout=30)
    return session, response


def test_sso_signs_in_and_maps_groups_to_the_web_team(live_server, sso):
    session, response = sign_in_through_provider(live_server, "anna.webb", next_url="/kanaler/")
    assert response.status_code == 200
    assert response.url == f"{live_server.url}/kanaler/"
    user = User.objects.get(username="anna.webb")
    assert user.email == "anna@norsjo.example" and user.first_name == "Anna"
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {WEB_TEAM_GROUP}
    # A web team page answers: the role came from the identity provider's group.
    assert session.get(f"{live_server.url}{reverse('registry:channel_create')}", timeout=30).status_code == 200


def test_sso_maps_the_archivist_and_removes_roles_the_provider_took_away(live_server, sso):
    existing = UserFactory(username="arne.arkiv", groups=[WEB_TEAM_GROUP])
    session, response = sign_in_through_provider(live_server, "arne.arkiv")
    assert response.url == f"{live_server.url}/"
    assert set(existing.groups.values_list("name", flat=True)) == {ARCHIVIST_GROUP}
    assert session.get(f"{live_server.url}{reverse('registry:channel_create')}", timeout=30).status_code == 403


def test_sso_person_without_role_groups_is_an_employee(live_server, sso):
    session, response = sign_in_through_provider(live_server, "eva.anstalld")
    assert response.status_code == 200
    assert not User.objects.get(username="eva.anstalld").groups.exists()
    assert session.get(f"{live_server.url}{reverse('registry:channel_create')}", timeout=30).status_code == 403


def test_signing_out_ends_the_session_here_and_at_the_provider(live_server, sso):
    session, _ = sign_in_through_provider(live_server, "eva.anstalld")
    # While the provider's session lives, single sign-on needs no password: the next person
    # at a shared computer would be signed in as Eva.
    for cookie in [cookie for cookie in session.cookies if cookie.domain != "127.0.0.1"]:  # the application's
        session.cookies.clear(cookie.domain, cookie.path, cookie.name)
    again = session.get(f"{live_server.url}{reverse('oidc_authentication_init')}", timeout=30)
    assert again.url.startswith(live_server.url) and 'name="login"' not in again.text

    token = session.cookies["csrftoken"]
    response = session.post(f"{live_server.url}{reverse('logout')}", data={"csrfmiddlewaretoken": token}, timeout=30)
    assert response.url.startswith(sso["end_session_endpoint"])  # the provider asks to confirm
    action, fields = _submit_form(session, response)
    response = session.post(urljoin(response.url, action), data={**fields, "logout": "yes"}, timeout=30)
    assert response.url == f"{live_server.url}/logga-in/"
    assert session.get(f"{live_server.url}/", timeout=30, allow_redirects=False).status_code == 302
    # Signed out at the provider too: single sign-on asks for the password again.
    response = session.get(f"{live_server.url}{reverse('oidc_authentication_init')}", timeout=30)
    assert 'name="login"' in response.text


def test_sso_never_signs_in_an_administrator(live_server, sso):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    session, response = sign_in_through_provider(live_server, "admin")
    assert response.url.endswith("/logga-in/?sso=failed")
    assert "Inloggningen via" in response.text  # the sign-in page says single sign-on failed
    assert session.get(f"{live_server.url}/", timeout=30, allow_redirects=False).status_code == 302


def test_local_accounts_keep_working_beside_sso(client, sso, world):
    response = client.get(reverse("login"))
    assert reverse("oidc_authentication_init") in response.text
    response = client.post(reverse("login"), {"username": "admin", "password": "norsjo-demo"})
    assert response.status_code == 302


def test_sso_urls_answer_404_when_not_configured(client, db):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert reverse("oidc_authentication_init") not in client.get(reverse("login")).text
