"""The Nu HTML checker (vnu-jar from tests/vnu, on Java): one run checks many pages."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checker() -> list[str]:
    """Return the command that runs the checker; skip (or fail, with REQUIRE_VNU set) without it."""
    reason = None
    java = shutil.which("java")
    if java is None:
        reason = "java is not installed: the Nu HTML checker cannot run"
    elif not VNU_JAR.exists():
        reason = "vnu-jar is not installed: run `npm ci` in tests/vnu (or `make test`)"
    if reason:
        if os.environ.get("REQUIRE_VNU"):
            pytest.fail(reason)
        pytest.skip(reason)
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]


def nu_errors(pages: dict[str, bytes], directory: Path) -> list[str]:
    """Return the checker's errors for *pages* (name: body), in one run of the checker."""
    command = checker()
    files = []
    for name, body in pages.items():
        file = directory / f"{name}.html"
        file.write_bytes(body)
        files.append(str(file))
    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=300, check=False)
    return [
        f"{message.get('url', '').rsplit('/', 1)[-1]}: {message.get('message')} [{message.get('extract', '').strip()}]"
        for message in json.loads(result.stdout)["messages"]
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]
