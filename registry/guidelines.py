"""The guidelines text: read from the repository's copy, versioned by its SHA-256, rendered safely.

The copy in ``registry/guidelines/`` is the same text as ``../shared/guidelines/`` (a test
checks it when the shared folder is beside the repository) and holds the guidelines' own
text only, as employees read and accept it. When it changes, the next page showing it (or
the next acknowledgement) records a new ``GuidelineVersion`` with the text; see
docs/architecture.md, "Guidelines versions".
"""

import hashlib
import re
from pathlib import Path

import markdown
from django.utils.safestring import SafeString, mark_safe

GUIDELINES_FILE = Path(__file__).resolve().parent / "guidelines" / "riktlinjer-sociala-medier.md"


def read_text() -> str:
    return GUIDELINES_FILE.read_text(encoding="utf-8")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(text: str, *, heading_offset: int = 1) -> SafeString:
    """Return the Markdown *text* as HTML; raw HTML in the text is escaped, headings shifted down."""
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # The text is ours, but escaping raw HTML keeps the page safe whatever the file holds.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    if heading_offset:

        def shift(match):
            level = min(int(match.group(2)) + heading_offset, 6)
            return f"<{match.group(1)}h{level}"

        html = re.sub(r"<(/?)h([1-6])", shift, html)
    return mark_safe(html)
