"""The public list of channels (4:4, 4:5), its API and "is this really you?": no sign-in.
The web team's preview of the list is here too, rendered from the same data and template.

The list and the API answer conditional requests (ETag, Last-Modified) from two aggregate
queries without rendering, and keep rendered bodies in the cache keyed by the ETag, so an
unchanged list costs two small queries and a cache read.
"""

import csv
import gzip
import io
import json
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from moderation.exports import neutralise
from norsjo.embed import embeddable
from norsjo.ratelimit import rate_limited, too_many_requests_message

from .. import permissions
from ..models import Platform, Unit
from ..selectors import (
    Verification,
    public_channels,
    public_list_state,
    public_list_state_memoised,
    public_politician_links,
    verify_url,
)

GROUPINGS = ("unit", "platform")
CACHE_SECONDS = 24 * 60 * 60  # entries are keyed by the ETag: a change makes a new key
# As django.utils.html.json_script: JSON that cannot end its <script> element early.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# Every public response names its character set (HTML, JSON, JSON-LD, CSV alike).
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
JSON_LD = "application/ld+json; charset=utf-8"
CSV = "text/csv; charset=utf-8"
CSV_COLUMNS = ("platform", "platform_name", "name", "url", "handle", "unit", "unit_slug", "purpose", "audience")


class BadRequest(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json_error(code: str, message: str, status: int = 400):
    return _cors(JsonResponse({"error": code, "message": message}, status=status, content_type=JSON))


def _api_too_many_requests(request, seconds: int):
    """The API's answer to a client over its rate: JSON, 429, readable from any site."""
    with translation.override(settings.LANGUAGE_CODE):
        return _json_error("rate_limited", too_many_requests_message(seconds), status=429)


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _conditional(request, *, parts: tuple, build, content_type: str, cors: bool = False):
    """Answer 304 when the client's copy is current; else serve the (cached) body of *build*.

    Bodies are cached by ETag, and gzipped once for clients that accept it (a list of a
    thousand channels is some 400 kB of HTML but 20 kB gzipped).
    """
    state = public_list_state_memoised()
    gzipped = _accepts_gzip(request)
    etag = state.etag(*parts, "gzip" if gzipped else "identity")
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"public-list:{etag}"
        body = cache.get(key)
        if body is None:
            body = build(state).encode()  # bytes: cheap to pickle in and out of the cache
            if gzipped:
                body = gzip.compress(body, compresslevel=6, mtime=0)
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=content_type)
        if gzipped:
            response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Caches may keep the list but must ask whether it changed (cheap: a 304) before using it.
    response["Cache-Control"] = "public, no-cache"
    return _cors(response) if cors else response


def _ld_json(data) -> str:
    """Return JSON for a ``<script type="application/ld+json">`` element, safe inside HTML."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))


def _organisation(channels) -> dict:
    """Return schema.org JSON-LD for the municipality with its official accounts as ``sameAs``."""
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": settings.MUNICIPALITY_NAME,
        "url": settings.MUNICIPALITY_WEBSITE,
        "sameAs": [channel.url for channel in channels],
    }


def _grouping(request) -> str:
    value = request.GET.get("group", "")
    return value if value in GROUPINGS else "unit"


def _list_context(grouping: str) -> dict:
    channels = list(public_channels(order=grouping))
    key = (lambda c: c.unit) if grouping == "unit" else (lambda c: c.platform)
    return {
        "grouping": grouping,
        "groups": [(group, list(items)) for group, items in groupby(channels, key=key)],
        "channel_count": len(channels),
        "links": list(public_politician_links()),
        "organisation_ld": _ld_json(_organisation(channels)),
    }


@require_GET
def public_preview(request):
    """Show the web team exactly what the public list shows now (the same template and data)."""
    if not permissions.can_preview_public_list(request.user):
        raise PermissionDenied
    context = _list_context(_grouping(request)) | {"updated": public_list_state().last_modified}
    return render(request, "registry/public_preview.html", context)


@login_not_required
@require_safe
@rate_limited("public")
def public_list(request):
    """The public list of the municipality's channels (4:4) and politicians' links (4:5)."""
    grouping = _grouping(request)

    def build(state):
        context = _list_context(grouping) | {"updated": state.last_modified}
        return render_to_string("registry/public/list.html", context, request=request)

    return _conditional(request, parts=("html", grouping, translation.get_language()), build=build, content_type=HTML)


@login_not_required
@require_safe
@embeddable
@rate_limited("public")
def public_embed(request):
    """The list as a small page the municipal website may frame or include in its CMS."""
    grouping = _grouping(request)

    def build(state):
        context = _list_context(grouping) | {"updated": state.last_modified}
        return render_to_string("registry/public/embed.html", context, request=request)

    return _conditional(
        request,
        parts=("embed", grouping, translation.get_language()),
        build=build,
        content_type=HTML,
    )


def _channel_data(channel) -> dict:
    return {
        "platform": {"slug": channel.platform.slug, "name": _(channel.platform.name)},
        "name": channel.name,
        "url": channel.url,
        "handle": channel.handle,
        "unit": channel.unit.name,
        "unit_slug": channel.unit.slug,
        "purpose": channel.purpose,
        "audience": channel.audience,
    }


def _api_filters(request) -> dict:
    """Return the API's filters (slugs), refusing unknown ones with ``BadRequest``."""
    platform = request.GET.get("platform", "").strip()
    unit = request.GET.get("unit", "").strip()
    if platform and not Platform.objects.filter(slug=platform).exists():
        raise BadRequest("unknown_platform", _("There is no platform “%(slug)s”.") % {"slug": platform[:60]})
    if unit and not Unit.objects.filter(slug=unit).exists():
        raise BadRequest("unknown_unit", _("There is no unit “%(slug)s”.") % {"slug": unit[:60]})
    return {"platform": platform, "unit": unit}


def _channels_response(request, fmt: str):
    try:
        filters = _api_filters(request)
    except BadRequest as error:
        return _json_error(error.code, error.message)

    def build_json(state):
        channels = public_channels(**filters)
        data = {
            "municipality": settings.MUNICIPALITY_NAME,
            "updated": state.last_modified.isoformat() if state.last_modified else None,
            "channels": [_channel_data(channel) for channel in channels],
        }
        return json.dumps(data, ensure_ascii=False)

    def build_csv(state):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for channel in public_channels(**filters):
            data = _channel_data(channel)
            row = dict(data, platform=data["platform"]["slug"], platform_name=data["platform"]["name"])
            # Names and purposes are typed by people: a cell a spreadsheet would run as a formula is made inert.
            writer.writerow([neutralise(row[column]) for column in CSV_COLUMNS])
        return out.getvalue()

    # The API speaks the municipality's language whatever the client's Accept-Language.
    with translation.override(settings.LANGUAGE_CODE):
        parts = (fmt, filters["platform"], filters["unit"])
        if fmt == "csv":
            response = _conditional(request, parts=parts, build=build_csv, content_type=CSV, cors=True)
            response["Content-Disposition"] = 'inline; filename="kanaler.csv"'
            return response
        return _conditional(request, parts=parts, build=build_json, content_type=JSON, cors=True)


@login_not_required
@require_safe
@rate_limited("public", respond=_api_too_many_requests)
def api_channels(request):
    """``GET /api/v1/channels/``: the public list as JSON (contract in PRODUCT.md), or CSV."""
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        return _json_error("unknown_format", _("The format must be json or csv."))
    return _channels_response(request, fmt)


@login_not_required
@require_safe
@rate_limited("public", respond=_api_too_many_requests)
def api_channels_csv(request):
    """``GET /api/v1/channels.csv``: the public list as CSV."""
    return _channels_response(request, "csv")


@login_not_required
@require_safe
@rate_limited("public", respond=_api_too_many_requests)
def api_organisation(request):
    """schema.org JSON-LD for the municipality, its official accounts as ``sameAs``."""

    def build(state):
        return json.dumps(_organisation(public_channels()), ensure_ascii=False)

    return _conditional(request, parts=("jsonld",), build=build, content_type=JSON_LD, cors=True)


def verification_message(verification: Verification) -> str:
    municipality = settings.MUNICIPALITY_NAME
    channel, link = verification.channel, verification.link
    if verification.status == Verification.OFFICIAL:
        message = _("Yes. This is an official channel of %(municipality)s: %(name)s on %(platform)s, run by %(unit)s.")
        message %= {
            "municipality": municipality,
            "name": channel.name,
            "platform": _(channel.platform.name),
            "unit": channel.unit.name,
        }
        if channel.status == channel.Status.PAUSED:
            message += " " + _("The channel is paused at the moment.")
        return message
    if verification.status == Verification.CLOSED:
        return _(
            "No longer. %(name)s was an official channel of %(municipality)s but was closed on %(date)s. "
            "It is no longer official: what is posted there now does not come from the municipality."
        ) % {"name": channel.name, "municipality": municipality, "date": channel.closed_on.isoformat()}
    if verification.status == Verification.POLITICIAN:
        return _(
            "This is not a channel of %(municipality)s. It is %(politician)s's own %(kind)s, linked from the "
            "municipality's list; the views there are the politician's own, not the municipality's."
        ) % {"municipality": municipality, "politician": link.politician, "kind": link.get_kind_display()}
    return _("No. This address is not an official channel of %(municipality)s.") % {"municipality": municipality}


def _verification_data(verification: Verification) -> dict:
    channel = verification.channel
    data = {
        "url": verification.recognition.url,
        "platform": verification.recognition.platform,
        "official": verification.official,
        "status": verification.status,
        "message": verification_message(verification),
        "channel": None,
    }
    if channel is not None:
        data["channel"] = _channel_data(channel) | {
            "status": channel.status,
            "listed": channel.is_published,
            "closed_on": channel.closed_on.isoformat() if channel.closed_on else None,
        }
    if verification.link is not None:
        link = verification.link
        data["politician_link"] = {
            "politician": link.politician,
            "party": link.party,
            "url": link.url,
            "kind": link.kind,
        }
    if verification.similar:
        data["similar"] = [{"name": c.name, "url": c.url, "unit": c.unit.name} for c in verification.similar]
    return data


@login_not_required
@require_safe
@rate_limited("verify", respond=_api_too_many_requests)
def api_verify(request):
    """``GET /api/v1/verify/?url=...``: is this address an official channel of the municipality?"""
    raw = request.GET.get("url", "")
    with translation.override(settings.LANGUAGE_CODE):
        if not raw.strip():
            return _json_error("required", _("Give the address to check in the parameter url."))
        try:
            verification = verify_url(raw)
        except ValidationError as error:
            return _json_error(error.code or "invalid_url", " ".join(error.messages))
        return _cors(
            JsonResponse(_verification_data(verification), content_type=JSON, json_dumps_params={"ensure_ascii": False})
        )


@login_not_required
@require_safe
@rate_limited("verify")
def public_verify(request):
    """A page where anyone pastes an address and learns whether it is an official channel."""
    raw = request.GET.get("url", "")
    context = {"url": raw[:600], "submitted": "url" in request.GET}
    if context["submitted"]:
        if not raw.strip():
            context["error"] = _("Paste the address of the account or page you want to check.")
        else:
            try:
                verification = verify_url(raw)
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
            else:
                context["verification"] = verification
                context["message"] = verification_message(verification)
    return render(request, "registry/public/verify.html", context)


@login_not_required
@require_safe
def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse) the law requires for public pages."""
    return render(request, "registry/public/accessibility.html")
