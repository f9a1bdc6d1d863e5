"""Session lifetime: when a signed-in session started and was last seen (SessionLifetimeMiddleware).

A session ends SESSION_COOKIE_AGE after its last request (idle) and SESSION_ABSOLUTE_SECONDS
after sign-in however active (absolute). The sign-in time is written by ``mark_session_start``,
a receiver of ``user_logged_in`` connected in ``NorsjoConfig.ready()`` (as django.contrib.auth
connects ``update_last_login``), so every backend and every sign-in view sets it.
"""

import time

SESSION_START_KEY = "norsjo_signed_in_at"
SESSION_SEEN_KEY = "norsjo_seen_at"
# How often an active session's expiry is pushed forward: at most one write a minute per session.
SESSION_RENEW_EVERY_SECONDS = 60


def mark_session_start(sender, request, user, **kwargs) -> None:
    """Remember when this session was signed in (a ``user_logged_in`` receiver)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SESSION_START_KEY] = now
    request.session[SESSION_SEEN_KEY] = now


def is_past_absolute_lifetime(session, absolute_seconds: int) -> bool:
    """Return whether the session was signed in more than *absolute_seconds* ago."""
    started = session.get(SESSION_START_KEY)
    return started is not None and time.time() - started > absolute_seconds


def renew_if_due(session) -> None:
    """Push a signed-in session's idle expiry forward, at most once a SESSION_RENEW_EVERY_SECONDS."""
    if session.get(SESSION_START_KEY) is None:
        return
    now = int(time.time())
    if now - session.get(SESSION_SEEN_KEY, 0) >= SESSION_RENEW_EVERY_SECONDS:
        session[SESSION_SEEN_KEY] = now  # modified: saved with a fresh expiry
