"""registry.services.reviews: the units' yearly review of their channels."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.services.reviews import channel_review_record

pytestmark = pytest.mark.django_db


def test_channel_review_record_by_the_units_manager(world):
    review = channel_review_record(
        channel=world.channel, actor=world.users["manager"], still_needed=True, purpose_ok=True, writers_ok=True
    )
    assert review.all_ok and review.reviewed_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        channel_review_record(
            channel=world.channel,
            actor=world.users["other_manager"],
            still_needed=True,
            purpose_ok=True,
            writers_ok=True,
        )
    with pytest.raises(ValidationError) as excinfo:
        channel_review_record(
            channel=world.channel, actor=world.users["manager"], still_needed=True, purpose_ok=False, writers_ok=True
        )
    assert excinfo.value.code == "note_required"
    with pytest.raises(ValidationError) as excinfo:
        channel_review_record(
            channel=world.proposed, actor=world.users["manager"], still_needed=True, purpose_ok=True, writers_ok=True
        )
    assert excinfo.value.code == "not_reviewable"
