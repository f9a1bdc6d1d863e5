"""The screenshots of docs/screenshots/ are made by a helper that works (see screenshots.py)."""

import os

import pytest

from .screenshots import DIRECTORY, WIDTHS, save_start_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_start_page_screenshots_of_every_role(browser, live_server, demo_data, tmp_path):
    directory = DIRECTORY if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "screenshots"
    saved = save_start_pages(browser, live_server.url, directory)
    assert len(saved) == 6 * len(WIDTHS)
    for path in saved:
        assert path.read_bytes().startswith(b"\x89PNG"), path
        # Committed alongside: every role at every width.
        assert (DIRECTORY / path.name).exists(), f"docs/screenshots/{path.name} is missing: UPDATE_SCREENSHOTS=1"
