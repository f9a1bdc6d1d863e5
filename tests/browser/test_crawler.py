"""Every page each role reaches from the start page passes axe (WCAG 2.1 A/AA) and the Nu HTML checker.

The crawler signs in as each role on the demo data, follows the same-origin links of every page
it reaches (GET only: sign-out and every change of state are forms, never links), counts
/kanaler/1/ and /kanaler/2/ once (a path's numbers are one pattern), and stops at MAX_PAGES a role.
All pages of a role go to the Nu HTML checker in one run.
"""

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from ..nu_html import checker, nu_errors
from .conftest import DEMO_SIGN_INS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_A_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
MAX_PAGES = 60
# A desktop with every WCAG 2.1 A/AA rule, then a phone with the rules its narrow layout can break
# (a table that scrolls there must be reachable by keyboard); at both, the page never scrolls sideways.
PHONE_RULES = {"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}, "resultTypes": ["violations"]}
VIEWPORTS = [((1280, 720), WCAG_A_AA), ((375, 740), PHONE_RULES)]

# Not our pages (Django's admin), not HTML (files, exports, the API) or not a page to read (sign-out).
NOT_CRAWLED = re.compile(
    r"^/(admin/|logga-ut/|i18n/|oidc/|api/|static/|media/)"
    r"|/skarmdump/|/dokumentation/fil/|/export/hamta/|\.(csv|xlsx|zip|json|jsonld|png|jpe?g|pdf|css|js)$"
)

# The innermost elements that stick out on the right, to name in a failure.
WIDEST_ELEMENTS = """width => [...document.body.querySelectorAll("*")]
    .filter(element => element.getBoundingClientRect().right > width + 1
        && ![...element.children].some(child => child.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map(element => [element.tagName.toLowerCase(), ...element.classList].join(".")
        + " «" + element.textContent.trim().slice(0, 30) + "»")
    .join(", ")"""


def pattern(url: str) -> str:
    """The kind of page *url* is: its path with numbers replaced, and its query's parameter names."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{path}?{'&'.join(keys)}" if keys else path


def crawl(page, origin: str) -> tuple[dict[str, bytes], list[str]]:
    """Visit the pages reachable from the start page; return their HTML by name and every problem found."""
    queue = [urljoin(origin, "/")]
    seen = {pattern(queue[0])}
    pages: dict[str, bytes] = {}
    problems: list[str] = []
    axe_script = Axe().axe_script
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a file sent as a download is no page to check
            if "Download is starting" in str(error):
                continue
            raise
        path = urlsplit(page.url).path + (f"?{urlsplit(page.url).query}" if urlsplit(page.url).query else "")
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status} (linked from a page the role reached)")
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        name = f"{len(pages):02d}{re.sub(r'[^a-z0-9]+', '-', path.lower()).rstrip('-')}"
        pages[name] = response.body()
        page.evaluate(axe_script)  # once a page; run at each width
        for (width, height), options in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)
            for violation in violations:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                problems.append(f"{path} at {width} px: axe {violation['id']} ({violation['help']}) at {targets}")
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width:
                wide = page.evaluate(WIDEST_ELEMENTS, width)
                problems.append(f"{path} at {width} px: the page scrolls sideways ({overflow} px wide: {wide})")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            link = href.split("#", 1)[0]
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != origin or NOT_CRAWLED.search(parts.path):
                continue
            if pattern(link) not in seen:
                seen.add(pattern(link))
                queue.append(link)
    return pages, problems


@pytest.mark.parametrize("role", list(DEMO_SIGN_INS))
def test_browser_every_page_a_role_reaches_passes_axe_and_the_nu_html_checker(
    page, live_server, demo_data, role, tmp_path
):
    checker()  # skip (or fail in CI) before the crawl when the checker is missing
    sign_in(page, DEMO_SIGN_INS[role])
    pages, problems = crawl(page, live_server.url)
    print(f"{role}: {len(pages)} pages", *pages)  # shown with -s: how far the crawl reached
    assert len(pages) > 3, f"{role} reached only {list(pages)}"
    problems += [f"Nu: {error}" for error in nu_errors(pages, tmp_path)]
    assert problems == [], "\n".join(problems)
