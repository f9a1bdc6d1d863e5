"""Browser tests drive Debian's Chromium through Playwright (never a downloaded browser)."""

import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from inquiries import triggers as inquiry_triggers
from moderation import demo as moderation_demo
from moderation import triggers
from moderation.transparency import schema as tree_triggers
from registry import demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is needed for browser tests: install Debian's chromium ({CHROMIUM} is missing).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, catalogue):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, username: str, password: str = "norsjo-demo"):
    """Sign in through the real form, as a person would."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)


def sign_out(page):
    """Sign out through the user menu."""
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")


# Role of the permission matrix -> its demo sign-in (PRODUCT.md); "anstalld" has no role at all.
DEMO_SIGN_INS = {
    "manager": "chef",
    "writer": "skribent",
    "web_team": "webb",
    "archivist": "arkivarie",
    "admin": "admin",
    "employee": "anstalld",
}


@pytest.fixture
def demo_data(catalogue, settings, tmp_path):
    """The demo of `load_demo_data` plus an employee without any role; emptied again afterwards
    with the moderation log's append-only triggers briefly dropped."""
    settings.MEDIA_ROOT = tmp_path / "media"
    users = demo.load()
    moderation_demo.load(users)
    User.objects.create_user("anstalld", password=demo.DEMO_PASSWORD, first_name="Olle", last_name="Ek")
    yield users
    flush_append_only_tables()


# Every set of append-only triggers (the log, its Merkle tree, the inquiries): pytest-django
# empties the tables after a transactional test, which they rightly refuse.
APPEND_ONLY_TRIGGERS = (triggers, tree_triggers, inquiry_triggers)


def flush_append_only_tables() -> None:
    """Empty every table with the append-only triggers briefly dropped, then put them back."""
    for module in APPEND_ONLY_TRIGGERS:
        module.uninstall(connection)
    try:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    finally:
        for module in APPEND_ONLY_TRIGGERS:
            module.install(connection)
