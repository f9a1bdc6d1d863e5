"""The strict Content Security Policy breaks nothing: no violation on the main pages, scripts still run."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_main_pages_have_no_csp_violations(page, world):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    sign_in(page, "webb")
    for path in ["/", "/kanaler/", f"/kanaler/{world.channel.pk}/", "/kanaler/ny/", "/losenord/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        # The theme's colours arrive from /theme.css: the header is not unstyled.
        header_colour = page.locator(".site-header .navbar").evaluate("e => getComputedStyle(e).backgroundColor")
        assert header_colour not in ("rgba(0, 0, 0, 0)", "transparent"), path
    # Bootstrap's script runs under the policy: the user menu opens, and signing out works.
    sign_out(page)
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert not violations, violations


def test_browser_admin_works_under_the_policy(page, world):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sign_in(page, "admin")
    for path in ["/admin/", "/admin/registry/channel/", f"/admin/registry/channel/{world.channel.pk}/change/"]:
        assert page.goto(path).status == 200, path
    assert not violations, violations
