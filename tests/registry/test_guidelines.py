"""The guidelines an employee reads and accepts: their own text only, versioned (issue 10, item 17)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from registry import guidelines
from registry.models import GuidelineVersion, Mandate
from registry.services.mandates import mandate_acknowledge

from ..factories import MandateFactory

pytestmark = pytest.mark.django_db

# The developer's note that the old copy began with (it now lives in ../shared/guidelines/README.md).
DEVELOPER_NOTE = (
    "A faithful transcript of the municipality's social-media guidelines, the document this\n"
    "application implements. The original is a scanned PDF; this text restores its Swedish\n"
    'letters and its numbering (section 5 refers to "punkt 4:10 a–e, g–h", which fixes the\n'
    'numbering of section 4). Cite rules by their number, e.g. "4:2" or "4:10 h".\n'
)


def _old_text() -> str:
    """The text as it was before the note moved out: the heading, then the note."""
    heading, rest = guidelines.read_text().split("\n", 1)
    return f"{heading}\n\n{DEVELOPER_NOTE}{rest}"


def test_the_copy_holds_the_guidelines_only():
    text = guidelines.read_text()
    assert text.startswith("# Riktlinjer för sociala medier")
    assert "transcript" not in text and "application" not in text


@pytest.mark.parametrize("page", ["guidelines", "acknowledge"])
def test_the_pages_show_the_guidelines_only_and_name_the_version(client, world, page):
    pending = MandateFactory(employee=world.users["employee"], channel=world.channel)
    client.force_login(world.users["employee"])
    url = reverse("mandates:guidelines") if page == "guidelines" else reverse("mandates:acknowledge", args=[pending.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Riktlinjer för sociala medier" in html
    assert "transcript" not in html and "scanned PDF" not in html
    version = response.context["version"]
    assert version.sha256 == guidelines.digest(guidelines.read_text())
    assert version.short not in html
    assert version.label[1:] in html  # "Version 1, i bruk sedan …" (capitalised on the page)


def test_a_mandate_accepted_under_the_old_text_keeps_its_version(client, world):
    """The changed text is a new version: new acknowledgements record it, earlier ones keep the old one."""
    old = GuidelineVersion.objects.create(sha256=guidelines.digest(_old_text()), text=_old_text())
    GuidelineVersion.objects.filter(pk=old.pk).update(first_seen=timezone.now() - timedelta(days=100))
    old.refresh_from_db()
    Mandate.objects.filter(pk=world.mandate.pk).update(acknowledged_version=old)
    pending = MandateFactory(employee=world.users["employee"], channel=world.channel)

    mandate_acknowledge(mandate=pending, actor=world.users["employee"], confirmed=True)

    pending.refresh_from_db()
    world.mandate.refresh_from_db()
    new = pending.acknowledged_version
    assert new != old and new.text == guidelines.read_text()
    assert (old.number, new.number) == (1, 2)
    # The old acceptance is kept with the text that was accepted, note and all.
    assert world.mandate.acknowledged_version == old
    assert DEVELOPER_NOTE in world.mandate.acknowledged_version.text
    # Only a developer's note was removed: holders of active mandates need not acknowledge again.
    assert world.mandate.is_active_on(timezone.localdate())
    client.force_login(world.users["writer"])
    html = client.get(world.mandate.get_absolute_url()).content.decode()
    assert old.label in html and old.short not in html


def test_guidelines_copy_equals_shared_text():
    """The repository's copy is the same text as ../shared/guidelines/ (checked where that folder exists).

    A git worktree sits one folder deeper than the checkout, so the folders above are searched too.
    """
    base = Path(settings.BASE_DIR)
    candidates = [folder / "shared" / "guidelines" / guidelines.GUIDELINES_FILE.name for folder in base.parents]
    shared = next((path for path in candidates if path.exists()), None)
    if shared is None:
        pytest.skip(f"no shared/guidelines/ beside {base} or above it")
    assert guidelines.read_text() == shared.read_text(encoding="utf-8")


def test_guidelines_render_escapes_html_and_shifts_headings():
    html = guidelines.render("# Titel\n\n<script>alert(1)</script>\n\n1. Punkt")
    assert "<script>" not in html
    assert "<h2>Titel</h2>" in html
    assert "<ol>" in html
