"""Project-wide error views: permission denied, CSRF failure, server error, database unavailable."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure

from .security_log import security_event

logger = logging.getLogger("norsjo.errors")

# Seconds a client is asked to wait before trying again while the database is down.
RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Return whether *exception* means the database cannot be reached (or is refusing work)."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable(request, exception=None):
    """Render the 'temporarily unavailable' page without touching the database (no user, no session)."""
    logger.error("Database unavailable: %s", exception, extra={"path": request.path})
    # No RequestContext: the context processors would read the user, hence the database.
    html = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def permission_denied(request, exception=None):
    """Log the refusal as a security event, then show Django's 403 page (templates/403.html)."""
    security_event("permission.denied", request, level=logging.WARNING, status=403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    security_event("csrf.failure", request, level=logging.WARNING, reason=reason)
    return django_csrf_failure(request, reason=reason)


def server_error(request):
    """A 500, unless the error is the database being unreachable: then 503 with Retry-After."""
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable(request, exception)
    return defaults.server_error(request)
