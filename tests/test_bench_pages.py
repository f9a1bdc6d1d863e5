"""bench/pages.py keeps working: a short run on SQLite asks every page of every role and gets 200."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "bench" / "pages.py"


@pytest.fixture(scope="module")
def pages():
    spec = importlib.util.spec_from_file_location("bench_pages", PAGES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_short_sqlite_run_measures_every_page_of_every_role(pages, tmp_path):
    out = tmp_path / "pages.json"
    # Its own database (a temporary SQLite file) and its own settings, in a process of its own.
    result = subprocess.run(
        [sys.executable, str(PAGES), "--requests", "2", "--warmup", "1", "--database", "sqlite", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "× floor" in result.stdout
    (run,) = json.loads(out.read_text())["runs"]
    assert run["database"] == "sqlite"
    assert run["floor_ms"] > 0
    expected = {
        role: {key for key, _, _, roles in pages.PAGES if role in roles} for role in pages.ROLES
    }  # every page each role may see, none skipped
    assert {role: set(figures) for role, figures in run["results"].items()} == expected
    for figures in run["results"].values():
        for page in figures.values():
            assert page["queries"] > 0
            assert page["duplicates"] >= 0
            assert page["median_ms"] > 0 and page["p90_ms"] >= page["median_ms"]
    assert run["results"]["writer"]["search"]["url"].startswith("/moderering/?q=")


def test_any_answer_but_200_stops_the_run_with_the_url(pages):
    client = SimpleNamespace(get=lambda url: SimpleNamespace(status_code=403))
    with pytest.raises(pages.PageError, match=r"/moderering/ as administrator answered 403"):
        pages._get(client, "/moderering/", "administrator")


def test_it_never_drops_a_database_not_named_for_benchmarks(pages):
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        pages._postgres("postgres://postgres@127.0.0.1:5432/test", create=True)
