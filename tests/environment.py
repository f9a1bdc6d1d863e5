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
