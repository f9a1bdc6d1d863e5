"""norsjo.paths.path_for_pk and path_for ({% path %}): the address reverse() gives, without reversing per row."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from norsjo.paths import path_for, path_for_pk

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


@pytest.mark.parametrize(
    "name, args",
    [
        ("registry:channel_list", ()),
        ("mandates:grant", ()),
        ("registry:channel_edit", (42,)),
        ("registry:channel_change_reject", (7,)),
        ("moderation:record_create", (987654321987,)),  # its argument is channel_pk
        ("registry:documentation_create", (2**40,)),
    ],
)
def test_path_for_is_the_url_tags_address(name, args):
    assert path_for(name, *args) == reverse(name, args=args)
    url_tag = engines["django"].from_string("{% url name arg %}" if args else "{% url name %}")
    path_tag = engines["django"].from_string(
        "{% load paths %}{% path name arg %}" if args else "{% load paths %}{% path name %}"
    )
    context = {"name": name, "arg": args[0] if args else None}
    assert path_tag.render(context) == url_tag.render(context)


def test_path_for_keeps_a_script_prefix_and_reverses_other_arguments_as_ever():
    try:
        set_script_prefix("/kanalregistret/")
        assert path_for("registry:channel_list") == "/kanalregistret/kanaler/"
        assert path_for("registry:channel_edit", 7) == "/kanalregistret/kanaler/7/andra/"
    finally:
        set_script_prefix("/")
    assert path_for("registry:channel_edit", 7) == "/kanaler/7/andra/"
    assert path_for("registry:channel_edit", "7") == "/kanaler/7/andra/"
    with pytest.raises(Exception):  # noqa: B017 - reverse's own NoReverseMatch
        path_for("registry:channel_edit", "not-a-number")
