"""An employee registers an inquiry received on a private account; the registrar gets the e-mail and finds it."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from inquiries.models import Inquiry

from ..inquiries.conftest import PNG
from .conftest import sign_in, sign_out
from .test_moderation_flow import _assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _empty_inquiries(transactional_db):
    from ..inquiries.conftest import empty_inquiries

    yield
    empty_inquiries()


def test_browser_employee_registers_and_registrar_receives(page, world, _empty_inquiries, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRAR_EMAIL = "registrator@norsjo.example"
    mail.outbox = []
    sign_in(page, "anstalld")
    page.get_by_role("link", name="Registrera en inkommen fråga").click()
    expect(page.get_by_role("heading", name="Registrera en inkommen fråga")).to_be_visible()
    expect(page.get_by_text("Svara via kommunens ordinarie kontaktvägar.")).to_be_visible()
    _assert_accessible(page)
    page.get_by_label("Vad som frågades").fill("Hej! Vet du när simhallen öppnar igen efter renoveringen?")
    page.get_by_label("Frågeställare").fill("Mats Eriksson")
    page.get_by_role("radio", name="via ett privat konto").check()
    page.get_by_label("Plattform").select_option(label="Facebook")
    page.get_by_label("Konto eller adress").fill("Min privata Facebooksida")
    page.get_by_label("Verksamhet som frågan gäller").select_option(label="Kultur- och fritidsförvaltningen")
    page.get_by_label("Skärmdump").set_input_files({"name": "fragan.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="Registrera frågan").click()

    inquiry = Inquiry.objects.get()
    expect(page.get_by_role("heading", name=f"Inkommen fråga {inquiry.number}")).to_be_visible()
    expect(page.get_by_text("Svara via kommunens ordinarie kontaktvägar.")).to_be_visible()
    _assert_accessible(page)
    (message,) = mail.outbox
    assert message.to == ["registrator@norsjo.example"]
    assert inquiry.number in message.subject
    assert "simhallen" in message.body
    assert message.attachments[0][1] == PNG

    sign_out(page)
    sign_in(page, "registrator")
    page.get_by_role("link", name="Inkomna frågor", exact=True).first.click()
    expect(page.get_by_role("link", name=inquiry.number)).to_be_visible()
    _assert_accessible(page)
    page.get_by_role("searchbox", name="Sök").fill("simhallen")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name=inquiry.number).click()
    expect(page.get_by_text("Hej! Vet du när simhallen öppnar igen efter renoveringen?")).to_be_visible()
