"""Every public page, in every kind of answer, passes the Nu HTML checker."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from registry.services.channels import channel_close
from registry.services.politician_links import politician_link_register

from ...factories import ChannelFactory

pytestmark = pytest.mark.django_db


VNU_JAR = Path(django_settings.BASE_DIR) / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


PAGES = {
    "list-by-unit": "/sociala-medier/",
    "list-by-platform": "/sociala-medier/?group=platform",
    "embed-by-unit": "/sociala-medier/inbaddning/",
    "embed-by-platform": "/sociala-medier/inbaddning/?group=platform",
    "verify-form": "/sociala-medier/kontrollera/",
    "verify-official": "/sociala-medier/kontrollera/?url=facebook.com/norsjokommun",
    "verify-unknown": "/sociala-medier/kontrollera/?url=https://youtube.com/@nagonannan",
    "verify-lookalike": "/sociala-medier/kontrollera/?url=facebook.com/norsj0kommun",
    "verify-closed": "/sociala-medier/kontrollera/?url=facebook.com/gamlasidan",
    "verify-politician": "/sociala-medier/kontrollera/?url=annasblogg.blogspot.com",
    "verify-empty": "/sociala-medier/kontrollera/?url=",
    "verify-invalid": "/sociala-medier/kontrollera/?url=inte+en+adress",
    "accessibility": "/sociala-medier/tillganglighet/",
}


def _checker() -> list[str]:
    reason = None
    java = shutil.which("java")
    if java is None:
        reason = "java is not installed: the Nu HTML checker cannot run"
    elif not VNU_JAR.exists():
        reason = "vnu-jar is not installed: run `npm ci` in tests/vnu (or `make test`)"
    if reason:
        if os.environ.get("REQUIRE_VNU"):
            pytest.fail(reason)
        pytest.skip(reason)
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]


@pytest.fixture
def every_kind_of_answer(world):
    """Data for every answer the public pages give: official, closed, a politician's link, lookalikes."""
    web_team = world.users["web_team"]
    ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )
    old = ChannelFactory(
        unit=world.unit, name="Gamla sidan", url="https://facebook.com/gamlasidan", handle="gamlasidan"
    )
    channel_close(channel=old, actor=web_team, reason="Ersatt.")
    politician_link_register(
        actor=web_team,
        politician="Anna Andersson",
        party="Norsjöpartiet",
        url="https://annasblogg.blogspot.com/",
        decided_by="Webbansvarig Eva Ek",
        decided_on=timezone.localdate(),
        publish=True,
    )


def _nu_errors(pages: dict[str, bytes], tmp_path) -> list[str]:
    """Return the Nu HTML checker's errors for *pages* (name: body), in one run of the checker."""
    command = _checker()
    for name, body in pages.items():
        file = tmp_path / f"{name}.html"
        file.write_bytes(body)
    result = subprocess.run(
        [*command, *(str(tmp_path / f"{name}.html") for name in pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [
        f"{message.get('url', '').rsplit('/', 1)[-1]}: {message.get('message')} [{message.get('extract', '').strip()}]"
        for message in json.loads(result.stdout)["messages"]
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]


def test_every_public_page_passes_the_nu_html_checker(client, every_kind_of_answer, tmp_path):
    """No public page has a single error by the Nu HTML checker (lists, embed, every verify answer)."""
    _checker()
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.content
    assert _nu_errors(pages, tmp_path) == []


def test_too_many_requests_page_passes_the_nu_html_checker(client, world, tmp_path, settings):
    """The page a client over its rate limit gets (norsjo.ratelimit) is valid too."""
    _checker()
    settings.RATELIMIT_RATES = {"public": "1/h", "verify": "1/h"}
    client.get("/sociala-medier/kontrollera/")
    refused = client.get("/sociala-medier/kontrollera/")
    assert refused.status_code == 429
    assert _nu_errors({"too-many-requests": refused.content}, tmp_path) == []
