"""The archivist registers a disposal decision, places a hold and exports CSV, in a real browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.models import DisposalDecision, Hold
from moderation.services import log as log_services

from .conftest import sign_in
from .test_moderation_flow import _assert_accessible, _empty_log_before_flush  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_archivist_decision_hold_and_export(page, world, _empty_log_before_flush, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    log_services.removal_log(
        actor=world.users["web_team"],
        channel=world.channel,
        category="g",
        action="deleted",
        removed_at=timezone.now() - timezone.timedelta(minutes=5),
        text='=HYPERLINK("http://evil.example") Köp klockor!',
    )
    sign_in(page, "arkivarie")
    page.get_by_role("link", name="Arkiv", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arkiv")
    _assert_accessible(page)

    page.get_by_role("link", name="Gallringsbeslut", exact=True).click()
    page.get_by_role("link", name="Registrera ett beslut").click()
    page.get_by_label("Diarienummer").fill("KS 2026/12")
    page.get_by_label("Beslutande organ").fill("Kommunstyrelsen")
    page.get_by_label("Beslutsdatum").fill("2026-01-15")
    page.get_by_label("Gäller från").fill("2026-02-01")
    page.get_by_label("Vad beslutet omfattar").fill("Borttagna kommentarer i sociala medier.")
    page.get_by_label(re.compile(r"g\. kommersiella")).fill("24")
    _assert_accessible(page)
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_text("Gallringsbeslutet KS 2026/12 (Kommunstyrelsen) är registrerat.")).to_be_visible()
    assert DisposalDecision.objects.get().retention_periods.get().months == 24

    page.get_by_role("link", name="Gallring", exact=True).click()
    expect(page.get_by_text("Det finns ingenting att gallra i dag.")).to_be_visible()
    _assert_accessible(page)

    page.get_by_role("link", name="Spärrar", exact=True).click()
    page.get_by_role("link", name="Lägg en spärr").click()
    page.get_by_role("radio", name="en kanal").check()
    page.get_by_label("Kanal", exact=True).select_option(label=str(world.channel))
    page.get_by_role("textbox", name=re.compile("Motivering")).fill("Polisanmälan K-123-26.")
    _assert_accessible(page)
    page.get_by_role("button", name="Lägg spärren").click()
    expect(page.get_by_text("Spärren är lagd")).to_be_visible()
    assert Hold.objects.get().channel == world.channel

    page.get_by_role("link", name="Moderationslogg", exact=True).click()
    page.get_by_role("link", name="Exportera", exact=True).first.click()
    expect(page.get_by_text("1 handling matchar loggens filter.")).to_be_visible()
    _assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV, semikolon (svenskt Excel)").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - read once
    assert data.startswith(b"\xef\xbb\xbf") and b"'=HYPERLINK" in data
    expect(page.get_by_role("status")).to_contain_text("Nedladdningen har börjat")
