"""Setting the graphic profile (4:1): who may, what is checked, what the pages and the public list show."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branding.models import Branding
from branding.selectors import current_brand
from branding.services import branding_update
from registry.models import HistoryEntry

from ..matrix import Row, only, params, run_row
from .test_logos import PNG_BYTES, SAFE_SVG

pytestmark = pytest.mark.django_db


def _upload(data, name="logo.svg"):
    return SimpleUploadedFile(name, data)


def test_branding_update_sets_the_brand_with_history(world):
    branding_update(
        actor=world.users["web_team"],
        municipality_name="Skellefteå kommun",
        website="https://skelleftea.se",
        primary_color="#0B5CAD",
        primary_dark_color="#002b55",
        logo=_upload(SAFE_SVG),
    )
    brand = current_brand()
    assert (brand.name, brand.primary_color, brand.primary_dark_color) == ("Skellefteå kommun", "#0b5cad", "#002b55")
    assert brand.logo_type == "image/svg+xml" and brand.logo_url
    entry = HistoryEntry.objects.get(action="branding.updated")
    assert entry.changes["municipality_name"] == ["", "Skellefteå kommun"]
    assert "logo" in entry.changes


def test_branding_update_empty_fields_fall_back_to_defaults(world, settings):
    branding_update(actor=world.users["admin"], primary_color="#000000")
    brand = current_brand()
    assert brand.name == settings.MUNICIPALITY_NAME
    assert brand.primary_dark_color == settings.BRAND_PRIMARY_DARK_COLOR
    assert brand.primary_color == "#000000"


@pytest.mark.parametrize("role", ["employee", "writer", "manager", "archivist"])
def test_branding_update_only_web_team_and_administrators(world, role):
    with pytest.raises(PermissionDenied):
        branding_update(actor=world.users[role], municipality_name="X")
    assert not Branding.objects.exists()


def test_branding_update_refuses_low_contrast_and_unsafe_logo_per_field(world):
    with pytest.raises(ValidationError) as excinfo:
        branding_update(
            actor=world.users["web_team"],
            primary_color="#ffd700",
            primary_dark_color="#00a0e0",
            logo=_upload(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        )
    errors = excinfo.value.error_dict
    assert errors["primary_color"][0].code == "contrast"
    assert errors["primary_dark_color"][0].code == "contrast"
    assert errors["logo"][0].code == "svg_unsafe"
    assert not Branding.objects.exists()


def test_branding_update_removes_the_logo(world):
    branding_update(actor=world.users["web_team"], logo=_upload(PNG_BYTES, "logo.png"))
    assert current_brand().logo_type == "image/png"
    branding_update(actor=world.users["web_team"], remove_logo=True)
    assert current_brand().logo_url == ""


def test_logo_is_served_with_a_restrictive_policy(client, world):
    branding_update(actor=world.users["web_team"], logo=_upload(SAFE_SVG))
    response = client.get(current_brand().logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response.content == SAFE_SVG


def test_pages_use_the_brand(client, world):
    branding_update(
        actor=world.users["web_team"],
        municipality_name="Malå kommun",
        primary_color="#123456",
        logo=_upload(PNG_BYTES, "l.png"),
    )
    brand = current_brand()
    client.force_login(world.users["writer"])
    home = client.get(reverse("home")).content.decode()
    assert "Malå kommun" in home and brand.logo_url.replace("&", "&amp;") in home
    assert f"?v={brand.version}" in home
    theme = client.get(reverse("theme_css")).content.decode()
    assert "#123456" in theme
    client.logout()
    for name in ("public:list", "public:embed"):
        page = client.get(reverse(name)).content.decode()
        assert "Malå kommun" in page and brand.logo_url in page
    assert client.get(reverse("public:api_channels")).json()["municipality"] == "Malå kommun"


def test_public_list_etag_and_last_modified_change_with_the_brand(client, world, settings):
    settings.PUBLIC_LIST_STATE_SECONDS = 0
    first = client.get(reverse("public:list"))
    branding_update(actor=world.users["web_team"], primary_color="#000000")
    second = client.get(reverse("public:list"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"]


def test_branding_edit_form_shows_the_contrast_error_and_keeps_input(client, world):
    client.force_login(world.users["web_team"])
    response = client.post(reverse("branding:edit"), {"municipality_name": "Nya namnet", "primary_color": "#ffff00"})
    assert response.status_code == 400
    assert response.context["form"].errors["primary_color"]
    assert "Nya namnet" in response.content.decode()
    assert not Branding.objects.exists()


def test_branding_edit_form_saves(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("branding:edit"), {"municipality_name": "Nya namnet", "primary_color": "#00546e"})
    assert response.status_code == 302
    assert Branding.objects.get().municipality_name == "Nya namnet"


EDITORS = {"web_team": 200, "admin": 200}

MATRIX = [
    Row("branding:edit", only(EDITORS)),
    Row(
        "branding:edit",
        only({"web_team": 302, "admin": 302}),
        method="post",
        data=lambda w: {"municipality_name": "Norsjö kommun", "primary_color": "#00546e"},
    ),
    # No logo yet: 404 for everyone, signed in or not (the address needs no sign-in).
    Row("branding:logo", only({}, default=404, anonymous=404)),
]


@params(MATRIX)
def test_branding_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)
