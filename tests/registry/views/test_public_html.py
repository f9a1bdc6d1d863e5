"""Every public page, in every kind of answer, passes the Nu HTML checker."""

import pytest
from django.utils import timezone

from registry.services.channels import channel_close
from registry.services.politician_links import politician_link_register

from ...factories import ChannelFactory
from ...nu_html import checker, nu_errors

pytestmark = pytest.mark.django_db


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
    "comment-policy": "/sociala-medier/kommentarsregler/",
    "report-form": "/sociala-medier/kontrollera/anmal/?url=facebook.com/norsj0kommun",
    "report-empty": "/sociala-medier/kontrollera/anmal/",
    "report-thanks": "/sociala-medier/kontrollera/anmal/tack/",
}
# Answers to a submission of the report form (POST): the form again with its messages.
POSTED = {
    "report-errors": {"url": "", "note": "x" * 2001, "contact": "070-123 45 67"},
    "report-official": {"url": "facebook.com/norsjokommun"},
}


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


def test_every_public_page_passes_the_nu_html_checker(client, every_kind_of_answer, tmp_path):
    """No public page has a single error by the Nu HTML checker (lists, embed, every verify answer)."""
    checker()
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.content
    for name, data in POSTED.items():
        response = client.post("/sociala-medier/kontrollera/anmal/", data)
        assert response.status_code == 200, name
        pages[name] = response.content
    assert nu_errors(pages, tmp_path) == []


def test_too_many_requests_page_passes_the_nu_html_checker(client, world, tmp_path, settings):
    """The page a client over its rate limit gets (norsjo.ratelimit) is valid too."""
    checker()
    settings.RATELIMIT_RATES = {"public": "1/h", "verify": "1/h"}
    client.get("/sociala-medier/kontrollera/")
    refused = client.get("/sociala-medier/kontrollera/")
    assert refused.status_code == 429
    assert nu_errors({"too-many-requests": refused.content}, tmp_path) == []
