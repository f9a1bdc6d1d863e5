"""Production serving: collectstatic with hashed, compressed files; gunicorn with the shipped config."""

import gzip
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .test_security import ROOT, production_environment

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A production-configured installation in a temporary directory: static files collected, DB migrated."""
    base = tmp_path_factory.mktemp("site")
    env = production_environment(
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        STATIC_ROOT=str(base / "static"),
        MEDIA_ROOT=str(base / "media"),
    )
    for command in (["collectstatic", "--no-input", "-v0"], ["migrate", "--no-input", "-v0"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return base, env


def test_collectstatic_writes_hashed_and_compressed_files(production_site):
    base, _ = production_site
    manifest = json.loads((base / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed)
    assert (base / "static" / hashed).exists()
    compressed = base / "static" / f"{hashed}.gz"
    assert gzip.decompress(compressed.read_bytes()) == (base / "static" / hashed).read_bytes()


def _get(url, headers=None):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_application_and_its_static_files(production_site):
    _, env = production_site
    port = _free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2"}
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "norsjo.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, body = _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and json.loads(body) == {"status": "ok"}

        status, headers, body = _get(f"{base}/logga-in/")
        assert status == 200
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        stylesheet = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body).group(1).decode()

        status, headers, body = _get(f"{base}{stylesheet}", {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]

        # Plain http without the proxy's header is sent to https, except the health check.
        request = urllib.request.Request(f"{base}/logga-in/")
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://")
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            assert response.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Booting worker" in output and "gthread" in output, output
    assert "request_id=" in output


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_config_keeps_long_exports_alive(monkeypatch):
    """Threaded workers and a timeout long enough for an export; overridable from the environment."""
    import runpy

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2
    assert config["timeout"] >= 300
    assert config["graceful_timeout"] >= 60
    assert config["bind"].startswith("127.0.0.1:")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "900")
    assert runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["timeout"] == 900
