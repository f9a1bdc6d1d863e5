"""The public list (4:4, 4:5) and "is this really you?" (4:4): what citizens read.

Re-exported by ``registry.selectors``.
"""

import difflib
import hashlib
import time as time_module
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from branding.models import Branding

from ..models import (
    Channel,
    Platform,
    PoliticianLink,
    Unit,
)
from ..platforms import LOOKALIKE_STEM_LENGTH, Recognition, lookalike_key, recognise

# -- The public list (4:4, 4:5) ---------------------------------------------------------------

# Bump when the public list's markup or data shape changes, so that cached copies are not reused.
PUBLIC_LIST_VERSION = "3"  # 3: the comment policy (link and comment_policy_url)


def public_channels(*, platform: str = "", unit: str = "", order: str = "unit") -> QuerySet[Channel]:
    """Return the channels on the public list, optionally for one platform or unit (slugs)."""
    qs = Channel.objects.public().with_related()
    if platform:
        qs = qs.filter(platform__slug=platform)
    if unit:
        qs = qs.filter(unit__slug=unit)
    if order == "platform":
        return qs.order_by("platform__sort_order", "platform__name", "name", "pk")
    return qs.order_by("unit__name", "name", "pk")


def public_politician_links() -> QuerySet[PoliticianLink]:
    return PoliticianLink.objects.public().order_by("politician", "pk")


@dataclass(frozen=True)
class PublicListState:
    """What the public list's validators are computed from: a few aggregates, not the rows."""

    last_modified: datetime | None
    fingerprint: str

    def etag(self, *parts: str) -> str:
        """Return a strong ETag for one representation (*parts*: format, filters, language)."""
        digest = hashlib.sha256("|".join((self.fingerprint, *parts)).encode()).hexdigest()[:32]
        return f'"{digest}"'


def _as_datetime(value) -> datetime | None:
    """Return an aware datetime from a raw aggregate (SQLite gives text, PostgreSQL a datetime)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def public_list_state() -> PublicListState:
    """Return the public list's state from one query of indexed aggregates, however many channels.

    Any change to a channel (publishing, unpublishing, closing, editing: ``updated_at``), to a
    unit or platform (a rename), to a politician's link or to the graphic profile (4:1) changes
    the fingerprint; a deleted row changes a count or the highest id.
    """
    channel, unit = Channel._meta.db_table, Unit._meta.db_table
    platform, link = Platform._meta.db_table, PoliticianLink._meta.db_table
    branding = Branding._meta.db_table
    sql = (
        f"SELECT (SELECT MAX(updated_at) FROM {channel}),"  # noqa: S608 - table names from the models
        f" (SELECT COUNT(*) FROM {channel} WHERE status = %s AND is_published = %s),"
        f" (SELECT MAX(id) FROM {channel}),"
        f" (SELECT MAX(updated_at) FROM {unit}),"
        f" (SELECT MAX(updated_at) FROM {platform}),"
        f" (SELECT MAX(updated_at) FROM {link}),"
        f" (SELECT COUNT(*) FROM {link} WHERE is_published = %s AND withdrawn_at IS NULL),"
        f" (SELECT MAX(updated_at) FROM {branding})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Channel.Status.ACTIVE.value, True, True])
        changed, listed, last_pk, units, platforms, links, links_listed, brand = cursor.fetchone()
    stamps = [_as_datetime(value) for value in (changed, units, platforms, links, brand)]
    present = [stamp for stamp in stamps if stamp is not None]
    values = [PUBLIC_LIST_VERSION, listed, last_pk, links_listed]
    values += [stamp.isoformat() if stamp else "-" for stamp in stamps]
    return PublicListState(
        last_modified=max(present) if present else None, fingerprint="|".join(str(value) for value in values)
    )


_state_memo: tuple[float, PublicListState] | None = None


def public_list_state_memoised() -> PublicListState:
    """Return ``public_list_state()``, read at most once per ``PUBLIC_LIST_STATE_SECONDS`` per process.

    Under load this spares even the one aggregate query: a change shows within that many
    seconds (1 by default; 0 reads the database on every request, as the tests do).
    """
    global _state_memo
    seconds = settings.PUBLIC_LIST_STATE_SECONDS
    if seconds <= 0:
        return public_list_state()
    now = time_module.monotonic()
    memo = _state_memo
    if memo is not None and now - memo[0] < seconds:
        return memo[1]
    state = public_list_state()
    _state_memo = (now, state)
    return state


# -- "Is this really you?" --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The answer to "is this address an official channel of the municipality?"."""

    OFFICIAL = "official"  # an active or paused channel in the register
    CLOSED = "closed"  # was official, closed: no longer the municipality's
    POLITICIAN = "politician"  # a politician's own site linked from the list (4:5), not the municipality's
    UNKNOWN = "unknown"

    status: str
    recognition: Recognition
    channel: Channel | None = None
    link: PoliticianLink | None = None
    similar: tuple = ()

    @property
    def official(self) -> bool:
        return self.status == self.OFFICIAL


# Lookalikes: at most this many candidates are compared, each key cut to this many characters,
# so one request costs a few indexed queries and a bounded comparison however many channels.
LOOKALIKE_CANDIDATES = 200
LOOKALIKE_MAX_KEY = 64
LOOKALIKE_MIN_KEY = 3
LOOKALIKE_RATIO = 0.8
LOOKALIKE_SHOWN = 5


def _looks_alike(key: str, other: str) -> bool:
    if key == other:
        return True
    matcher = difflib.SequenceMatcher(None, key, other[:LOOKALIKE_MAX_KEY], autojunk=False)
    # The cheap upper bounds first: most candidates are refused without the full comparison.
    return (
        matcher.real_quick_ratio() >= LOOKALIKE_RATIO
        and matcher.quick_ratio() >= LOOKALIKE_RATIO
        and matcher.ratio() >= LOOKALIKE_RATIO
    )


def lookalike_channels(recognition: Recognition) -> tuple:
    """Return channels on the public list whose handle looks like *recognition*'s (a possible impostor).

    Only published channels: the answer goes to anyone, and an unpublished channel is not
    public. Candidates come from three indexed columns (the handle's lookalike key, its first
    and its last characters: ``registry.platforms.lookalike_key``), never from a scan of every
    channel; at most ``LOOKALIKE_CANDIDATES`` are compared.
    """
    key = lookalike_key(recognition.handle or recognition.url.rsplit("/", 1)[-1])[:LOOKALIKE_MAX_KEY]
    if len(key) < LOOKALIKE_MIN_KEY:
        return ()
    published = Channel.objects.public()
    if recognition.platform != "other":
        published = published.filter(platform__slug=recognition.platform)
    same = list(published.filter(lookalike_key=key).values_list("pk", flat=True)[:LOOKALIKE_SHOWN])
    stems = Q(lookalike_head=key[:LOOKALIKE_STEM_LENGTH]) | Q(lookalike_tail=key[-LOOKALIKE_STEM_LENGTH:])
    near = published.filter(stems).exclude(lookalike_key=key).values_list("pk", "lookalike_key")
    matches = same + [pk for pk, other in near[:LOOKALIKE_CANDIDATES] if _looks_alike(key, other)]
    if not matches:
        return ()
    return tuple(Channel.objects.with_related().filter(pk__in=matches).order_by("name", "pk")[:LOOKALIKE_SHOWN])


def verify_url(raw: str) -> Verification:
    """Tell whether *raw* is an official channel, normalised exactly as registration does.

    Official means active or paused: the account is the municipality's, whether or not it is
    on the public list yet. Proposed and rejected channels are not official. Raises
    ``ValidationError`` for an address that is not a valid web address.
    """
    recognition = recognise(raw)
    channel = (
        Channel.objects.with_related()
        .filter(url=recognition.url, status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED, Channel.Status.CLOSED])
        .order_by("closed_on", "-pk")
        .first()
    )
    if channel is not None and channel.status != Channel.Status.CLOSED:
        return Verification(Verification.OFFICIAL, recognition, channel=channel)
    if channel is not None:
        return Verification(Verification.CLOSED, recognition, channel=channel)
    link = PoliticianLink.objects.public().filter(url=recognition.url).first()
    if link is not None:
        return Verification(Verification.POLITICIAN, recognition, link=link)
    return Verification(Verification.UNKNOWN, recognition, similar=lookalike_channels(recognition))
