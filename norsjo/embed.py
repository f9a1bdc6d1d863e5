"""Let other sites frame or fetch one view: the embeddable public fragment.

Everything else is ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (settings). A view
decorated with ``@embeddable`` may be framed by, and read with CORS from, the origins in
``settings.EMBED_ALLOWED_ORIGINS`` (env ``EMBED_ALLOWED_ORIGINS``) and no others::

    @login_not_required
    @embeddable
    def public_embed(request): ...
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_vary_headers


def embeddable(view):
    """Allow the configured origins, and only them, to frame this view and fetch it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = list(settings.EMBED_ALLOWED_ORIGINS)
        if origins:
            # django-csp: replace the site-wide frame-ancestors 'none' for this response only.
            response._csp_replace = {"frame-ancestors": origins}
            # X-Frame-Options cannot name origins; CSP frame-ancestors supersedes it in browsers.
            response.xframe_options_exempt = True
        origin = request.headers.get("Origin")
        if origin and origin in origins:
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
        return response

    return wrapped
