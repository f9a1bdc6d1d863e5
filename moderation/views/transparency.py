"""The log's public proofs (no sign-in) and the archivists' integrity page.

Public, rate limited, switched off by ``MODERATION_LOG_PUBLISH=false`` (then 404):

- ``GET /api/v1/moderation-log/checkpoint``: the latest signed checkpoint, exactly the note;
- ``GET /api/v1/moderation-log/consistency?from=N&to=M``: the RFC 6962 consistency proof;
- ``GET /api/v1/moderation-log/key``: the verifier key checkpoints are signed with.

They reveal only the tree's size, hashes and the signature, never a record.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from norsjo.ratelimit import rate_limited, too_many_requests_message

from .. import permissions
from ..transparency import jobs, keys, tree, witnessing

TEXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"
_NUMBER = re.compile(r"[0-9]{1,19}")


def _public(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _error(code: str, message: str, status: int = 400):
    return _public(JsonResponse({"error": code, "message": message}, status=status, content_type=JSON))


def _too_many(request, seconds: int):
    with translation.override(settings.LANGUAGE_CODE):
        return _error("rate_limited", too_many_requests_message(seconds), status=429)


def _published():
    if not settings.MODERATION_LOG_PUBLISH:
        raise Http404


@login_not_required
@require_safe
@rate_limited("public", respond=_too_many)
def checkpoint(request):
    _published()
    return _public(HttpResponse(tree.latest_checkpoint(), content_type=TEXT))


@login_not_required
@require_safe
@rate_limited("public", respond=_too_many)
def key(request):
    _published()
    return _public(HttpResponse(f"{keys.verifier()}\n", content_type=TEXT))


@login_not_required
@require_safe
@rate_limited("public", respond=_too_many)
def consistency(request):
    _published()
    with translation.override(settings.LANGUAGE_CODE):
        raw = {name: request.GET.get(name, "") for name in ("from", "to")}
        if not all(_NUMBER.fullmatch(value) for value in raw.values()):
            return _error("invalid", _("Give two tree sizes as whole numbers: ?from=N&to=M."))
        first, second = int(raw["from"]), int(raw["to"])
        size = tree.size()
        if not 1 <= first <= second <= size:
            return _error(
                "out_of_range",
                _("The sizes must satisfy 1 ≤ from ≤ to ≤ %(size)s, the log's current size.") % {"size": size},
            )
        proof = tree.consistency_proof(first, second)
    return _public(JsonResponse({"from": first, "to": second, "proof": tree.encode(proof)}, content_type=JSON))


@require_http_methods(["GET", "POST"])
def integrity(request):
    """The archivists' view of the log's integrity: checkpoint, witness, and "verify now" (a background job)."""
    permissions.require_archive_manager(request.user)
    if request.method == "POST":
        _job, started = jobs.verification_start(actor=request.user)
        if started:
            messages.success(request, _("Verification has started. This page shows its progress."))
        else:
            messages.info(request, _("A verification is already running."))
        return redirect("moderation:integrity")
    verification = jobs.latest_verification()
    return render(
        request,
        "moderation/integrity.html",
        {
            "checkpoint": tree.latest_checkpoint(),
            "verifier_key": str(keys.verifier()),
            "witness": witnessing.last_local_run(),
            "verification": verification,
            "running": verification is not None and not verification.is_finished,
            "published": settings.MODERATION_LOG_PUBLISH,
        },
    )
