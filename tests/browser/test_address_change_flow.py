"""A manager changes an official channel's address; it waits until the web team approves (issue 10, item 7)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from registry.models import Channel

from .conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_browser_manager_proposes_new_address_and_web_team_approves(page, world, live_server):
    channel = world.channel
    old_url = channel.url
    sign_in(page, "chef")
    page.goto(live_server.url + channel.get_absolute_url())
    page.get_by_role("link", name="Ändra", exact=True).click()
    page.get_by_role("textbox", name=re.compile(r"^Adress")).fill("https://www.facebook.com/norsjo.bibliotek.ny")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Den nya adressen väntar på webbredaktionens godkännande", exact=False)).to_be_visible()
    pending = "Föreslagen ändring väntar på webbredaktionens godkännande"
    expect(page.get_by_role("heading", name=pending)).to_be_visible()
    channel.refresh_from_db()
    assert channel.url == old_url
    _no_axe_violations(page)

    sign_out(page)
    sign_in(page, "webb")
    page.get_by_role("link", name="Norsjö bibliotek").first.click()
    page.get_by_role("link", name="Godkänn ändringen").click()
    _no_axe_violations(page)
    page.get_by_role("button", name="Godkänn ändringen").click()
    expect(page.get_by_text("Ändringen är godkänd.", exact=False)).to_be_visible()
    channel.refresh_from_db()
    assert channel.url == "https://facebook.com/norsjo.bibliotek.ny"
    assert not Channel.objects.filter(url=old_url).exists()
