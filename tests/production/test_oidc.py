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
from django.utils import translation

from accounts.models import ExternalIdentity
from accounts.services import ERRORS
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
    # Logins are the subjects (sub); these people's user names at the provider differ from them.
    "3f2a-kim": {"preferred_username": "kim.larsson", "email": "kim@norsjo.example", "groups": ["Alla"]},
    "9c1e-lisa": {"preferred_username": "lisa.lund", "email": "lisa@norsjo.example", "groups": ["Alla"]},
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
def idp_accounts_file(tmp_path_factory) -> Path:
    """The provider's accounts, read at every sign-in: a test may change a person's claims."""
    path = tmp_path_factory.mktemp("oidc") / "accounts.json"
    path.write_text(json.dumps(ACCOUNTS))
    return path


@pytest.fixture
def idp_accounts(idp_accounts_file):
    """Change the provider's accounts for one test: ``idp_accounts(login, **claims)``."""
    accounts = json.loads(json.dumps(ACCOUNTS))

    def change(login, **claims):
        accounts[login].update(claims)
        idp_accounts_file.write_text(json.dumps(accounts))

    yield change
    idp_accounts_file.write_text(json.dumps(ACCOUNTS))


@pytest.fixture(scope="session")
def oidc_provider(live_server, idp_accounts_file):
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
        "OIDC_ACCOUNTS_FILE": str(idp_accounts_file),
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
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.MunicipalOIDCBackend"]
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
    # Made by single sign-on before accounts were bound (no password): bound at this sign-in.
    existing = UserFactory(username="arne.arkiv", password=None, groups=[WEB_TEAM_GROUP])
    session, response = sign_in_through_provider(live_server, "arne.arkiv")
    assert response.url == f"{live_server.url}/"
    assert set(existing.groups.values_list("name", flat=True)) == {ARCHIVIST_GROUP}
    assert ExternalIdentity.objects.get(user=existing).subject == "arne.arkiv"
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


def _is_signed_in(session, live_server) -> bool:
    return session.get(f"{live_server.url}/", timeout=30, allow_redirects=False).status_code == 200


def _refusals(caplog) -> list[dict]:
    return [
        record.security
        for record in caplog.records
        if getattr(record, "security", {}).get("event") == "auth.sso_refused"
    ]


def test_sso_binds_a_new_account_to_the_subject(live_server, sso):
    session, _ = sign_in_through_provider(live_server, "3f2a-kim")
    assert _is_signed_in(session, live_server)
    user = User.objects.get(username="kim.larsson")
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso["issuer"], "3f2a-kim")


def test_sso_keeps_the_account_when_the_user_name_at_the_provider_changes(live_server, sso, idp_accounts):
    """Entra ID's preferred_username is mutable: the account follows the subject, not the name."""
    session, _ = sign_in_through_provider(live_server, "3f2a-kim")
    kim = User.objects.get(username="kim.larsson")
    idp_accounts("3f2a-kim", preferred_username="kim.berg", email="kim.berg@norsjo.example")
    session, _ = sign_in_through_provider(live_server, "3f2a-kim")
    assert _is_signed_in(session, live_server)
    assert not User.objects.filter(username="kim.berg").exists()
    kim.refresh_from_db()
    assert kim.email == "kim.berg@norsjo.example"  # the same account, its profile brought up to date
    assert ExternalIdentity.objects.filter(user=kim).count() == 1


def test_sso_never_takes_over_a_local_account_with_a_password(live_server, sso, idp_accounts, caplog):
    """A new person whose user name equals a local account's does not get that account."""
    local = UserFactory(username="kim.berg", email="kim.berg@annan.example")
    idp_accounts("3f2a-kim", preferred_username="kim.berg")
    session, response = sign_in_through_provider(live_server, "3f2a-kim")
    assert response.url.endswith("/logga-in/?sso=failed")
    assert not _is_signed_in(session, live_server)
    with translation.override("sv"):
        assert str(ERRORS["local_account"]) in unescape(response.text)  # says why, in Swedish
    [refusal] = _refusals(caplog)
    assert refusal["reason"] == "local_account"
    assert (refusal["issuer"], refusal["subject"]) == (sso["issuer"], "3f2a-kim")
    local.refresh_from_db()
    assert local.email == "kim.berg@annan.example" and local.has_usable_password()
    assert not ExternalIdentity.objects.exists()
    assert User.objects.filter(username__iexact="kim.berg").count() == 1


def test_an_administrator_links_a_local_account_then_sso_signs_in_to_it(live_server, sso, idp_accounts, world, caplog):
    """The refusal names the issuer and subject; an administrator links them to the account."""
    local = UserFactory(username="kim.berg")
    idp_accounts("3f2a-kim", preferred_username="kim.berg")
    sign_in_through_provider(live_server, "3f2a-kim")
    [refusal] = _refusals(caplog)

    admin = requests.Session()
    admin.get(f"{live_server.url}{reverse('login')}", timeout=30)
    admin.post(
        f"{live_server.url}{reverse('login')}",
        data={"username": "admin", "password": "norsjo-demo", "csrfmiddlewaretoken": admin.cookies["csrftoken"]},
        timeout=30,
    )
    add = f"{live_server.url}{reverse('admin:accounts_externalidentity_add')}"
    admin.get(add, timeout=30)
    response = admin.post(
        add,
        data={
            "user": local.pk,
            "issuer": refusal["issuer"],
            "subject": refusal["subject"],
            "csrfmiddlewaretoken": admin.cookies["csrftoken"],
        },
        headers={"Referer": add},
        timeout=30,
    )
    assert response.status_code == 200 and response.url.endswith("/admin/accounts/externalidentity/")

    session, _ = sign_in_through_provider(live_server, "3f2a-kim")
    assert _is_signed_in(session, live_server)
    logins = [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == "auth.login"]
    assert logins[-1]["user_id"] == local.pk and logins[-1]["backend"] == "MunicipalOIDCBackend"
    assert User.objects.filter(username__iexact="kim.berg").count() == 1


def test_sso_refuses_a_user_name_whose_account_is_bound_to_someone_else(live_server, sso, idp_accounts, caplog):
    """A user name the provider gave to a new person does not open the former holder's account."""
    former = UserFactory(username="lisa.lund", password=None)
    ExternalIdentity.objects.create(user=former, issuer=sso["issuer"], subject="0000-former-lisa")
    session, response = sign_in_through_provider(live_server, "9c1e-lisa")
    assert response.url.endswith("/logga-in/?sso=failed")
    assert not _is_signed_in(session, live_server)
    assert [refusal["reason"] for refusal in _refusals(caplog)] == ["linked_to_another"]


def test_local_accounts_keep_working_beside_sso(client, sso, world):
    response = client.get(reverse("login"))
    assert reverse("oidc_authentication_init") in response.text
    response = client.post(reverse("login"), {"username": "admin", "password": "norsjo-demo"})
    assert response.status_code == 302


def test_sso_urls_answer_404_when_not_configured(client, db):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert reverse("oidc_authentication_init") not in client.get(reverse("login")).text
