"""Request-scoped memo of permission answers (``registry.permissions.remember_per_request``)."""

from django.contrib.auth.middleware import get_user
from django.utils.functional import SimpleLazyObject

from .permissions import remember_per_request


class PermissionMemoMiddleware:
    """Load the request's user lazily, as AuthenticationMiddleware does, with a fresh memo of answers.

    The menu, the view and the templates ask the same rules (has an active mandate, may use the
    log, may log somewhere); with the memo each runs its query once per request. The memo lives
    on this request's user object only, so nothing is remembered from one request to the next.
    Placed right after ``django.contrib.auth.middleware.AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # get_user caches the user on the request (request._cached_user): one object per request.
        request.user = SimpleLazyObject(lambda: remember_per_request(get_user(request)))
        return self.get_response(request)
