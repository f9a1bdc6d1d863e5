"""Demo data: the registrar's sign-in of PRODUCT.md and demo inquiries, loaded once."""

import pytest
from django.contrib.auth.models import User

from inquiries import demo
from inquiries.models import Inquiry
from registry import demo as registry_demo
from registry.permissions import is_registrar

pytestmark = pytest.mark.django_db


def test_demo_registrar_and_inquiries(catalogue, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = registry_demo.load()
    assert demo.load(users) == 3
    assert demo.load(users) == 0
    registrar = User.objects.get(username="registrator")
    assert registrar.check_password("norsjo-demo")
    assert is_registrar(registrar)
    assert Inquiry.objects.filter(source="channel").count() == 1
    assert Inquiry.objects.get(unit__slug="samhallsbyggnad").sent_to == settings.REGISTRAR_EMAIL
