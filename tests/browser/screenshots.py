"""Screenshots of each role's start page on a phone and a desktop, for docs/screenshots/.

`UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py` writes them
there (commit the PNGs); without it the test writes them to a temporary directory, so CI proves
the helper works without touching the working tree.
"""

from pathlib import Path

from django.conf import settings

from .conftest import DEMO_SIGN_INS, sign_in

DIRECTORY = Path(settings.BASE_DIR) / "docs" / "screenshots"
# The viewport only (not the full page): small files, what a person sees first.
WIDTHS = {375: 740, 1280: 800}


def save_start_pages(browser, base_url: str, directory: Path) -> list[Path]:
    """Sign in as each role and save its start page at each width as <role>-<width>.png; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    for role, username in DEMO_SIGN_INS.items():
        context = browser.new_context(locale="sv-SE", base_url=base_url)
        page = context.new_page()
        sign_in(page, username)
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto("/")
            path = directory / f"{role.replace('_', '-')}-{width}.png"
            page.screenshot(path=path, animations="disabled", caret="hide")
            saved.append(path)
        context.close()
    return saved
