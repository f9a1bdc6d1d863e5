"""Registering inquiries (section 5): numbers, the registrar's e-mail, checks, screenshots, addenda, append-only."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from inquiries.models import Inquiry, InquiryAddendum, Source
from inquiries.services import inquiry_addendum_add, inquiry_register
from registry.models import Channel

from .conftest import PNG, png_upload

pytestmark = pytest.mark.django_db


def _code(excinfo, field):
    return excinfo.value.error_dict[field][0].code


def test_inquiry_register_numbers_per_year_from_one(register):
    """The first inquiry of the year is INK <year>/0001, the next 0002."""
    first, second = register(), register()
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"INK {year}/0001", f"INK {year}/0002")


def test_inquiry_register_restarts_numbers_in_a_new_stockholm_year(register):
    """The year is the municipality's: 23:30 UTC on 31 December is already the new year in Stockholm."""
    with time_machine.travel(datetime(2026, 12, 31, 12, 0, tzinfo=UTC), tick=False):
        assert register().number == "INK 2026/0001"
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert register().number == "INK 2027/0001"
        assert register().number == "INK 2027/0002"


def test_inquiry_register_leaves_no_gap_when_a_registration_is_rolled_back(register):
    """A registration that fails after taking its number gives the number back with the rollback."""
    with pytest.raises(RuntimeError), transaction.atomic():
        register()
        raise RuntimeError("the transaction fails")
    assert register().serial == 1


def test_inquiry_register_emails_the_municipal_registrar_by_default(
    register, settings, django_capture_on_commit_callbacks
):
    """Without an address on the unit the e-mail goes to REGISTRAR_EMAIL, after the commit, with the number."""
    settings.REGISTRAR_EMAIL = "registrator@norsjo.example"
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = register()
    assert inquiry.sent_to == "registrator@norsjo.example"
    (message,) = mail.outbox
    assert message.to == ["registrator@norsjo.example"]
    assert inquiry.number in message.subject
    assert "När öppnar simhallen igen?" in message.body
    assert inquiry.get_absolute_url() in message.body


def test_inquiry_register_emails_the_units_registrar(register, world, django_capture_on_commit_callbacks):
    """A unit with a registrar's address of its own gets the e-mail there, with the screenshot attached."""
    world.unit.registrar_email = "registrator.kultur@norsjo.example"
    world.unit.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(screenshot=png_upload())
    (message,) = mail.outbox
    assert message.to == ["registrator.kultur@norsjo.example"]
    assert message.attachments[0][1] == PNG


def test_inquiry_register_sends_nothing_before_the_commit(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register()
    assert not mail.outbox
    assert len(callbacks) == 1


def test_inquiry_register_keeps_snapshots_and_verbatim_text(register, world):
    """The question is stored exactly as given; unit and platform names are kept as they were."""
    inquiry = register(question="  Två  mellanslag\noch radbrytning  ")
    world.unit.name = "Nytt namn"
    world.unit.save()
    inquiry.refresh_from_db()
    assert inquiry.question == "  Två  mellanslag\noch radbrytning  "
    assert inquiry.unit_name == "Kultur- och fritidsförvaltningen"
    assert inquiry.platform_name == "Facebook"
    assert inquiry.registered_by_name == world.users["employee"].get_full_name()


def test_inquiry_register_on_a_channel_takes_its_platform(register, world):
    """The same form serves a question on an official channel that turned into a matter."""
    inquiry = register(source=Source.CHANNEL, channel=world.channel, platform=None, place="")
    assert inquiry.channel == world.channel
    assert inquiry.platform == world.channel.platform
    assert inquiry.where == f"Norsjö bibliotek ({world.channel.platform.name})"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"question": "   "}, "question", "question_required"),
        ({"asked_by": ""}, "asked_by", "asked_by_required"),
        ({"platform": None}, "platform", "platform_required"),
        ({"source": Source.CHANNEL, "channel": None}, "channel", "channel_required"),
        ({"question": "a\x00b"}, "question", "nul_character"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at", "in_future"),
        ({"source": "elsewhere"}, "source", "invalid_choice"),
    ],
)
def test_inquiry_register_refuses_incomplete_input(register, overrides, field, code):
    with pytest.raises(ValidationError) as excinfo:
        register(**overrides)
    assert _code(excinfo, field) == code
    assert not Inquiry.objects.exists()


def test_inquiry_register_refuses_a_closed_channel(register, world):
    Channel.objects.filter(pk=world.channel.pk).update(
        status=Channel.Status.CLOSED, is_published=False, closed_on=timezone.localdate()
    )
    world.channel.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        register(source=Source.CHANNEL, channel=world.channel)
    assert _code(excinfo, "channel") == "channel_closed"


def test_inquiry_register_refuses_an_inactive_unit(register, world):
    world.unit.is_active = False
    world.unit.save()
    with pytest.raises(ValidationError) as excinfo:
        register()
    assert _code(excinfo, "unit") == "unit_inactive"


def test_inquiry_register_refuses_the_signed_out(register):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        register(actor=AnonymousUser())


def test_inquiry_register_stores_a_checked_screenshot(register):
    """The screenshot is checked by its first bytes and stored under a neutral name with its checksum."""
    inquiry = register(screenshot=png_upload("Mitt namn.png"))
    assert inquiry.screenshot_type == "image/png"
    assert inquiry.screenshot_name == "Mitt namn.png"
    assert inquiry.screenshot.name.startswith(f"inquiries/{inquiry.screenshot_sha256[:2]}/")
    assert "Mitt" not in inquiry.screenshot.name
    with inquiry.screenshot.open("rb") as stored:
        assert stored.read() == PNG


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (png_upload("lurad.png", b"just text, not an image"), "screenshot_type"),
        (png_upload("tom.png", b""), "screenshot_empty"),
    ],
)
def test_inquiry_register_refuses_a_bad_screenshot(register, upload, code):
    with pytest.raises(ValidationError) as excinfo:
        register(screenshot=upload)
    assert _code(excinfo, "screenshot") == code


def test_inquiry_register_refuses_a_large_screenshot(register, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as excinfo:
        register(screenshot=png_upload())
    assert _code(excinfo, "screenshot") == "screenshot_too_large"


def test_inquiry_is_append_only_in_the_orm(register):
    """Saving again, updating and deleting all raise: corrections are addenda."""
    inquiry = register()
    with pytest.raises(TypeError):
        inquiry.save()
    with pytest.raises(TypeError):
        inquiry.delete()
    with pytest.raises(TypeError):
        Inquiry.objects.update(asked_by="x")
    with pytest.raises(TypeError):
        Inquiry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE inquiries_inquiry SET unit_name = 'x'",
        "DELETE FROM inquiries_inquiry",
        "UPDATE inquiries_inquirycontent SET asked_by = 'x'",
    ],
)
def test_inquiry_is_append_only_in_the_database(register, statement):
    """The database triggers refuse changes that bypass the ORM."""
    register()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_inquiry_numbers_are_unique_in_the_database(register):
    inquiry = register()
    duplicate = Inquiry(**{f.attname: getattr(inquiry, f.attname) for f in Inquiry._meta.concrete_fields})
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_inquiry_addendum_add_by_the_employee_and_the_registrar(register, world):
    inquiry = register()
    inquiry_addendum_add(actor=world.users["employee"], inquiry=inquiry, text="Frågan gällde Norsjö simhall.")
    inquiry_addendum_add(actor=world.users["registrar"], inquiry=inquiry, text="Diarienummer KFN 2026/12.")
    assert [a.added_by_name for a in inquiry.addenda.all()] == [
        world.users["employee"].get_full_name(),
        world.users["registrar"].get_full_name(),
    ]
    with pytest.raises(TypeError):
        InquiryAddendum.objects.update(text="x")


@pytest.mark.parametrize("role", ["writer", "manager", "web_team", "archivist", "admin"])
def test_inquiry_addendum_add_refuses_others(register, world, role):
    with pytest.raises(PermissionDenied):
        inquiry_addendum_add(actor=world.users[role], inquiry=register(), text="Inte min.")


def test_inquiry_addendum_add_refuses_an_empty_text(register, world):
    with pytest.raises(ValidationError) as excinfo:
        inquiry_addendum_add(actor=world.users["employee"], inquiry=register(), text="  ")
    assert _code(excinfo, "text") == "addendum_empty"


@pytest.mark.django_db(transaction=True)
def test_inquiry_register_concurrent_numbers_have_no_gap_or_duplicate(world, _empty_inquiries_after):
    """Eight registrations at once on PostgreSQL get 1..8: the year's row is locked while numbering."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers anyway")
    from django.db import connections

    from registry.models import Platform

    platform = Platform.objects.get(slug="facebook")
    barrier = threading.Barrier(8)
    numbers, errors = [], []

    def work():
        try:
            barrier.wait()
            inquiry = inquiry_register(
                actor=world.users["employee"],
                question="Samtidigt",
                asked_by="Någon",
                source=Source.PRIVATE,
                platform=platform,
                unit=world.unit,
                received_at=timezone.now(),
            )
            numbers.append(inquiry.serial)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 9))
