"""Inquiry screens: the permission matrix, the form's errors, the registrar's list, the receipt, the start page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, Source
from registry.models import Platform

from ..matrix import Row, expect, only, params, run_row
from .conftest import png_upload

pytestmark = pytest.mark.django_db


def _inquiry(world):
    """The employee's inquiry with a screenshot (created once per test)."""
    if not hasattr(world, "_inquiry"):
        from inquiries.services import inquiry_register

        world._inquiry = inquiry_register(
            actor=world.users["employee"],
            question="Hej! När öppnar simhallen igen?",
            asked_by="Mats Eriksson",
            source=Source.PRIVATE,
            platform=Platform.objects.get(slug="facebook"),
            unit=world.unit,
            received_at=timezone.now() - timedelta(hours=1),
            screenshot=png_upload(),
        )
    return world._inquiry


def _pk(world):
    return {"pk": _inquiry(world).pk}


def _post(world):
    return {
        "question": "Vet du när simhallen öppnar?",
        "asked_by": "Mats Eriksson",
        "source": "private",
        "platform": Platform.objects.get(slug="facebook").pk,
        "place": "Min privata sida",
        "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "unit": world.unit.pk,
    }


OWNER_AND_REGISTRAR = {"employee": 200, "registrar": 200}

MATRIX = [
    Row("inquiries:inquiry_list", only({"registrar": 200})),
    Row("inquiries:inquiry_create", expect(200)),
    Row("inquiries:inquiry_create", expect(302), method="post", data=_post),
    Row("inquiries:inquiry_mine", expect(200)),
    Row("inquiries:inquiry_detail", only(OWNER_AND_REGISTRAR, default=404), kwargs=_pk),
    Row("inquiries:screenshot", only(OWNER_AND_REGISTRAR, default=404), kwargs=_pk),
    Row("inquiries:addendum_create", only(OWNER_AND_REGISTRAR, default=404), kwargs=_pk),
    Row(
        "inquiries:addendum_create",
        only({"employee": 302, "registrar": 302}, default=404),
        method="post",
        kwargs=_pk,
        data=lambda world: {"text": "Rättelse: frågan kom i går."},
    ),
]


@params(MATRIX)
def test_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)


def test_inquiry_create_registers_and_shows_the_receipt(client, world, django_capture_on_commit_callbacks):
    """The employee's receipt gives the number and reminds them that the answer goes through the ordinary channels."""
    client.force_login(world.users["employee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inquiries:inquiry_create"), _post(world), follow=True)
    inquiry = Inquiry.objects.get()
    assert response.redirect_chain[-1][0] == inquiry.get_absolute_url()
    body = response.content.decode()
    assert inquiry.number in body
    assert 'id="ordinary-channels"' in body
    assert len(mail.outbox) == 1


def test_inquiry_create_form_reminds_of_the_ordinary_channels(client, world):
    client.force_login(world.users["employee"])
    response = client.get(reverse("inquiries:inquiry_create"))
    assert 'id="ordinary-channels"' in response.content.decode()


def test_inquiry_create_bad_input_keeps_what_was_typed(client, world):
    """Bad input gets a 400 with a Swedish message on the field, and everything typed is still there."""
    client.force_login(world.users["employee"])
    data = _post(world) | {"platform": "", "question": "Min fråga om bygglovet"}
    response = client.post(reverse("inquiries:inquiry_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["platform"][0] == "Välj var du fick frågan."
    body = response.content.decode()
    assert "Min fråga om bygglovet" in body
    assert "Mats Eriksson" in body
    assert not Inquiry.objects.exists()


def test_inquiry_create_refuses_a_screenshot_that_is_not_one(client, world):
    client.force_login(world.users["employee"])
    data = _post(world) | {"screenshot": png_upload("bild.png", b"MZ not an image at all")}
    response = client.post(reverse("inquiries:inquiry_create"), data)
    assert response.status_code == 400
    assert response.context["form"].has_error("screenshot", "screenshot_type")


@pytest.mark.parametrize(
    "data",
    [
        {"question": ""},
        {"source": "x", "unit": "abc", "received_at": "igår"},
        {"question": "a\x00b", "asked_by": "\x00"},
    ],
)
def test_inquiry_create_never_fails_on_garbage(client, world, data):
    client.force_login(world.users["employee"])
    assert client.post(reverse("inquiries:inquiry_create"), data).status_code == 400


def test_inquiry_list_searches_by_number_and_word(client, world):
    inquiry = _inquiry(world)
    client.force_login(world.users["registrar"])
    url = reverse("inquiries:inquiry_list")
    assert inquiry.number in client.get(url, {"q": inquiry.number}).content.decode()
    assert inquiry.number in client.get(url, {"q": "simhallen"}).content.decode()
    response = client.get(url, {"q": "bokbussen"})
    assert not response.context["page"].object_list
    assert "Inga inkomna frågor matchar sökningen." in response.content.decode()


def test_inquiry_list_empty_state(client, world):
    client.force_login(world.users["registrar"])
    assert "Inga inkomna frågor har registrerats än." in client.get(reverse("inquiries:inquiry_list")).content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_inquiry_list_query_count_does_not_grow(client, world, register, django_assert_max_num_queries, count):
    for _ in range(count):
        register()
    client.force_login(world.users["registrar"])
    with django_assert_max_num_queries(9):  # the same at both sizes
        response = client.get(reverse("inquiries:inquiry_list"))
    assert len(response.context["page"].object_list) == min(count, 50)


def test_inquiry_mine_lists_only_ones_own(client, world, register):
    mine = register()
    other = register(actor=world.users["writer"])
    client.force_login(world.users["employee"])
    body = client.get(reverse("inquiries:inquiry_mine")).content.decode()
    assert mine.number in body
    assert other.number not in body


def test_home_shows_the_registrar_section_and_menu_link(client, world):
    inquiry = _inquiry(world)
    client.force_login(world.users["registrar"])
    body = client.get(reverse("home")).content.decode()
    assert inquiry.number in body
    assert f'href="{reverse("inquiries:inquiry_list")}"' in body


def test_home_offers_every_employee_the_form_but_not_the_list(client, world):
    client.force_login(world.users["employee"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("inquiries:inquiry_create") in body
    assert f'href="{reverse("inquiries:inquiry_list")}"' not in body


def test_screenshot_is_served_with_a_sandbox(client, world):
    client.force_login(world.users["registrar"])
    response = client.get(reverse("inquiries:screenshot", kwargs=_pk(world)))
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
