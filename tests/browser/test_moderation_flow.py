"""The writer logs a removal with a screenshot in a real browser; the archivist finds it by a word."""

import re

import pytest
from playwright.sync_api import expect

from moderation.models import RecordRead, RemovedComment

from ..moderation.conftest import PNG
from .conftest import flush_append_only_tables, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _empty_log_before_flush(transactional_db):
    """pytest-django empties the tables after the test, which the append-only triggers refuse:
    empty them with the triggers briefly dropped, then put them back."""
    yield
    flush_append_only_tables()


def _assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
    assert not violations, f"axe on {page.url}: {violations}"


def test_browser_writer_logs_and_archivist_finds(page, world, _empty_log_before_flush, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "skribent")
    page.get_by_role("link", name="Logga en borttagning", exact=True).click()
    page.get_by_role("link", name="Norsjö bibliotek").click()
    _assert_accessible(page)
    page.get_by_label("Kommentarens text").fill("Ni på biblioteket är fullständiga pajasar.\n  Skäms!")
    page.get_by_label("Författarens visningsnamn").fill("Arg Låntagare")
    page.get_by_label("Författarens konto-id eller användarnamn").fill("arg.lantagare")
    page.get_by_role("radio", name="raderad").check()
    page.get_by_role("radio", name=re.compile(r"^a\. förtal")).check()
    page.get_by_label("Skärmdumpar").set_input_files(
        files=[{"name": "kommentar.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Logga borttagningen").click()
    expect(page.get_by_text("Borttagningen har loggats som nummer 1.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Borttagen kommentar 1")
    expect(page.get_by_role("link", name="kommentar.png")).to_be_visible()

    record = RemovedComment.objects.get()
    # Browsers submit a textarea's line breaks as CRLF (HTML spec); everything else is as typed.
    assert record.content.text == "Ni på biblioteket är fullständiga pajasar.\r\n  Skäms!"
    assert record.attachments.get().size == len(PNG)

    sign_out(page)
    sign_in(page, "arkivarie")
    page.get_by_role("link", name="Modereringslogg", exact=True).click()
    page.get_by_label("Sök i text och författare").fill("pajasar")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_text("Ni på biblioteket är fullständiga pajasar.")).to_be_visible()
    _assert_accessible(page)
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name="Modereringslogg").click()
    page.get_by_role("link", name="Statistik").click()
    _assert_accessible(page)
    assert RecordRead.objects.filter(record=record, reader__username="arkivarie").exists()
