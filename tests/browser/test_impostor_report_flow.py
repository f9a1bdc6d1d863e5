"""A citizen reports an impostor account from the verify page; the web team settles it (issue 13, item 2)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from registry.models import ImpostorReport

from ..factories import ChannelFactory
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_browser_citizen_reports_an_impostor_and_web_team_settles_it(page, world, live_server):
    ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )
    page.goto("/sociala-medier/kontrollera/")
    page.get_by_label("Adress till kontot eller sidan").fill("https://www.facebook.com/norsj0kommun")
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_text("kan vara ett falskt konto", exact=False)).to_be_visible()
    page.get_by_role("link", name="Anmäl kontot till kommunen").click()
    expect(page.get_by_role("heading", name="Anmäl ett falskt konto")).to_be_visible()
    expect(page.get_by_label("Kontots adress")).to_have_value("https://facebook.com/norsj0kommun")
    # The address emptied by mistake: a clear message, and what was typed stays.
    address = page.get_by_label("Kontots adress")
    address.fill("")
    page.get_by_label("Din e-postadress eller ditt telefonnummer (frivilligt)").fill("070-123 45 67")
    page.get_by_label("Vad såg du? (frivilligt)").fill("Sidan lottar ut presentkort och ber om kortnummer.")
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_text("Anmälan kunde inte skickas", exact=False)).to_be_visible()
    expect(page.get_by_text("Skriv adressen till kontot som du vill anmäla.").first).to_be_visible()
    expect(page.get_by_label("Din e-postadress eller ditt telefonnummer (frivilligt)")).to_have_value("070-123 45 67")
    _no_axe_violations(page)
    address.fill("https://www.facebook.com/norsj0kommun")
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("heading", name="Tack för din anmälan")).to_be_visible()
    _no_axe_violations(page)
    report = ImpostorReport.objects.get()
    assert report.is_open and report.contact == "070-123 45 67"

    sign_in(page, "webb")
    section = page.get_by_role("region", name="Anmälningar av falska konton")
    expect(section.get_by_text("liknar Norsjö kommun", exact=False)).to_be_visible()
    section.get_by_role("link", name="https://facebook.com/norsj0kommun").click()
    expect(page.get_by_text("Sidan lottar ut presentkort", exact=False)).to_be_visible()
    _no_axe_violations(page)
    page.get_by_label("anmäld till plattformen").check()
    page.get_by_label("Anteckning").fill("Anmäld till Meta, ärende 4711.")
    page.get_by_role("button", name="Avgör", exact=True).click()
    expect(page.get_by_text("Anmälan har avgjorts.", exact=False)).to_be_visible()
    expect(page.get_by_text("Inga anmälningar väntar.")).to_be_visible()
    report.refresh_from_db()
    assert report.outcome == ImpostorReport.Outcome.REPORTED
    assert report.settled_note == "Anmäld till Meta, ärende 4711."
