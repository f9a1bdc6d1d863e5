"""Security events as structured log lines, for the municipality's log collection.

One function for every feature: ``security_event("record.read", request, record=pk)``. The
line is JSON (``norsjo.log.JsonFormatter``) and carries the request id, the user, the client
address, the method and the path. Names are dotted, ``<thing>.<what happened>``:

    auth.login, auth.login_failed, auth.lockout, auth.logout, auth.session_expired,
    auth.sso_refused, auth.sso_linked, auth.sso_unlinked,
    permission.denied, csrf.failure, record.read, record.export, record.disposal
"""

import ipaddress
import logging

from django.conf import settings
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger("norsjo.security")


def client_ip(request) -> str:
    """Return the client's address, as the first of ``TRUSTED_PROXY_COUNT`` proxies saw it.

    Each proxy appends the address it was connected from to ``X-Forwarded-For``, so with *n*
    trusted proxies the *n*-th entry from the right is the client; anything further left is
    the client's own say-so and never used. Without trusted proxies, or when the header holds
    fewer entries than proxies or no valid address there, the connection's own address
    (``REMOTE_ADDR``) is the answer. Every path uses this one function: the security log, the
    sign-in lockout (``AXES_CLIENT_IP_CALLABLE``) and the public endpoints' rate limit.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [entry for entry in entries if entry]
        if len(entries) >= count:
            try:
                return str(ipaddress.ip_address(entries[-count]))
            except ValueError:
                pass
    return remote


def _resolved_user(request):
    """Return the request's user if already known; never query the database for it here."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        return request.__dict__.get("_cached_user")
    return user


def _user_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return {"user": user.get_username(), "user_id": user.pk}


def security_event(name: str, request=None, *, level: int = logging.INFO, user=None, **fields) -> None:
    """Log the security event *name* with the request's context and *fields* (JSON-serialisable)."""
    event = {"event": name}
    if request is not None:
        event.update(ip=client_ip(request), method=request.method, path=request.path)
        if user is None:
            user = _resolved_user(request)
    event.update(_user_fields(user))
    event.update(fields)
    logger.log(level, name, extra={"security": event})


# Sign-in events come from django.contrib.auth's signals and django-axes' lockout signal. The
# house style avoids signals for the application's own flow, but these are the documented
# integration points of the authentication framework: every backend (password, OpenID Connect)
# and every sign-in view sends them, so listening catches them all in one place. The receivers
# below are connected in NorsjoConfig.ready() (norsjo/apps.py).


def log_logged_in(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    security_event("auth.login", request, user=user, backend=backend.rsplit(".", 1)[-1])


def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in *credentials*.
    security_event("auth.login_failed", request, level=logging.WARNING, username=credentials.get("username", ""))


def log_logged_out(sender, request, user, **kwargs):
    security_event("auth.logout", request, user=user)


def log_locked_out(sender, request, username, ip_address, **kwargs):
    security_event("auth.lockout", request, level=logging.WARNING, username=username or "", locked_ip=ip_address)
