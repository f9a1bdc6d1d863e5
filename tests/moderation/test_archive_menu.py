"""The archive's menu: the municipality's colours, and exactly one current page on every archive page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from ..conftest import client_for
from .test_views_archive import _decision, _disclosure, _hold

pytestmark = pytest.mark.django_db

# Each archive page, and the menu item (its URL name) that must be marked current on it.
PAGES = [
    ("archive_home", lambda w: [], "archive_home"),
    ("disposal", lambda w: [], "disposal"),
    ("disposal_log", lambda w: [], "disposal_log"),
    ("decision_list", lambda w: [], "decision_list"),
    ("decision_create", lambda w: [], "decision_list"),
    ("decision_detail", lambda w: [_decision(w).pk], "decision_list"),
    ("decision_end", lambda w: [_decision(w).pk], "decision_list"),
    ("hold_list", lambda w: [], "hold_list"),
    ("hold_create", lambda w: [], "hold_list"),
    ("hold_lift", lambda w: [_hold(w).pk], "hold_list"),
    ("disclosure_list", lambda w: [], "disclosure_list"),
    ("disclosure_create", lambda w: [], "disclosure_list"),
    ("disclosure_detail", lambda w: [_disclosure(w).pk], "disclosure_list"),
    ("disclosure_review", lambda w: [_disclosure(w).pk, _disclosure(w).items.get().pk], "disclosure_list"),
]
MENU = re.compile(r'<nav aria-label="[^"]*" class="archive-nav[^"]*">(.*?)</nav>', re.DOTALL)


@pytest.mark.parametrize(("name", "args", "current"), PAGES, ids=[page[0] for page in PAGES])
def test_archive_menu_marks_exactly_one_current_page(client, world, name, args, current):
    """Every archive page shows the menu with exactly one item marked aria-current="page": its own."""
    client_for(client, world, "archivist")
    response = client.get(reverse(f"moderation:{name}", args=args(world)))
    assert response.status_code == 200
    menus = MENU.findall(response.content.decode())
    assert len(menus) == 1
    marked = re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', menus[0])
    assert marked == [reverse(f"moderation:{current}")]
    assert menus[0].count('aria-current="page"') == 1
    assert "style=" not in menus[0]


def test_archive_menu_uses_the_municipality_colours():
    """The menu's colours are the theme's custom properties (/theme.css), in the stylesheet, not inline (CSP)."""
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text(encoding="utf-8")
    rules = "".join(re.findall(r"\.archive-nav[^{]*\{[^}]*\}", css))
    assert "--bs-nav-pills-link-active-bg: var(--brand-primary)" in rules
    assert "--bs-nav-link-color: var(--brand-primary)" in rules
