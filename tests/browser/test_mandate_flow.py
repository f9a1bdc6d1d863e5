"""A manager grants a mandate in a real browser; the employee acknowledges it; the channel lists them."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from registry.models import Mandate

from .conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_browser_manager_grants_employee_acknowledges_channel_lists_writer(page, world):
    employee = world.users["employee"]
    employee_name = employee.get_full_name()

    sign_in(page, "chef")
    page.get_by_role("link", name="Verksamhetens uppdrag").click()
    _no_axe_violations(page)
    page.get_by_role("link", name="Ge ett uppdrag").first.click()
    page.get_by_label("Anställd").select_option(label=employee_name)
    page.get_by_role("checkbox", name=re.compile(r"^Norsjö bibliotek")).check()
    page.get_by_label("Syfte och omfattning").fill("Svara på frågor om bibliotekets öppettider.")
    _no_axe_violations(page)
    page.get_by_role("button", name="Ge uppdrag").click()
    expect(page.get_by_text("Uppdraget har getts.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Väntar på bekräftelse")
    mandate = Mandate.objects.get(employee=employee)
    assert mandate.state == Mandate.State.AWAITING_ACKNOWLEDGEMENT

    sign_out(page)
    sign_in(page, "anstalld")
    page.get_by_role("link", name="Läs riktlinjerna och bekräfta: Norsjö bibliotek (Facebook)").click()
    expect(page.get_by_role("heading", level=4, name="Riktlinjer för sociala medier i tjänsten")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_text("Bekräfta att du agerar som anställd och inte som privatperson.")).to_be_visible()
    page.get_by_label(re.compile("agerar jag som anställd och inte som privatperson")).check()
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_text("Tack. Uppdraget är bekräftat.")).to_be_visible()
    mandate.refresh_from_db()
    assert mandate.state == Mandate.State.ACTIVE
    assert mandate.acknowledged_version is not None

    page.get_by_role("link", name="Kanaler", exact=True).click()
    page.get_by_role("link", name="Norsjö bibliotek").click()
    writers = page.get_by_role("region", name="Utsedda skribenter")
    expect(writers).to_contain_text(employee_name)
    expect(writers).to_contain_text(f"på uppdrag av {world.users['manager'].get_full_name()}")
    _no_axe_violations(page)
