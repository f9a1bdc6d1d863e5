"""norsjo.paths.path_for_pk: the address reverse() gives, without reversing per row."""

import pytest
from django.urls import reverse, set_script_prefix

from norsjo.paths import path_for_pk

NAMES = ["registry:channel_detail", "mandates:detail", "moderation:record_detail", "registry:politician_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 987654321987, 2**40])
def test_the_address_is_reverse_s(name, pk):
    assert path_for_pk(name, pk) == reverse(name, kwargs={"pk": pk})


def test_a_script_prefix_is_kept():
    try:
        set_script_prefix("/kanalregistret/")
        assert path_for_pk("registry:channel_detail", 7) == reverse("registry:channel_detail", kwargs={"pk": 7})
        assert path_for_pk("registry:channel_detail", 7).startswith("/kanalregistret/")
    finally:
        set_script_prefix("/")
    assert path_for_pk("registry:channel_detail", 7) == "/kanaler/7/"


def test_an_address_without_one_pk_is_reversed_as_ever():
    with pytest.raises(Exception):  # noqa: B017 - reverse's own NoReverseMatch
        path_for_pk("registry:channel_detail", "not-a-number")


@pytest.mark.django_db
def test_models_link_to_their_pages(world):
    assert world.channel.get_absolute_url() == reverse("registry:channel_detail", args=[world.channel.pk])
    assert world.mandate.get_absolute_url() == reverse("mandates:detail", args=[world.mandate.pk])
