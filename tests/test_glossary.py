"""One vocabulary: no Swedish translation (nor Swedish text in a template) uses a word docs/glossary.md forbids."""

import re
from pathlib import Path

import polib
import pytest

from moderation.forms.log import RecordFilterForm
from registry.forms import ChannelFilterForm, UnitFilterForm

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
SWEDISH_PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "templates"


def forbidden_words(glossary: Path = GLOSSARY) -> dict[str, re.Pattern]:
    """Return the forbidden words of the glossary's "Forbidden words" table, each with its pattern.

    Whole words, case-insensitive; a hyphenated compound is a word of its own ("e-post" is
    not "post"); a trailing ``*`` also matches longer words with that beginning.
    """
    section = glossary.read_text(encoding="utf-8").split("## Forbidden words", 1)[1].split("\n## ", 1)[0]
    words = {}
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    for cells in rows[2:]:  # past the header and its --- line
        word = cells[0].strip()
        stem = word.endswith("*")
        body = re.escape(word.rstrip("*")) + (r"\w*" if stem else "")
        words[word] = re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)
    return words


def violations(po_path: Path, words: dict[str, re.Pattern]) -> list[str]:
    """Return "msgid: forbidden word" for each Swedish translation in *po_path* using a forbidden word."""
    found = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            for word, pattern in words.items():
                if pattern.search(text):
                    found.append(f"{entry.msgid!r}: {word}")
    return found


TEMPLATE_TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
TRANSLATED = re.compile(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", re.DOTALL)
HTML_TAGS = re.compile(r"<[^>]*>")
SWEDISH = re.compile(r"[åäöÅÄÖ]")


def template_violations(root: Path, words: dict[str, re.Pattern]) -> list[str]:
    """Return forbidden words in Swedish text a template shows untranslated (text outside tags holding å, ä or ö)."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        text = TEMPLATE_TAGS.sub("\n", TRANSLATED.sub("\n", path.read_text(encoding="utf-8")))
        for run in HTML_TAGS.split(text):
            if not SWEDISH.search(run):
                continue
            found += [f"{path.relative_to(root)}: {word}" for word, pattern in words.items() if pattern.search(run)]
    return found


def test_glossary_forbidden_table_is_read():
    """The table is found and holds the words the issue named (else the tests below prove nothing)."""
    words = forbidden_words()
    assert {"moderationslogg*", "post", "kategori*", "---------"} <= set(words)


def test_glossary_swedish_translations_use_no_forbidden_word():
    """Every Swedish translation follows docs/glossary.md."""
    assert violations(SWEDISH_PO, forbidden_words()) == []


def test_glossary_check_fails_on_a_forbidden_word(tmp_path):
    """A catalogue using a forbidden word fails the check; a compound with a hyphen ("e-post") does not."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Moderation log", msgstr="Moderationsloggen"))
    po.append(polib.POEntry(msgid="record", msgstr="post"))
    po.append(polib.POEntry(msgid="Contact e-mail", msgstr="Kontaktadress (e-post)"))
    po.append(polib.POEntry(msgid="Reason", msgstr="Skäl"))
    path = tmp_path / "django.po"
    po.save(str(path))
    assert sorted(violations(path, forbidden_words())) == ["'Moderation log': moderationslogg*", "'record': post"]


def test_glossary_untranslated_template_text_uses_no_forbidden_word(tmp_path):
    """Text left outside {% translate %} in a template follows the glossary too (and the check finds it)."""
    words = forbidden_words()
    assert template_violations(TEMPLATES, words) == []
    (tmp_path / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Moderation log" %}</h1><p>Sök i moderationsloggen</p>', encoding="utf-8"
    )
    assert template_violations(tmp_path, words) == ["page.html: moderationslogg*"]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [RecordFilterForm, ChannelFilterForm, UnitFilterForm])
def test_glossary_filters_empty_choice_is_all(form_class):
    """Every filter's empty choice reads "Alla", never Django's "---------"."""
    form = form_class()
    for name, field in form.fields.items():
        choices = list(getattr(field, "choices", []))
        if choices and choices[0][0] == "":
            assert str(choices[0][1]) in {"Alla", "Alla utom avslagna"}, name
