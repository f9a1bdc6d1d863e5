"""The units' yearly review of their channels: still needed, purpose and writers right?"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import history, permissions
from ..models import Channel, ChannelReview
from .errors import ERRORS, field_error, refuse_future


@transaction.atomic
def channel_review_record(
    *,
    channel: Channel,
    actor,
    still_needed: bool,
    purpose_ok: bool,
    writers_ok: bool,
    note: str = "",
    reviewed_on: date | None = None,
) -> ChannelReview:
    """Record the unit's yearly review of *channel*: still needed, purpose and writers right."""
    if not permissions.can_review_channel(actor, channel):
        if channel.is_open and channel.status != Channel.Status.PROPOSED:
            raise PermissionDenied(ERRORS["not_allowed"])
        raise ValidationError(ERRORS["not_reviewable"], code="not_reviewable")
    reviewed_on = reviewed_on or timezone.localdate()
    refuse_future(reviewed_on, field="reviewed_on")
    note = (note or "").strip()
    if not (still_needed and purpose_ok and writers_ok) and not note:
        raise field_error("note", "note_required")
    review = ChannelReview.objects.create(
        channel=channel,
        reviewed_on=reviewed_on,
        still_needed=still_needed,
        purpose_ok=purpose_ok,
        writers_ok=writers_ok,
        note=note,
        reviewed_by=actor,
    )
    yes, no = str(_("yes")), str(_("no"))
    history.record(
        channel,
        action="channel.reviewed",
        actor=actor,
        changes={
            "still_needed": ["", yes if still_needed else no],
            "purpose_ok": ["", yes if purpose_ok else no],
            "writers_ok": ["", yes if writers_ok else no],
        },
        reason=note,
    )
    return review
