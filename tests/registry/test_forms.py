"""registry.forms: what the forms refuse before a service is asked."""

import pytest
from django.core.cache import cache

from registry.forms import ChannelForm
from registry.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_public_list(settings):
    """Read the public list's validators on every request and start with an empty cache."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def test_form_refuses_a_platform_that_does_not_match(world):
    form = ChannelForm(
        {
            "url": "https://www.facebook.com/norsjo.falsk",
            "platform": "instagram",
            "name": "Falsk",
            "unit": "kultur",
            "purpose": "Syfte.",
            "audience": "Alla.",
        },
        units=Unit.objects.all(),
    )
    assert not form.is_valid()
    assert form.has_error("platform", code="platform_mismatch")
