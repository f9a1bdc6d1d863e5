"""Recognise and normalise channel URLs.

Pasting a channel's address fills in its platform and handle, and the normalised form
makes one channel have exactly one address in the register, however it was pasted
(``http://www.Facebook.com/NorsjoKommun/?ref=bookmarks`` and
``https://facebook.com/norsjokommun`` are the same page).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

MAX_URL_LENGTH = 500

# Sub-domains that are only other doors to the same page.
_ALIAS_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.")

# Query parameters that never identify a page (tracking, sharing).
_NOISE_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|igshid|igsh|si|ref|ref_src|ref_url|s|t|feature|hl|locale)$")


@dataclass(frozen=True)
class Recognition:
    """What an address says about itself: platform slug, handle and normalised URL."""

    platform: str
    handle: str
    url: str


@dataclass(frozen=True)
class _Rule:
    platform: str
    hosts: tuple[str, ...]
    # Each pattern matches the path; group "handle" is the account's handle.
    patterns: tuple[re.Pattern, ...]
    canonical_host: str
    handle_prefix: str = ""
    case_sensitive: bool = False


def _p(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


_RULES = (
    _Rule(
        "facebook",
        ("facebook.com", "fb.com", "fb.me"),
        _p(
            r"^/profile\.php$",
            r"^/pages/[^/]+/(?P<handle>\d+)$",
            r"^/groups/(?P<handle>[\w.\-]+)$",
            r"^/(?P<handle>[\w.\-]+)$",
        ),
        "facebook.com",
    ),
    _Rule("instagram", ("instagram.com", "instagr.am"), _p(r"^/(?P<handle>[\w.]+)$"), "instagram.com", "@"),
    _Rule(
        "youtube",
        ("youtube.com",),
        _p(
            r"^/(?P<handle>@[\w.\-]+)$",
            r"^/channel/(?P<handle>UC[\w\-]{22})$",
            r"^/(?:c|user)/(?P<handle>[\w.\-]+)$",
        ),
        "youtube.com",
        case_sensitive=True,
    ),
    _Rule("x", ("x.com", "twitter.com"), _p(r"^/(?P<handle>\w{1,15})$"), "x.com", "@"),
    _Rule(
        "linkedin",
        ("linkedin.com", "se.linkedin.com"),
        _p(r"^/(?:company|showcase|school|in)/(?P<handle>[\w\-%.]+)$"),
        "linkedin.com",
    ),
    _Rule(
        "flickr",
        ("flickr.com",),
        _p(r"^/(?:photos|people)/(?P<handle>[\w@\-.]+)$"),
        "flickr.com",
    ),
    _Rule("tiktok", ("tiktok.com",), _p(r"^/(?P<handle>@[\w.]+)$"), "tiktok.com"),
    _Rule("threads", ("threads.net", "threads.com"), _p(r"^/(?P<handle>@[\w.]+)$"), "threads.net"),
)

# Platforms recognised by their host: an address there is theirs, and they have no other address.
HOST_PLATFORMS = frozenset(rule.platform for rule in _RULES)

_BLOG_HOST_SUFFIXES = (".blogspot.com", ".blogspot.se", ".wordpress.com", ".substack.com", ".blogg.se")
_MASTODON_PATH = re.compile(r"^/(?P<handle>@\w+)$")

_url_validator = URLValidator(schemes=["http", "https"])


def normalise_url(raw: str) -> str:
    """Return *raw* in the one form the register stores, or raise ``ValidationError``."""
    return recognise(raw).url


def recognise(raw: str) -> Recognition:
    """Recognise the platform and handle of a channel address; unknown sites are "other"."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter the channel's address."), code="required")
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(
            _("The address is too long (at most %(max)d characters)."), code="too_long", params={"max": MAX_URL_LENGTH}
        )
    if "://" not in text:
        text = "https://" + text
    try:
        _url_validator(text)
        parts = urlsplit(text)
        port = parts.port
    except (ValidationError, ValueError):
        raise ValidationError(
            _(
                "“%(url)s” is not a valid web address. Paste the full address, e.g. https://www.facebook.com/norsjokommun."
            ),
            code="invalid_url",
            params={"url": raw.strip()[:100]},
        ) from None

    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _ALIAS_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if path != "/":
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if not _NOISE_PARAMS.match(k)]

    for rule in _RULES:
        if host in rule.hosts:
            return _apply_rule(rule, path, query)

    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    if host.endswith(_BLOG_HOST_SUFFIXES):
        url = urlunsplit(("https", netloc, path if path != "/" else "", urlencode(query), ""))
        return Recognition("blog", host.split(".")[0], url)
    url = urlunsplit(("https", netloc, "" if path == "/" else path, urlencode(query), ""))
    mastodon = _MASTODON_PATH.match(path)
    if mastodon:
        handle = f"{mastodon.group('handle')}@{host}"
        return Recognition("mastodon", handle.lower(), url.lower())
    return Recognition("other", "", url)


def _apply_rule(rule: _Rule, path: str, query: list[tuple[str, str]]) -> Recognition:
    if rule.platform == "facebook" and path.lower() == "/profile.php":
        ids = [v for k, v in query if k == "id" and v.isdigit()]
        if ids:
            return Recognition("facebook", ids[0], f"https://facebook.com/profile.php?id={ids[0]}")
    for pattern in rule.patterns:
        match = pattern.match(path)
        if match and match.groupdict().get("handle"):
            handle = match.group("handle")
            if rule.case_sensitive and path.lower().startswith("/channel/"):
                # YouTube channel ids are case-sensitive; everything else is not.
                normal_path = path[: -len(handle)].lower() + handle
            else:
                normal_path, handle = path.lower(), handle.lower()
            shown = handle if handle.startswith("@") or not rule.handle_prefix else rule.handle_prefix + handle
            return Recognition(rule.platform, shown, f"https://{rule.canonical_host}{normal_path}")
    # A known platform but not a recognisable account address (a single post, a search):
    # keep the platform, leave the handle to the person registering.
    normal_path = "" if path == "/" else path
    suffix = f"?{urlencode(query)}" if query else ""
    return Recognition(rule.platform, "", f"https://{rule.canonical_host}{normal_path}{suffix}")


def check_platform(recognition: Recognition, platform: str) -> None:
    """Refuse a platform that does not agree with the address; the one rule every path calls.

    An address on a known platform's host (facebook.com, instagram.com, ...) belongs to that
    platform, and such a platform has no address elsewhere. Blogs, forums, Mastodon and other
    sites are told apart by the person registering.
    """
    if recognition.platform in HOST_PLATFORMS:
        agrees = platform == recognition.platform
    else:
        agrees = platform not in HOST_PLATFORMS
    if not agrees:
        raise ValidationError(
            _("The platform does not match the address. Choose “Recognise from the address” or the right platform."),
            code="platform_mismatch",
        )


# -- Lookalikes --------------------------------------------------------------------------------
#
# The lookalike key ("skeleton", after Unicode TR39) of a handle: lower case, separators
# dropped and characters that look alike folded together, so that ``norsj0.kommun``,
# ``Norsjo_Kommun`` and ``norsjokornmun`` share the key ``norsjokommun``. Each step is a plain
# replacement, applied in order, so that Python (``lookalike_key``) and the database
# (``lookalike_key_expression``, the stored, indexed ``Channel.lookalike_key``) compute the same
# key from one table. SQLite lower-cases ASCII only: upper-case letters outside ASCII that the
# table does not fold may differ there (PostgreSQL, in production, lower-cases them all).

LOOKALIKE_STEPS: tuple[tuple[str, str], ...] = (
    # Separators a platform ignores or an impostor adds.
    *((separator, "") for separator in " ._-@"),
    # Letter pairs that read as one letter.
    ("rn", "m"),
    ("vv", "w"),
    # Digits for letters, and the letters I and l.
    *((digit, letter) for digit, letter in zip("01i345", "olleas", strict=True)),
    # Swedish letters (both cases: SQLite lower-cases ASCII only) and é.
    *((accented, plain) for accented, plain in zip("åäöéÅÄÖ", "aaoeaao", strict=True)),
    # Cyrillic letters drawn like Latin ones.
    *((cyrillic, latin) for cyrillic, latin in zip("аеорс", "aeopc", strict=True)),
)
# SQLite's parser takes some 30 nested functions: the steps above are as many as it allows.
LOOKALIKE_KEY_LENGTH = 200  # as Channel.handle: no step makes a text longer
# The stored stems: the key's first and last characters, each an indexed column, so that a
# lookup finds handles that differ at one end without comparing every channel.
LOOKALIKE_STEM_LENGTH = 5


def lookalike_key(text: str) -> str:
    """Return the lookalike key of a handle: what it looks like, whatever characters it is made of."""
    key = (text or "").lower()
    for old, new in LOOKALIKE_STEPS:
        key = key.replace(old, new)
    return key


def lookalike_key_expression(field: str):
    """Return the database expression of ``lookalike_key`` over the column *field*."""
    expression = Lower(F(field))
    for old, new in LOOKALIKE_STEPS:
        expression = Replace(expression, Value(old), Value(new))
    return expression
