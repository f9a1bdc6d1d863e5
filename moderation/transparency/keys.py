"""The moderation log's signing key: one file outside the database, never in it.

``settings.MODERATION_LOG_SIGNING_KEY_FILE`` names a file holding one line,
``PRIVATE+KEY+<name>+<key id>+<base64>`` (note.Signer); ``manage.py
create_moderation_log_key`` writes one. With DEBUG on and no file configured, settings point
at ``var/moderation-log-dev.key`` (gitignored) and ``signer()`` creates that development key
the first time it is needed, so ``make run`` works; with DEBUG off, settings refuse to load
without the setting, ``check`` reports a missing or broken file (``moderation.E001``) and the
WSGI application refuses to start (norsjo/wsgi.py calls ``signer()``).
"""

import contextlib
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from .note import NoteError, Signer, Verifier

_lock = threading.Lock()
_cache: dict[tuple[str, int], Signer] = {}


def origin() -> str:
    """The checkpoints' origin line, which is also the key's name."""
    return settings.MODERATION_LOG_ORIGIN


def write_key_file(path: Path | str, name: str) -> Signer:
    """Create a new key in *path* (mode 0600); never overwrites an existing file."""
    path = Path(path)
    signer = Signer.generate(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"{signer}\n")
    return signer


def _path() -> Path:
    value = settings.MODERATION_LOG_SIGNING_KEY_FILE
    if not value:
        raise ImproperlyConfigured("MODERATION_LOG_SIGNING_KEY_FILE is not set (see docs/deploy.md).")
    return Path(value)


BENCH_ORIGIN = "bench.kanalregistret.invalid/moderation-log"


def throwaway_key_environment(directory: Path | str) -> dict[str, str]:
    """Return the environment of a throwaway signing key in *directory* (benchmarks, never production).

    The key is created once and named for an origin of its own, so nothing it signs can pass
    for the municipality's log; an environment that names a key already keeps it.
    """
    if os.environ.get("MODERATION_LOG_SIGNING_KEY_FILE"):
        return {}
    path = Path(directory) / "bench-signing.key"
    if not path.exists():
        write_key_file(path, BENCH_ORIGIN)
    return {"MODERATION_LOG_SIGNING_KEY_FILE": str(path), "MODERATION_LOG_ORIGIN": BENCH_ORIGIN}


def signer() -> Signer:
    """The signing key, read from its file (again when the file changes)."""
    path = _path()
    with _lock:
        if settings.DEBUG and settings.MODERATION_LOG_DEVELOPMENT_KEY and not path.exists():
            with contextlib.suppress(FileExistsError):  # another process was first
                write_key_file(path, origin())
        try:
            stamp = path.stat().st_mtime_ns
            key = _cache.get((str(path), stamp))
            if key is None:
                key = Signer.parse(path.read_text(encoding="ascii"))
                _cache.clear()
                _cache[str(path), stamp] = key
        except (OSError, UnicodeDecodeError) as error:
            raise ImproperlyConfigured(
                f"The moderation log's signing key {path} cannot be read: {error}. "
                "Create one with `python manage.py create_moderation_log_key` (docs/deploy.md)."
            ) from error
        except NoteError as error:
            raise ImproperlyConfigured(f"The moderation log's signing key {path} is not a key: {error}.") from error
    if key.name != origin():
        raise ImproperlyConfigured(
            f"The signing key {path} is named {key.name!r}, but MODERATION_LOG_ORIGIN is {origin()!r}: "
            "the key's name and the checkpoints' origin are the same (docs/deploy.md, rotating the key)."
        )
    return key


def verifier() -> Verifier:
    """The public key, in the signed-note verifier key format."""
    return signer().verifier


def check_signing_key(app_configs=None, **kwargs) -> list[Error]:
    """System check: the key file exists, is a key, and is named after the origin."""
    if settings.DEBUG and settings.MODERATION_LOG_DEVELOPMENT_KEY:
        return []
    try:
        signer()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="moderation.E001")]
    return []
