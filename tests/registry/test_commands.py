"""Management commands and start-up configuration."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.models import Channel, Unit

pytestmark = pytest.mark.django_db


def test_load_demo_data_refuses_with_debug_off(settings, catalogue):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert not User.objects.filter(username="chef").exists()


def test_load_demo_data_is_idempotent(settings, catalogue):
    """Running it twice creates the demo users of PRODUCT.md once, and nothing twice."""
    settings.DEBUG = True
    call_command("load_demo_data")
    counts = (User.objects.count(), Unit.objects.count(), Channel.objects.count())
    call_command("load_demo_data")
    assert (User.objects.count(), Unit.objects.count(), Channel.objects.count()) == counts
    for username in ["admin", "chef", "skribent", "webb", "arkivarie"]:
        assert User.objects.get(username=username).check_password("norsjo-demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="chef").managed_units.exists()
    assert Channel.objects.public().count() >= 3


def _settings_import(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.SECRET_KEY"],
        env=env | {"DJANGO_SETTINGS_MODULE": "norsjo.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_missing_secret_key_without_debug():
    """With DEBUG off a missing SECRET_KEY is a clear start-up error, not a silent default."""
    result = _settings_import({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_start_with_secret_key():
    assert _settings_import({"DEBUG": "false", "SECRET_KEY": "x" * 50}).returncode == 0


def test_load_demo_data_has_mandates_in_every_state(settings, catalogue):
    """The demo shows every mandate state, a renewal and an expiry in the history."""
    from registry.models import HistoryEntry, Mandate

    settings.DEBUG = True
    call_command("load_demo_data")
    mandates = list(Mandate.objects.all())
    assert {m.state for m in mandates} == set(Mandate.State)
    assert any(m.renewal_of_id for m in mandates)
    assert HistoryEntry.objects.filter(action="mandate.expired").exists()
    count = len(mandates)
    call_command("load_demo_data")
    assert Mandate.objects.count() == count
