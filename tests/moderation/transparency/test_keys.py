"""The signing key: a file outside the database, created by a command; refused when missing."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from moderation.transparency import keys
from moderation.transparency.note import Signer, Verifier
from tests.production.test_security import ROOT, production_environment


def test_the_command_creates_a_private_key_file_and_prints_the_public_key(tmp_path, settings, capsys):
    path = tmp_path / "keys" / "log.key"
    call_command("create_moderation_log_key", out=str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    signer = Signer.parse(path.read_text())
    assert signer.name == settings.MODERATION_LOG_ORIGIN
    assert Verifier.parse(capsys.readouterr().out.splitlines()[-1]) == signer.verifier
    before = path.read_text()
    with pytest.raises(CommandError):
        call_command("create_moderation_log_key", out=str(path))
    assert path.read_text() == before


def test_the_test_run_has_a_key():
    assert keys.signer().name == keys.origin()


def test_debug_creates_a_development_key(tmp_path, settings):
    settings.DEBUG = True
    settings.MODERATION_LOG_DEVELOPMENT_KEY = True
    settings.MODERATION_LOG_SIGNING_KEY_FILE = str(tmp_path / "var" / "dev.key")
    signer = keys.signer()
    assert (tmp_path / "var" / "dev.key").exists()
    assert keys.signer() == signer  # the same key next time


def test_a_missing_or_broken_key_fails_the_check(tmp_path, settings):
    settings.MODERATION_LOG_SIGNING_KEY_FILE = str(tmp_path / "missing.key")
    errors = keys.check_signing_key()
    assert [e.id for e in errors] == ["moderation.E001"]
    with pytest.raises(ImproperlyConfigured):
        keys.signer()
    (tmp_path / "broken.key").write_text("not a key\n")
    settings.MODERATION_LOG_SIGNING_KEY_FILE = str(tmp_path / "broken.key")
    assert [e.id for e in keys.check_signing_key()] == ["moderation.E001"]
    keys.write_key_file(tmp_path / "other.key", "someone.else/log")
    settings.MODERATION_LOG_SIGNING_KEY_FILE = str(tmp_path / "other.key")
    assert [e.id for e in keys.check_signing_key()] == ["moderation.E001"]


def _run(env, *command):
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_signing_key(tmp_path):
    env = production_environment()
    del env["MODERATION_LOG_SIGNING_KEY_FILE"]
    result = _run(env, "check")
    assert result.returncode != 0 and "MODERATION_LOG_SIGNING_KEY_FILE is not set" in result.stderr
    env["MODERATION_LOG_SIGNING_KEY_FILE"] = str(tmp_path / "log.key")
    result = _run(env, "check")
    assert result.returncode != 0 and "moderation.E001" in result.stderr
    code = "import norsjo.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr
    # the command that makes the key runs without one, and then everything starts
    result = _run(env, "create_moderation_log_key")
    assert result.returncode == 0, result.stderr
    result = _run(env, "check")
    assert result.returncode == 0, result.stderr
    assert os.path.exists(env["MODERATION_LOG_SIGNING_KEY_FILE"])
