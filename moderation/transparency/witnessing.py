"""Running a witness against this installation's database or another installation's URL.

``witness_run`` is the one function behind ``manage.py witness_moderation_log``: it fetches
the checkpoint and the proofs from the source, runs ``witness.witness`` over the store
directory, records a ``WitnessRun`` and, when the log does not extend what the witness kept,
e-mails the archivists (their start page shows it too).
"""

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from moderation.models import WitnessRun
from registry.permissions import ARCHIVIST_GROUP
from registry.reminders import site_url

from . import keys, merkle, tree
from .note import NoteError, Verifier
from .witness import ProofUnavailable, Result, Store, witness

TIMEOUT = 30
MAX_BYTES = 1 << 20


class SourceError(Exception):
    """The source could not be read at all (network, not a checkpoint endpoint)."""


def _get(url: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise SourceError(f"{url} is not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": "kanalregistret-witness/1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only, above
            return response.read(MAX_BYTES)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SourceError(f"{url}: {error}") from error


def sibling(url: str, name: str, **query) -> str:
    """The address of another endpoint beside the checkpoint URL (…/checkpoint → …/consistency)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/" + name
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, urllib.parse.urlencode(query), ""))


def remote_source(url: str) -> tuple[str, Callable[[int, int], list[bytes]], Callable[[], Verifier]]:
    note = _get(url).decode("utf-8", errors="replace")

    def consistency(first: int, second: int) -> list[bytes]:
        try:
            data = json.loads(_get(sibling(url, "consistency", **{"from": first, "to": second})))
            return [base64.b64decode(item, validate=True) for item in data["proof"]]
        except (SourceError, ValueError, KeyError, TypeError, binascii.Error) as error:
            raise ProofUnavailable(str(error)) from error

    def key() -> Verifier:
        try:
            return Verifier.parse(_get(sibling(url, "key")).decode("ascii"))
        except (UnicodeDecodeError, NoteError) as error:
            raise SourceError(f"{sibling(url, 'key')} is not a verifier key: {error}") from error

    return note, consistency, key


def local_source() -> tuple[str, Callable[[int, int], list[bytes]], Callable[[], Verifier]]:
    def consistency(first: int, second: int) -> list[bytes]:
        try:
            return tree.consistency_proof(first, second)
        except merkle.ProofError as error:
            raise ProofUnavailable(str(error)) from error

    return tree.latest_checkpoint(), consistency, keys.verifier


def witness_run(*, store_dir: str, url: str | None = None, key: str | None = None) -> tuple[Result, list[str]]:
    """Witness the log once; return the result and notes for the operator (key pinning)."""
    notes: list[str] = []
    store = Store(store_dir)
    try:
        note, consistency, fetch_key = remote_source(url) if url else local_source()
        pinned = store.pinned_key()
        verifier = Verifier.parse(key) if key else pinned or fetch_key()
    except (SourceError, NoteError) as error:
        result = Result(False, "unavailable", str(error))
    else:
        if pinned is None or pinned != verifier:
            if pinned is not None:
                notes.append(f"the key was {pinned}; now {verifier} (given with --key)")
            else:
                notes.append(f"pinned the key {verifier}")
            store.pin_key(verifier)
        result = witness(store, note, verifier, consistency)
    _record(result, source=url or "")
    return result, notes


def _record(result: Result, *, source: str) -> WitnessRun:
    parting = result.parting
    run = WitnessRun.objects.create(
        source=source,
        ok=result.ok,
        code=result.code,
        message=result.message,
        size=result.checkpoint.size if result.checkpoint else None,
        checkpoint=result.checkpoint.text() if result.checkpoint else "",
        agree_until=parting.agree_until if parting else None,
        differs_at=parting.differs_at if parting else None,
    )
    if not result.ok:
        _tell_archivists(run)
    return run


def _tell_archivists(run: WitnessRun) -> None:
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=ARCHIVIST_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("The moderation log's witness found a problem")
        body = render_to_string(
            "moderation/email/witness_failed.txt",
            {"run": run, "url": site_url(reverse("moderation:integrity"))},
        )
    send_mail(subject, body, None, recipients)


def last_local_run() -> WitnessRun | None:
    return WitnessRun.objects.filter(source="").first()


def last_witnessed_size() -> int | None:
    """The largest size of this log that a witness has accepted (for the record page)."""
    run = WitnessRun.objects.filter(source="", ok=True, size__isnull=False).order_by("-size").first()
    return run.size if run else None


def failing_run() -> WitnessRun | None:
    """The last witness run of this log, if it failed (shown on the archivists' start page)."""
    run = last_local_run()
    return run if run is not None and not run.ok else None


def place_in_log(record) -> dict:
    """A record's place in the tree and whether a checkpoint a witness accepted covers it."""
    witnessed = last_witnessed_size()
    return {
        "leaf": record.sequence,
        "size": tree.size(),
        "witnessed_size": witnessed,
        "witnessed": witnessed is not None and witnessed >= record.sequence,
    }
