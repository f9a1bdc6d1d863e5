"""Fixtures for the background jobs."""

import pytest


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_transaction(monkeypatch):
    """Let django-tasks' db_worker run inside the test's transaction.

    The worker calls ``close_old_connections()`` between tasks, which closes a connection that is
    inside a transaction (every test's, on PostgreSQL). A transactional test instead cannot
    flush the append-only moderation tables on SQLite, so the worker's loop runs as it is,
    less that one call.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
