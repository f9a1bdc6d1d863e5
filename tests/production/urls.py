"""The project's URLs plus test-only views (``@pytest.mark.urls("tests.production.urls")``)."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from norsjo.embed import embeddable
from norsjo.urls import handler403, handler500
from norsjo.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler500", "urlpatterns"]


@login_not_required
@embeddable
def embed_fragment(request):
    return HttpResponse("<p>fragment</p>")


@login_not_required
def plain_fragment(request):
    return HttpResponse("<p>not embeddable</p>")


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


urlpatterns = [
    *project_urlpatterns,
    path("test-embed/", embed_fragment, name="test_embed"),
    path("test-plain/", plain_fragment, name="test_plain"),
    path("test-database-gone/", database_gone, name="test_database_gone"),
]
