"""Every write of inquiries (section 5): registration with its number and e-mail, and addenda.

The number (``INK <year>/<serial>``) comes from the year's ``InquirySequence`` row, locked
(``select_for_update``) in the same transaction as the insert: two employees registering at
the same moment get consecutive numbers, and a registration that fails leaves no gap, since
the counter rolls back with it. The e-mail to the registrar is sent once the transaction
has committed.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from norsjo.files import sha256_file
from registry.models import Channel, Platform, Unit
from registry.uploads import detect_content_type

from . import permissions
from .models import (
    SCREENSHOT_TYPES,
    Inquiry,
    InquiryAddendum,
    InquiryAddendumContent,
    InquiryContent,
    InquirySequence,
    Source,
)

log = logging.getLogger(__name__)

ERRORS = {
    "not_allowed": _("You may not register inquiries."),
    "not_allowed_addendum": _("You may not add to this inquiry."),
    "question_required": _("Write what was asked, exactly as it was written."),
    "asked_by_required": _("Write who asked, as the person gave it (a name or an account)."),
    "channel_required": _("Choose the channel the question came on."),
    "platform_required": _("Choose where you received the question."),
    "unit_inactive": _("Choose a unit that is in use."),
    "channel_closed": _("Choose a channel that is in use."),
    "in_future": _("The time the question was asked cannot be in the future."),
    "nul_character": _("The text contains a NUL character (U+0000), which cannot be stored. Remove it."),
    "screenshot_type": _("“%(name)s” is not a PNG, JPEG, GIF or WebP image or a PDF document."),
    "screenshot_too_large": _("“%(name)s” is larger than %(limit)s MB."),
    "screenshot_empty": _("“%(name)s” is empty."),
    "addendum_empty": _("Write the correction or note."),
}

FUTURE_TOLERANCE = timedelta(minutes=5)


def _field_error(field: str, code: str, **params) -> ValidationError:
    return ValidationError({field: ValidationError(ERRORS[code], code=code, params=params or None)})


def _check_texts(**fields: str) -> None:
    for name, value in fields.items():
        if value and "\x00" in value:
            raise _field_error(name, "nul_character")


def registrar_address(unit: Unit) -> str:
    """Return where an inquiry concerning *unit* is sent: the unit's registrar, else the municipality's."""
    return unit.registrar_email or settings.REGISTRAR_EMAIL


def _check_screenshot(upload) -> tuple[str, str]:
    """Return the checked content type and checksum of *upload*: by its first bytes, the one sniffer."""
    name = (getattr(upload, "name", "") or "skarmdump")[-255:]
    if upload.size == 0:
        raise _field_error("screenshot", "screenshot_empty", name=name)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise _field_error(
            "screenshot", "screenshot_too_large", name=name, limit=settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        )
    upload.seek(0)
    content_type = detect_content_type(upload.read(16))
    upload.seek(0)
    if content_type not in SCREENSHOT_TYPES:
        raise _field_error("screenshot", "screenshot_type", name=name)
    return content_type, sha256_file(upload)


def _next_serial(year: int) -> int:
    """Take the next number of *year*, holding the year's row locked until the transaction ends."""
    InquirySequence.objects.bulk_create([InquirySequence(year=year)], ignore_conflicts=True)
    sequence = InquirySequence.objects.select_for_update().get(year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return sequence.last_serial


def _full_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def inquiry_register(
    *,
    actor,
    question: str,
    asked_by: str,
    source: str,
    unit: Unit,
    received_at: datetime,
    channel: Channel | None = None,
    platform: Platform | None = None,
    place: str = "",
    screenshot=None,
    notify: bool = True,
) -> Inquiry:
    """Register an inquiry *actor* received as an incoming public record, and e-mail it to the registrar.

    Section 5: a question on a private account that is obviously meant for the municipality
    is handled as if it had come through the ordinary channels; the same holds for a question
    on an official channel that turned into a matter. *notify* False (the demo data only)
    sends no e-mail.
    """
    if not permissions.can_register_inquiry(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    _check_texts(question=question, asked_by=asked_by, place=place)
    if not question.strip():
        raise _field_error("question", "question_required")
    if not asked_by.strip():
        raise _field_error("asked_by", "asked_by_required")
    if not unit.is_active:
        raise _field_error("unit", "unit_inactive")
    if received_at > timezone.now() + FUTURE_TOLERANCE:
        raise _field_error("received_at", "in_future")
    if source == Source.CHANNEL:
        if channel is None:
            raise _field_error("channel", "channel_required")
        if channel.status not in (Channel.Status.ACTIVE, Channel.Status.PAUSED):
            raise _field_error("channel", "channel_closed")
        platform = channel.platform
    elif source == Source.PRIVATE:
        if platform is None:
            raise _field_error("platform", "platform_required")
        channel = None
    else:
        raise ValidationError({"source": ValidationError(_("Choose where the question came."), code="invalid_choice")})
    screenshot_type = screenshot_sha256 = ""
    if screenshot:
        screenshot_type, screenshot_sha256 = _check_screenshot(screenshot)
    now = timezone.now()
    year = timezone.localdate(now).year
    inquiry = Inquiry(
        year=year,
        serial=_next_serial(year),
        source=source,
        channel=channel,
        platform=platform,
        received_at=received_at,
        unit=unit,
        unit_name=unit.name,
        channel_name=channel.name if channel else "",
        platform_name=platform.name,
        registered_by=actor,
        registered_by_name=_full_name(actor),
        registered_at=now,
        sent_to=registrar_address(unit),
    )
    # The disposable part (4:7) in its own row: disposal deletes it and leaves the inquiry.
    content = InquiryContent(
        inquiry=inquiry,
        question=question,
        asked_by=asked_by.strip(),
        place=place.strip(),
        screenshot_name=(getattr(screenshot, "name", "") or "")[-255:] if screenshot else "",
        screenshot_type=screenshot_type,
        screenshot_size=screenshot.size if screenshot else None,
        screenshot_sha256=screenshot_sha256,
    )
    stored = None
    try:
        if screenshot:
            content.screenshot.save(content.screenshot_name or "skarmdump", screenshot, save=False)
            stored = content.screenshot.name
        inquiry.save(force_insert=True)
        content.inquiry = inquiry
        content.save(force_insert=True)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    inquiry.content = content
    if notify:
        transaction.on_commit(lambda: inquiry_notify(inquiry=inquiry))
    return inquiry


def inquiry_notify(*, inquiry: Inquiry) -> None:
    """E-mail *inquiry*, with its screenshot, to the registrar's address it records (``sent_to``)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"inquiry": inquiry, "url": settings.SITE_URL.rstrip("/") + inquiry.get_absolute_url()}
        subject = render_to_string("inquiries/email/registrar_subject.txt", context).strip()
        body = render_to_string("inquiries/email/registrar_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[inquiry.sent_to], reply_to=_reply_to(inquiry))
    if inquiry.screenshot:
        with inquiry.screenshot.open("rb") as screenshot:
            message.attach(inquiry.screenshot_name or "skarmdump", screenshot.read(), inquiry.screenshot_type)
    try:
        message.send()
    except Exception:  # the record is kept; the registrar also sees it in the list
        log.exception("Inquiry %s: the e-mail to the registrar (%s) could not be sent", inquiry.number, inquiry.sent_to)


def _reply_to(inquiry: Inquiry) -> list[str]:
    email = inquiry.registered_by.email
    return [email] if email else []


@transaction.atomic
def inquiry_addendum_add(*, actor, inquiry: Inquiry, text: str) -> InquiryAddendum:
    """Add a correction or a note to *inquiry*; the inquiry itself is never changed."""
    if not permissions.can_add_addendum(actor, inquiry):
        raise PermissionDenied(ERRORS["not_allowed_addendum"])
    _check_texts(text=text)
    if not text.strip():
        raise _field_error("text", "addendum_empty")
    addendum = InquiryAddendum(
        inquiry=inquiry, added_by=actor, added_by_name=_full_name(actor), added_at=timezone.now()
    )
    addendum.save(force_insert=True)
    addendum.content = InquiryAddendumContent.objects.create(addendum=addendum, text=text)
    return addendum
