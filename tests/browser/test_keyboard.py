"""Keyboard only: a writer logs a removal and a manager grants a mandate with Tab, Space, Enter and
typing, never a click; the focus reaches every field and then the submit button, in order."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from moderation.models import RemovedComment
from registry.models import Mandate

from .conftest import sign_in
from .keyboard import SUBMIT, fill_in_by_keyboard, tab_to
from .test_moderation_flow import _empty_log_before_flush  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("_empty_log_before_flush")
def test_browser_writer_logs_a_removal_with_the_keyboard_only(page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "skribent")
    tab_to(page, page.locator(f'main a[href="{reverse("moderation:record_create", args=[world.channel.pk])}"]'))
    page.keyboard.press("Enter")
    form = page.locator("main form[method=post]")
    expect(form).to_be_visible()

    reached = fill_in_by_keyboard(
        page,
        form,
        typed={
            "text": "Ni på biblioteket borde skämmas!",
            "author_name": "Arg Låntagare",
            "author_handle": "arg.lantagare",
            "explanation": "Personangrepp på en anställd.",
        },
        spaced=frozenset({"category"}),  # the first reason; "how" keeps its preselected answer
    )
    assert reached[0] == "text" and reached[-1] == SUBMIT
    page.keyboard.press("Enter")

    expect(page.locator(".messages .alert-success")).to_be_visible()
    record = RemovedComment.objects.get()
    assert record.content.text == "Ni på biblioteket borde skämmas!"
    assert record.content.author_name == "Arg Låntagare"
    assert record.logged_by == world.users["writer"]
    assert page.url.endswith(record.get_absolute_url())


def test_browser_manager_grants_a_mandate_with_the_keyboard_only(page, world):
    employee = world.users["employee"]
    sign_in(page, "chef")
    tab_to(page, page.locator(f'nav a[href="{reverse("mandates:manager")}"]'))
    page.keyboard.press("Enter")
    tab_to(page, page.locator(f'main a[href="{reverse("mandates:grant")}"]').first)
    page.keyboard.press("Enter")
    form = page.locator("main form[method=post]")
    expect(form).to_be_visible()

    reached = fill_in_by_keyboard(
        page,
        form,
        typed={"employee": employee.get_full_name(), "scope": "Svara på frågor om bibliotekets öppettider."},
        spaced=frozenset({"channels"}),  # the first channel of the manager's unit: the library
    )
    assert reached[0] == "employee" and reached[-1] == SUBMIT
    page.keyboard.press("Enter")

    expect(page.locator(".messages .alert-success")).to_be_visible()
    mandate = Mandate.objects.get(employee=employee)
    assert mandate.channel == world.channel
    assert mandate.granted_by == world.users["manager"]
    assert mandate.state == Mandate.State.AWAITING_ACKNOWLEDGEMENT
