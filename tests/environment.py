"""Loaded by pytest before Django (``-p tests.environment``): test-only environment defaults.

Values already in the environment win, so CI's DATABASE_URL selects PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("AXES_FAILURE_LIMIT", "5")
# Django's test client speaks plain http; production's default (on) is proven in
# tests/production/test_security.py.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright talks to the live server on localhost; Django's async-safety check would
# otherwise refuse ORM calls made from a test thread that also runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The moderation log's signing key (settings refuse to start without one when DEBUG is off):
# a throwaway key for this test run, named after the test origin.
if "MODERATION_LOG_SIGNING_KEY_FILE" not in os.environ:
    import tempfile

    from moderation.transparency.note import Signer

    os.environ.setdefault("MODERATION_LOG_ORIGIN", "test.kanalregistret.invalid/moderation-log")
    _key_dir = tempfile.mkdtemp(prefix="kanalregistret-test-key-")
    _key_file = os.path.join(_key_dir, "moderation-log.key")
    with open(_key_file, "w") as _handle:
        _handle.write(f"{Signer.generate(os.environ['MODERATION_LOG_ORIGIN'])}\n")
    os.environ["MODERATION_LOG_SIGNING_KEY_FILE"] = _key_file
