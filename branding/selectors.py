"""The graphic profile in effect: the municipality's choices, or the deployment's defaults where none is made.

Every page's header reads it (``registry.context_processors.site``), so it is kept in memory
per process and read again at most every ``BRANDING_CACHE_SECONDS`` (a change made in another
worker shows within that time; the worker that saves it clears its copy at once). The public
list's ETag reads ``Branding.updated_at`` in its own aggregate query
(``registry.selectors.public_list_state``), so a cached list changes with the profile.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse

from .models import Branding


@dataclass(frozen=True)
class Brand:
    name: str
    website: str
    primary_color: str
    primary_dark_color: str
    logo_type: str = ""
    logo_sha256: str = ""
    version: str = "default"

    @property
    def logo_url(self) -> str:
        """The logo's address, changing with the logo (so it may be cached for long); empty without a logo."""
        if not self.logo_type:
            return ""
        return f"{reverse('branding:logo')}?v={self.logo_sha256[:16]}"

    @property
    def fingerprint(self) -> str:
        """A digest of everything a page shows of the brand: part of the public list's ETag."""
        parts = (self.name, self.website, self.primary_color, self.primary_dark_color, self.logo_sha256)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def default_brand() -> Brand:
    """Return the deployment's defaults (the settings): what an empty profile shows."""
    return Brand(
        name=settings.MUNICIPALITY_NAME,
        website=settings.MUNICIPALITY_WEBSITE,
        primary_color=settings.BRAND_PRIMARY_COLOR,
        primary_dark_color=settings.BRAND_PRIMARY_DARK_COLOR,
    )


def brand_from(branding: Branding | None) -> Brand:
    """Return the brand in effect for the stored *branding* (None: no profile saved yet)."""
    default = default_brand()
    if branding is None:
        return default
    primary = branding.primary_color or default.primary_color
    dark = branding.primary_dark_color or default.primary_dark_color
    version = hashlib.sha256(f"{primary}|{dark}".encode()).hexdigest()[:12]
    return Brand(
        name=branding.municipality_name or default.name,
        website=branding.website or default.website,
        primary_color=primary,
        primary_dark_color=dark,
        logo_type=branding.logo_type,
        logo_sha256=branding.logo_sha256,
        version=version,
    )


def branding_row() -> Branding | None:
    return Branding.objects.defer("logo").filter(pk=1).first()


_memo: tuple[float, Brand | None] | None = None


def current_brand() -> Brand:
    """Return the brand in effect, from this process's copy when it is fresh enough."""
    global _memo
    now = time.monotonic()
    memo = _memo
    if memo is not None and now < memo[0]:
        return memo[1] or default_brand()
    try:
        brand = brand_from(branding_row())
    except DatabaseError:
        # The maintenance and error pages render without a database: the defaults then.
        return default_brand()
    _memo = (now + settings.BRANDING_CACHE_SECONDS, brand)
    return brand


def forget_brand() -> None:
    """Drop this process's copy: the next page reads the profile again (after a change)."""
    global _memo
    _memo = None


def use_defaults_until_forgotten() -> None:
    """Show the defaults without reading the database until ``forget_brand`` (tests of other features)."""
    global _memo
    _memo = (math.inf, None)
