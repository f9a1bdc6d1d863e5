"""On a phone (375 × 740): the moderation log and the register fold their filters away and scroll their
tables within a region reached by keyboard, the page never scrolls sideways, and a writer logs a removal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from moderation.models import RemovedComment
from moderation.services.log import removal_log

from .conftest import sign_in
from .test_moderation_flow import _empty_log_before_flush  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser, live_server, catalogue):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def assert_filters_fold_and_table_scrolls_in_a_region(page):
    fold = page.locator("details.filters-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(fold.locator("form")).to_be_hidden()
    fold.locator("summary").click()
    expect(fold.locator("form")).to_be_visible()
    assert_no_sideways_scroll(page)

    region = page.locator("main .table-responsive[role=region]")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth"), "the table fits: no test"
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()
    # The arrow key scrolls the region (smoothly: wait for it).
    page.wait_for_function("element => element.scrollLeft > 0", arg=region.element_handle(), timeout=3_000)


@pytest.mark.usefixtures("_empty_log_before_flush")
def test_phone_log_and_register_fold_filters_and_scroll_tables(phone, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    removal_log(
        actor=world.users["writer"],
        channel=world.channel,
        category="a",
        action="deleted",
        removed_at=timezone.now() - timedelta(hours=1),
        text="Ett personangrepp.",
    )
    sign_in(phone, "webb")
    for name in ("registry:channel_list", "moderation:record_list"):
        phone.goto(reverse(name))
        assert_no_sideways_scroll(phone)
        assert_filters_fold_and_table_scrolls_in_a_region(phone)

    # A search in use stays in view.
    phone.goto(reverse("moderation:record_list") + "?q=personangrepp")
    expect(phone.locator("details.filters-fold form")).to_be_visible()
    assert_no_sideways_scroll(phone)


@pytest.mark.usefixtures("_empty_log_before_flush")
def test_phone_writer_logs_a_removal(phone, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(phone, "skribent")
    assert_no_sideways_scroll(phone)
    phone.locator(f'main a[href="{reverse("moderation:record_create", args=[world.channel.pk])}"]').tap()
    form = phone.locator("main form[method=post]")
    expect(form).to_be_visible()
    assert_no_sideways_scroll(phone)
    form.locator("[name=text]").fill("Ni på biblioteket borde skämmas!")
    form.locator("[name=author_name]").fill("Arg Låntagare")
    form.locator("[name=category]").first.tap()
    form.locator("[type=submit]").tap()

    expect(phone.locator(".messages .alert-success")).to_be_visible()
    assert_no_sideways_scroll(phone)
    record = RemovedComment.objects.get()
    assert record.content.text == "Ni på biblioteket borde skämmas!"
    assert record.logged_by == world.users["writer"]
