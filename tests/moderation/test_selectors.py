"""The statistics page's charts: bar widths are numbers an SVG understands, in every language."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^\d+(\.\d+)?$")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_chart_bars_have_unlocalised_widths(client, world, log_removal, language):
    log_removal(category="a")
    log_removal(category="a")
    log_removal(category="g", comment_published_at=timezone.now() - timedelta(days=3))
    client.force_login(world.users["web_team"])
    client.cookies["django_language"] = language
    html = client.get(reverse("moderation:statistics")).content.decode()
    widths = re.findall(r'<rect width="([^"]*)"', html)
    assert widths, "the page draws bars"
    assert all(NUMBER.match(width) for width in widths), widths
    assert "100.0" in widths or "100" in widths  # the longest bar fills the chart
    assert "50.0" in widths  # a bar of half the longest is half as long, not "50,0"
