"""Security settings: check --deploy, headers, cookies, signing out (session lifetime: tests/norsjo)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def production_environment(**overrides) -> dict:
    """Return an environment as docs/deploy.md sets it up, with nothing from the test run."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "LANG": "C.UTF-8",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kanalregistret.norsjo.se",
        "CSRF_TRUSTED_ORIGINS": "https://kanalregistret.norsjo.se",
        "DATABASE_URL": "postgres://kanalregistret:secret@127.0.0.1:5432/kanalregistret",
        "MUNICIPALITY_NAME": "Norsjö kommun",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_SSL_REDIRECT": "true",
        "EMBED_ALLOWED_ORIGINS": "https://www.norsjo.se",
        # The test run's throwaway key (tests/environment.py), named after its origin.
        "MODERATION_LOG_SIGNING_KEY_FILE": os.environ["MODERATION_LOG_SIGNING_KEY_FILE"],
        "MODERATION_LOG_ORIGIN": os.environ["MODERATION_LOG_ORIGIN"],
    }
    env.update(overrides)
    return env


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


# Run Django in a subprocess as someone who set only the required variables would: the
# developer's .env (read by settings when present) is switched off, so it cannot help.
_WITHOUT_DOTENV = """
import os, sys
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def run_with_only_the_required_settings(*command, **extra) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "kanalregistret.norsjo.se",
        "MODERATION_LOG_SIGNING_KEY_FILE": os.environ["MODERATION_LOG_SIGNING_KEY_FILE"],
        "MODERATION_LOG_ORIGIN": os.environ["MODERATION_LOG_ORIGIN"],
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_DOTENV, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_only_the_required_settings():
    """Secure by default: nothing but SECRET_KEY, DEBUG=false, ALLOWED_HOSTS and the moderation
    log's signing key (issue 12) passes check --deploy."""
    result = run_with_only_the_required_settings("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def test_https_redirect_is_on_by_default_without_debug():
    code = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT)"
    result = run_with_only_the_required_settings("shell", "-v", "0", "-c", code)
    assert result.stdout.strip() == "True", result.stdout + result.stderr
    result = run_with_only_the_required_settings("shell", "-v", "0", "-c", code, DEBUG="true")
    assert result.stdout.strip() == "False", result.stdout + result.stderr


def test_the_test_suite_runs_without_the_https_redirect(settings):
    """tests/environment.py turns the redirect off: the test client speaks plain http."""
    assert settings.SECURE_SSL_REDIRECT is False


def test_https_redirect_spares_healthz_for_the_load_balancer(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    response = client.get(reverse("public:list"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("public:list")
    response = client.get(reverse("home"))
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_check_deploy_complains_with_debug_on():
    """The check is real: DEBUG on in a production environment is reported."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_embed_origin_is_refused_at_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_environment(EMBED_ALLOWED_ORIGINS="https://x.se; script-src *"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EMBED_ALLOWED_ORIGINS" in result.stderr


def test_security_headers_on_every_page(client, world):
    client.force_login(world.users["employee"])
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_session_and_csrf_cookies_are_secure_and_http_only(client, world):
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"username": "anstalld", "password": "norsjo-demo"}, secure=True, follow=False
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    assert int(session_cookie["max-age"]) == 30 * 60
    csrf_cookie = client.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"]


def _signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def test_signing_out_ends_the_session_on_the_server(client, world):
    client.force_login(world.users["employee"])
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    # A stolen copy of the old cookie is worth nothing.
    client.cookies["sessionid"] = session_key
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_signing_out_by_get_is_refused(client, world):
    """Sign-out is a POST (a link elsewhere cannot sign people out)."""
    client.force_login(world.users["employee"])
    assert client.get(reverse("logout")).status_code == 405
    assert _signed_in(client)


def test_changing_the_password_signs_out_every_other_session(world):
    from django.test import Client

    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.post(reverse("login"), {"username": "anstalld", "password": "norsjo-demo"})
        assert _signed_in(client)
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": "norsjo-demo",
            "new_password1": "ett-nytt-losenord-42",
            "new_password2": "ett-nytt-losenord-42",
        },
    )
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)


def test_password_change_refuses_fewer_than_twelve_characters(client, world):
    """OWASP ASVS 2.1.1: a new password has at least 12 characters."""
    client.force_login(world.users["employee"])
    eleven = "kx7-vq2-mz9"
    response = client.post(
        reverse("password_change"),
        {"old_password": "norsjo-demo", "new_password1": eleven, "new_password2": eleven},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", code="password_too_short")
    twelve = eleven + "w"
    response = client.post(
        reverse("password_change"),
        {"old_password": "norsjo-demo", "new_password1": twelve, "new_password2": twelve},
    )
    assert response.status_code == 302
    world.users["employee"].refresh_from_db()
    assert world.users["employee"].check_password(twelve)
