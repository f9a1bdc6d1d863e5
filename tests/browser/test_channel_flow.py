"""A manager proposes a channel in a real browser; the web team approves it."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Channel

from .conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_manager_proposes_and_web_team_approves(page, world):
    sign_in(page, "chef")
    page.get_by_role("link", name="Kanaler", exact=True).click()
    page.get_by_role("link", name="Föreslå en kanal").click()
    page.get_by_role("textbox", name=re.compile(r"^Adress")).fill("https://www.instagram.com/norsjo.simhall/?igshid=x")
    page.get_by_role("textbox", name=re.compile(r"^Namn")).fill("Norsjö simhall")
    page.get_by_label("Syfte").fill("Öppettider och aktiviteter i simhallen.")
    page.get_by_label("Målgrupp").fill("Badgäster och familjer.")
    page.get_by_role("button", name="Skicka förslag").click()
    expect(page.get_by_text("Kanalen har föreslagits.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Föreslagen")

    channel = Channel.objects.get(name="Norsjö simhall")
    assert channel.url == "https://instagram.com/norsjo.simhall"
    assert channel.platform.slug == "instagram"

    sign_out(page)
    sign_in(page, "webb")
    page.get_by_role("link", name="Norsjö simhall").click()
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_text("Kanalen har godkänts.")).to_be_visible()
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    expect(page.get_by_role("heading", level=2, name="Historik")).to_be_visible()
    expect(page.get_by_text("Godkänd", exact=True)).to_be_visible()


def test_browser_failed_sign_ins_lock_out_with_clear_message(page, world):
    """After repeated failures the account is locked, with a message saying so."""
    for _ in range(5):
        page.goto("/logga-in/")
        page.get_by_label("Användarnamn").fill("chef")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="För många misslyckade inloggningar")).to_be_visible()
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("chef")
    page.get_by_label("Lösenord").fill("norsjo-demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="För många misslyckade inloggningar")).to_be_visible()
