"""Project middleware: request ids, private signed-in pages, session lifetime, the database-down page."""

import re
import uuid

from django.conf import settings
from django.contrib.auth import logout

from . import sessions
from .log import request_id_var
from .security_log import security_event
from .views import database_unavailable, is_database_unavailable

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the proxy (nginx's $request_id) is kept when it looks like one; anything else is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
PRIVATE_CACHE_CONTROL = "private, no-store"
# Set on the request by PrivatePagesMiddleware.process_view: True for a view marked
# @login_not_required, False for one that needs sign-in; absent when no view was resolved.
_VIEW_IS_PUBLIC = "norsjo_view_is_public"


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID or a new one), log with it, and return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Reset when the response is closed, not on the way out of here: Django logs an error
        # response's line after the middleware has returned, and that line must carry the id too.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        response._resource_closers.append(lambda: request_id_var.set("-"))
        return response


def _cache_directives(response) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}


def is_private_response(request, response) -> bool:
    """Return whether *response* may be kept by no cache: ``Cache-Control: private, no-store``.

    Every response to a signed-in person and every response of a page that needs sign-in
    (the redirect to the sign-in page, error pages, downloads and exports included) is private.
    Only a public page that declares public caching itself (the public list, the API, the
    theme) keeps its own: those pages are the same for everyone.
    """
    view_is_public = getattr(request, _VIEW_IS_PUBLIC, None)
    directives = _cache_directives(response)
    if view_is_public and "public" in directives:
        return False
    if view_is_public is False or "no-store" in directives:
        # Already settled without asking who is signed in (which may need the database: a
        # 503 page of an unreachable database must not ask it again).
        return True
    user = getattr(request, "user", None)  # absent when an outer layer answered first
    return user is not None and user.is_authenticated


class PrivatePagesMiddleware:
    """Send ``Cache-Control: private, no-store`` on every signed-in page (``is_private_response``).

    Placed before the session and authentication middleware, so that it also sees the
    responses they and everything inside them give (CSRF failures, the redirect to sign in,
    error pages, the slash redirect). Static files never get here: WhiteNoise answers first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_response(request, response):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            # An Expires from never_cache or a cache decorator means nothing beside no-store.
            response.headers.pop("Expires", None)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The same test as LoginRequiredMiddleware's: views are private unless marked public.
        setattr(request, _VIEW_IS_PUBLIC, not getattr(view_func, "login_required", True))
        return None


class SessionLifetimeMiddleware:
    """End signed-in sessions after SESSION_COOKIE_AGE idle and SESSION_ABSOLUTE_SECONDS in all.

    Idle: a session's expiry (in the database and on the cookie) is SESSION_COOKIE_AGE after its
    last save; an active session is saved again at most once a minute, which pushes it forward.
    That is SESSION_SAVE_EVERY_REQUEST without a database write on every request.
    Absolute: SESSION_ABSOLUTE_SECONDS after sign-in the session is flushed, however active.
    The sign-in time and the renewal are ``norsjo.sessions``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sessions.is_past_absolute_lifetime(request.session, settings.SESSION_ABSOLUTE_SECONDS):
            user = request.user
            logout(request)  # flushes the session: its row is deleted, the cookie is worthless
            security_event("auth.session_expired", request, user=user, reason="absolute")
        else:
            sessions.renew_if_due(request.session)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a clear page and Retry-After when a view finds the database unreachable.

    Errors raised outside views (loading the session, say) reach ``norsjo.views.server_error``,
    which does the same. With CONN_HEALTH_CHECKS the next request reconnects by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        return None
