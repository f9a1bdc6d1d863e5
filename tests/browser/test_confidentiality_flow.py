"""4:9 in a real browser: a personal identity number in a removed comment brings the suggestion of reason h."""

import re

import pytest
from playwright.sync_api import expect

from moderation.models import RemovedComment

from .conftest import sign_in
from .test_moderation_flow import _assert_accessible, _empty_log_before_flush  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_empty_log_before_flush"),
]


def test_browser_writer_is_offered_reason_h_for_a_personal_identity_number(page, world):
    sign_in(page, "skribent")
    page.get_by_role("link", name="Checklista: det här får inte publiceras (4:9)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Det här får inte publiceras")
    _assert_accessible(page)
    page.goto(f"/moderering/logga/kanal/{world.channel.pk}/")
    page.get_by_label("Kommentarens text").fill("Min granne har personnummer 811218-9876, kolla upp henne!")
    page.get_by_label("Författarens visningsnamn").fill("Orolig Granne")
    page.get_by_role("radio", name="raderad").check()
    page.get_by_role("radio", name=re.compile(r"^a\. förtal")).check()
    page.get_by_role("button", name="Logga borttagningen").click()

    warning = page.get_by_role("alert").filter(has_text="Texten verkar innehålla ett personnummer")
    expect(warning).to_be_visible()
    assert not RemovedComment.objects.exists(), "nothing is saved before the writer decides"
    expect(page.get_by_label("Kommentarens text")).to_have_value(
        "Min granne har personnummer 811218-9876, kolla upp henne!"
    )
    _assert_accessible(page)
    page.get_by_role("button", name="Logga med skälet h (sekretess)").click()
    expect(page.get_by_text("Borttagningen har loggats som nummer 1.")).to_be_visible()
    record = RemovedComment.objects.get()
    assert record.category == "h" and record.confidential
