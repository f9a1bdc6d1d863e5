"""The public list and the verification page in a real browser: axe-core finds no WCAG 2.0/2.1
A or AA violations, and both work with the keyboard alone (no JavaScript needed)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from registry.services.channels import channel_set_published
from registry.services.politician_links import politician_link_register
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def public_world(world, settings):
    """A list with two units, two platforms and a politician's link."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    cache.clear()
    web_team = world.users["web_team"]
    ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
        created_by=web_team,
    )
    channel_set_published(channel=world.other_channel, actor=web_team, published=True)
    politician_link_register(
        actor=web_team,
        politician="Anna Andersson",
        party="Norsjöpartiet",
        url="https://annasblogg.blogspot.com",
        decided_by="Eva Ek, webbansvarig",
        decided_on=timezone.localdate(),
        publish=True,
    )
    yield world
    cache.clear()


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_A_AA)
    assert results.violations_count == 0, results.generate_report()


def tab_to(page, locator, limit: int = 40):
    """Press Tab until *locator* has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} was not reached with Tab")


@pytest.mark.parametrize(
    "path",
    [
        "/sociala-medier/",
        "/sociala-medier/?group=platform",
        "/sociala-medier/inbaddning/",
        "/sociala-medier/tillganglighet/",
        "/sociala-medier/kontrollera/",
        "/sociala-medier/kontrollera/?url=facebook.com/norsjokommun",
        "/sociala-medier/kontrollera/?url=facebook.com/norsjo-kommun",
        "/sociala-medier/kontrollera/?url=inte+en+adress",
    ],
)
def test_browser_public_pages_pass_axe(page, public_world, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_browser_public_list_switch_by_keyboard(page, public_world):
    """A keyboard user tabs to the switch and presses Enter; no JavaScript is involved."""
    page.goto("/sociala-medier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Norsjö kommun i sociala medier")
    expect(page.get_by_role("heading", level=2, name="Kultur- och fritidsförvaltningen")).to_be_visible()
    expect(page.get_by_text("Åsikterna som framförs på de här webbplatserna är politikernas egna")).to_be_visible()
    switch = page.get_by_role("link", name="per plattform")
    tab_to(page, switch)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"group=platform"))
    expect(page.get_by_role("heading", level=2, name="Facebook")).to_be_visible()
    expect(page.get_by_role("link", name="per plattform")).to_have_attribute("aria-current", "true")
    tab_to(page, page.get_by_role("link", name="Tillgänglighetsredogörelse"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Tillgänglighetsredogörelse")).to_be_visible()


def test_browser_verify_page_by_keyboard(page, public_world):
    """A citizen pastes an address, presses Enter and gets a clear answer."""
    page.goto("/sociala-medier/kontrollera/")
    field = page.get_by_label("Adress till kontot eller sidan")
    tab_to(page, field)
    page.keyboard.type("https://www.facebook.com/NorsjoKommun/?ref=bookmarks")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Svar")).to_be_visible()
    expect(page.get_by_text("Ja. Det här är en officiell kanal för Norsjö kommun")).to_be_visible()

    field = page.get_by_label("Adress till kontot eller sidan")
    field.fill("")
    tab_to(page, field, limit=60)
    page.keyboard.type("facebook.com/norsjokommun1")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Nej. Den här adressen är inte en officiell kanal")).to_be_visible()
    expect(page.get_by_text("Var försiktig")).to_be_visible()
