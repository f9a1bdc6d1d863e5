"""docs/architecture.md names, for each rule, the one function that enforces it: every name resolves."""

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
APPS = ("norsjo", "accounts", "registry", "moderation", "inquiries", "branding", "jobs")
# A dotted name in backquotes, optionally called: `registry.permissions.can_grant_mandate(...)`.
NAME = re.compile(r"`((?:" + "|".join(APPS) + r")(?:\.\w+)+)(?:\([^`]*\))?`")


def rule_table_names() -> list[str]:
    """Return every project name in backquotes in the table rows of the document."""
    names = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            names += NAME.findall(line)
    return sorted(set(names))


def resolve(name: str):
    """Import the longest module prefix of *name* and follow the rest as attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ModuleNotFoundError(name)


def test_the_rule_table_is_read():
    """The check below has something to check: the rows of 4:2–4:10 name functions."""
    assert len(rule_table_names()) > 40


@pytest.mark.parametrize("name", rule_table_names())
def test_every_function_the_rule_tables_name_exists(name):
    """A rule's one function, as the document names it, exists in the code (no row rots)."""
    resolve(name)
