"""A manager records the platform account's security in the yearly review and the flag goes away (issue 13, item 3)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import AccountSecurityCheck, Mandate

from ..factories import MandateFactory, UserFactory
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_browser_manager_records_account_security_and_the_flag_goes_away(page, world, live_server):
    today = timezone.localdate()
    for username, first in (("adm1", "Alva"), ("adm2", "Bertil")):
        MandateFactory(
            employee=UserFactory(username=username, first_name=first, last_name="Admin"),
            channel=world.channel,
            role=Mandate.Role.ACCOUNT_ADMIN,
            granted_by=world.users["manager"],
            valid_from=today - timedelta(days=5),
            valid_until=today + timedelta(days=300),
            acknowledged_at=timezone.now() - timedelta(days=5),
        )
    sign_in(page, "chef")
    section = page.get_by_role("region", name="Kontonas säkerhet på plattformarna")
    expect(section.get_by_text("inte kontrollerat de senaste 12 månaderna", exact=False)).to_be_visible()
    section.get_by_role("link", name=world.channel.name).click()
    expect(page.get_by_role("heading", name="Årlig genomgång")).to_be_visible()
    for name in ("still_needed", "purpose_ok", "writers_ok"):
        page.locator(f"input[name={name}][value=yes]").check()
    page.get_by_label("Alva Admin").check()
    page.get_by_label("Bertil Admin").check()
    page.locator("input[name=two_factor][value=yes]").check()
    page.get_by_label("Kontots återställningsadress").fill("kultur@norsjo.example")
    _no_axe_violations(page)
    page.get_by_role("button", name="Registrera genomgången").click()
    expect(page.get_by_text("Genomgången har registrerats.", exact=False)).to_be_visible()
    check = AccountSecurityCheck.objects.get()
    assert check.two_factor and check.administrators.count() == 2

    page.goto("/")
    section = page.get_by_role("region", name="Kontonas säkerhet på plattformarna")
    expect(section).to_be_visible()
    expect(section.get_by_role("link", name=world.channel.name)).to_have_count(0)
