"""bench/load.py drives the real URLs: every flow's name reverses, and the writes post real forms."""

import importlib.util
import re
from pathlib import Path

import pytest

from moderation.forms.log import RemovalForm
from registry.forms import ChannelForm
from registry.models import Unit

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", LOAD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_flow_reverses_to_a_real_url(load):
    paths = load.urls()  # NoReverseMatch would fail here: no flow is ever skipped
    assert set(paths) == {flow.name for flow in load.FLOWS}
    assert paths["public list"] == "/sociala-medier/"
    assert paths["public API"] == "/api/v1/channels/"
    assert paths["log a removal"] == "/moderering/logga/kanal/{my_channel}/"
    assert paths["moderation search"].startswith("/moderering/?q=")
    for flow in load.FLOWS:
        if flow.write:
            # The acknowledgement pattern matches the address the application redirects to.
            assert re.match(flow.created, "/moderering/12/" if "moderering" in paths[flow.name] else "/kanaler/12/")


@pytest.mark.django_db
def test_the_forms_it_posts_are_valid(load):
    assert RemovalForm(load._removal("writer3", 1)).is_valid()
    unit = Unit.objects.create(name="Belastningsförvaltningen", slug="bench-unit")
    form = ChannelForm(load._new_channel("web_team0", 1), units=Unit.objects.filter(pk=unit.pk))
    assert form.is_valid(), form.errors
