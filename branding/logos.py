"""Checking an uploaded logo: PNG, or SVG that can neither run a script nor fetch anything.

SVG is accepted because most municipalities' logos exist as SVG, and an SVG is sharp at
every size. An SVG is a document that can carry scripts, event handlers, links and
references to other files, so it is *refused* (never rewritten: the file is kept exactly as
the municipality made it) unless it holds only drawing: no DOCTYPE or entities (which also
rules out entity-expansion attacks on the parser), no ``xml-stylesheet``, no ``script``, ``foreignObject``,
``iframe``, ``embed``, ``object``, ``audio``, ``video``, ``image`` or animation of links, no
``on*`` attribute, no reference outside the file (``href`` other than ``#id``; ``url(...)``
other than ``url(#id)``; ``@import``), no ``javascript:`` anywhere. It is then served with
``image/svg+xml``, ``X-Content-Type-Options: nosniff`` and a Content Security Policy of
``default-src 'none'; style-src 'unsafe-inline'; sandbox``, and embedded with ``<img>``, where
browsers run no script at all: three independent defences.
"""

import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LOGO_BYTES = 512 * 1024
PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"

FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "image", "animate", "set", "handler"}
)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.IGNORECASE)
_ANY_URL = re.compile(r"url\s*\(", re.IGNORECASE)

ERRORS = {
    "logo_too_large": _("The logo is larger than 512 kB."),
    "logo_type": _("The logo must be a PNG image or an SVG file."),
    "svg_unsafe": _(
        "The SVG file holds scripts, links or references to other files, which are not allowed in a logo. "
        "Save it again as plain SVG (for example “Plain SVG” in Inkscape) or upload a PNG image."
    ),
    "svg_invalid": _("The SVG file could not be read. Save it again as plain SVG or upload a PNG image."),
}


def _local_name(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def svg_is_safe(data: bytes) -> bool:
    """Return whether the SVG *data* holds only drawing (see the module's docstring); raise if it is not SVG."""
    lowered = data.lower()
    if any(marker in lowered for marker in (b"<!doctype", b"<!entity", b"<?xml-stylesheet", b"javascript:")):
        return False
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except ET.ParseError as error:
        raise ValidationError(ERRORS["svg_invalid"], code="svg_invalid") from error
    if _local_name(root.tag) != "svg":
        raise ValidationError(ERRORS["svg_invalid"], code="svg_invalid")
    for element in root.iter():
        name = _local_name(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            return False
        if name == "style" and not _only_local_urls(element.text or ""):
            return False
        for attribute, value in element.attrib.items():
            attribute_name = _local_name(attribute)
            if attribute_name.startswith("on"):
                return False
            if attribute_name == "href" and not value.strip().startswith("#"):
                return False
            if not _only_local_urls(value):
                return False
    return True


def _only_local_urls(text: str) -> bool:
    if "@import" in text.lower():
        return False
    return len(_ANY_URL.findall(text)) == len(_LOCAL_URL.findall(text))


def check_logo(data: bytes) -> str:
    """Return the content type of an acceptable logo (PNG or safe SVG); raise a ValidationError otherwise."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(ERRORS["logo_too_large"], code="logo_too_large")
    if data.startswith(PNG_SIGNATURE):
        return PNG
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")):
        if not svg_is_safe(data):
            raise ValidationError(ERRORS["svg_unsafe"], code="svg_unsafe")
        return SVG
    raise ValidationError(ERRORS["logo_type"], code="logo_type")
