"""The Swedish interface is complete: every message has a reviewed translation."""

from pathlib import Path

import polib
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_swedish_catalogue_is_complete():
    """No message is untranslated or fuzzy in the Swedish catalogue."""
    po = polib.pofile(str(PO_FILE))
    missing = [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert not missing, f"untranslated Swedish messages: {missing[:20]}"


def test_swedish_catalogue_keeps_placeholders():
    """A translation keeps every %(name)s placeholder of its source."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    po = polib.pofile(str(PO_FILE))
    for entry in po.translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(placeholder.findall(entry.msgid)) <= set(placeholder.findall(text)) | set(
                placeholder.findall(entry.msgid_plural or "")
            ), entry.msgid
