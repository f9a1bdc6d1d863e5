"""Check uploaded screenshot files (4:8) by their content, never by their name alone.

A file is accepted when its first bytes are those of a PNG, JPEG or PDF file, its name ends
in an extension of that same type, and it is no larger than ``settings.UPLOAD_MAX_BYTES``.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import DocumentationFile

TYPE_LABELS = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}


def detect_content_type(head: bytes) -> str | None:
    """Return the type that a file's first 16 bytes show (PNG, JPEG, GIF, WebP or PDF), or None.

    The one place that recognises uploaded files by content; screenshot documentation accepts
    PNG, JPEG and PDF, the moderation log also GIF and WebP.
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def sniff(uploaded) -> str | None:
    """Return the content type that *uploaded*'s first bytes show, if documentation accepts it."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    content_type = detect_content_type(head)
    return content_type if content_type in TYPE_LABELS else None


def check_upload(uploaded) -> str:
    """Return the checked content type of *uploaded*, or raise ``ValidationError`` saying why not."""
    name = os.path.basename(uploaded.name or "")
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); a file may be at most %(max)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    extension = os.path.splitext(name)[1].lower()
    allowed_extensions = {ext for exts in DocumentationFile.EXTENSIONS.values() for ext in exts}
    content_type = sniff(uploaded)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PNG, JPEG or PDF file. Save the screenshot as PNG, JPEG or PDF."),
            code="wrong_type",
            params={"name": name},
        )
    if extension not in allowed_extensions:
        raise ValidationError(
            _("“%(name)s” must be named .png, .jpg, .jpeg or .pdf."), code="wrong_extension", params={"name": name}
        )
    if extension not in DocumentationFile.EXTENSIONS[content_type]:
        raise ValidationError(
            _(
                "The content of “%(name)s” is %(actual)s, which does not match its name. "
                "Check that it is the right file."
            ),
            code="mismatch",
            params={"name": name, "actual": TYPE_LABELS[content_type]},
        )
    return content_type
