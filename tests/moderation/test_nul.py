"""U+0000 in a text kept verbatim: the application's own error, the input kept, nothing stored altered.

HTML cannot carry U+0000: a browser turns it into U+FFFD when it parses the re-shown form.
``resubmit`` below does what a browser does, so these tests see what a person would send back.
"""

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.forms.log import RemovalForm
from moderation.models import DisclosureItem, RemovedComment
from moderation.services import disclosure as disclosure_services

pytestmark = pytest.mark.django_db

NUL_MARKER = "\u2400"  # ␀ SYMBOL FOR NULL, as the form shows each U+0000
PASTED = "Före\x00mitten\x00\x00efter 😀"
SHOWN = "Före␀mitten␀␀efter 😀"


def _removal_post(**fields):
    return {
        "text": "Du är dum i huvudet.",
        "author_name": "Arg Person",
        "removed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "action": "deleted",
        "category": "a",
    } | fields


def _codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def shown_value(response, name: str) -> str:
    """Return the value of the form field *name* as a browser reads the page (U+0000 becomes U+FFFD)."""
    page = response.content.decode()
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.DOTALL)
    if textarea:
        raw = textarea.group(1)
    else:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        value = re.search(r'value="([^"]*)"', tag)
        raw = value.group(1) if value else ""
    return html.unescape(raw).replace("\x00", "\ufffd")


def resubmit(response, fields, **changes):
    """The form as the browser sends it back: the shown values of *fields*, the hidden guard, *changes*."""
    data = {name: shown_value(response, name) for name in fields}
    if 'name="nul_guard"' in response.content.decode():
        data["nul_guard"] = shown_value(response, "nul_guard")
    return data | changes


@pytest.fixture
def writer(client, world):
    client.force_login(world.users["writer"])
    return reverse("moderation:record_create", args=[world.channel.pk])


def test_removal_with_nul_gets_the_applications_error_and_is_shown_with_markers(client, writer):
    """The error is the application's ``nul_character``; the text comes back with ␀ where each NUL was."""
    response = client.post(writer, _removal_post(text=PASTED))
    assert response.status_code == 400
    assert _codes(response, "text") == ["nul_character"]
    assert shown_value(response, "text") == SHOWN
    assert "\x00" not in response.content.decode() and "\ufffd" not in response.content.decode()
    assert not RemovedComment.objects.exists()


def test_removal_resubmitted_unchanged_is_refused(client, writer):
    """Sending the re-shown form back as it is stores nothing: the ␀ were nobody's choice."""
    first = client.post(writer, _removal_post(text=PASTED))
    again = client.post(writer, resubmit(first, ["text", "author_name", "removed_at", "action", "category"]))
    assert again.status_code == 400
    assert _codes(again, "text") == ["nul_marker"]
    assert shown_value(again, "text") == SHOWN, "still nothing typed is lost"
    # A browser (or an old page) that made U+FFFD of each NUL is refused the same way.
    replaced = client.post(writer, resubmit(first, ["text"], **_removal_post(text=PASTED.replace("\x00", "\ufffd"))))
    assert _codes(replaced, "text") == ["nul_marker"]
    assert not RemovedComment.objects.exists()


def test_removal_stored_exactly_as_edited_once_each_marker_is_decided(client, writer):
    first = client.post(writer, _removal_post(text=PASTED))
    edited = SHOWN.replace(NUL_MARKER, "[NUL]", 2).replace(NUL_MARKER, "")
    partly = client.post(writer, resubmit(first, ["text"], **_removal_post(text=SHOWN.replace(NUL_MARKER, "", 1))))
    assert _codes(partly, "text") == ["nul_marker"], "every ␀ must be decided, not only some"
    done = client.post(writer, resubmit(partly, ["text"], **_removal_post(text=edited)))
    assert done.status_code == 302
    assert RemovedComment.objects.get().content.text == "Före[NUL]mitten[NUL]efter 😀"


def test_removal_keeps_the_markers_and_replacement_characters_the_pasted_text_held(client, writer):
    """A ␀ or � that was part of the comment is not mistaken for one the form added."""
    pasted = "Äkta ␀ och � \x00 slut"
    first = client.post(writer, _removal_post(text=pasted))
    assert shown_value(first, "text") == "Äkta ␀ och � ␀ slut"
    refused = client.post(writer, resubmit(first, ["text"], **_removal_post(text="Äkta ␀ och � ␀ slut")))
    assert _codes(refused, "text") == ["nul_marker"]
    done = client.post(writer, resubmit(first, ["text"], **_removal_post(text="Äkta ␀ och � slut")))
    assert done.status_code == 302
    assert RemovedComment.objects.get().content.text == "Äkta ␀ och � slut"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author_name", "Arg\x00Person"),
        ("author_handle", "arg\x00person"),
        ("author_url", "https://example.com/a\x00b"),
        ("comment_url", "https://example.com/\x00"),
        ("post_url", "https://exa\x00mple.com/"),
        ("explanation", "Förklaring\x00"),
    ],
)
def test_every_text_field_of_the_removal_form(client, writer, field, value):
    """One error, the application's, and the value re-shown with ␀: addresses and names as much as the text."""
    response = client.post(writer, _removal_post(**{field: value}))
    assert response.status_code == 400
    assert _codes(response, field) == ["nul_character"]
    assert shown_value(response, field) == value.replace("\x00", NUL_MARKER)
    again = client.post(writer, resubmit(response, [field], **_removal_post()) | {field: shown_value(response, field)})
    assert _codes(again, field) == ["nul_marker"]
    assert not RemovedComment.objects.exists()


@pytest.mark.parametrize("field", ["explanation", "text"])
def test_addendum_form(client, world, log_removal, field):
    original = log_removal()
    client.force_login(world.users["writer"])
    url = reverse("moderation:addendum_create", args=[original.pk])
    post = {"explanation": "Rättelse.", "category": "", "text": ""}
    response = client.post(url, post | {field: "Till\x00ägg"})
    assert response.status_code == 400
    assert _codes(response, field) == ["nul_character"]
    assert shown_value(response, field) == "Till␀ägg"
    again = client.post(url, resubmit(response, ["explanation", "text"], category=""))
    assert _codes(again, field) == ["nul_marker"]
    assert RemovedComment.objects.count() == 1
    done = client.post(url, resubmit(response, ["explanation", "text"], category="") | {field: "Till[NUL]ägg"})
    assert done.status_code == 302
    assert getattr(RemovedComment.objects.get(addendum_to=original).content, field) == "Till[NUL]ägg"


def test_disclosure_review_text_as_released(client, world, log_removal):
    """The text as released is a copy of the comment: the same rule."""
    record = log_removal(category="h", actor=world.users["web_team"])
    disclosure = disclosure_services.disclosure_create(
        actor=world.users["archivist"], received_on=date(2026, 11, 1), description="Begäran.", records=[record]
    )
    item = disclosure.items.get()
    client.force_login(world.users["archivist"])
    url = reverse("moderation:disclosure_review", kwargs={"pk": disclosure.pk, "item_pk": item.pk})
    post = {"decision": "partial", "redacted_text": "Du är [–]\x00.", "redaction_note": "OSL 21:7."}
    response = client.post(url, post)
    assert _codes(response, "redacted_text") == ["nul_character"]
    assert shown_value(response, "redacted_text") == "Du är [–]␀."
    again = client.post(url, resubmit(response, ["redacted_text"]) | {"decision": "partial", "redaction_note": "x"})
    assert _codes(again, "redacted_text") == ["nul_marker"]
    item.refresh_from_db()
    assert item.decision == "" and item.redacted_text == ""
    done = client.post(
        url,
        resubmit(response, ["redacted_text", "redaction_note"])
        | {"decision": "partial", "redacted_text": "Du är [–]."},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.redacted_text) == (DisclosureItem.Decision.RELEASED_IN_PART, "Du är [–].")


def test_a_forged_or_broken_guard_is_ignored(client, writer):
    """The guard is signed; anything else in it is as if there were none (never a 500)."""
    for guard in ("", "x", "\x00", "e30:1abc:forged"):
        response = client.post(writer, _removal_post(text="Vanlig text ␀", nul_guard=guard))
        assert response.status_code == 302, guard
    assert [r.content.text for r in RemovedComment.objects.all()] == ["Vanlig text ␀"] * 4


def test_removal_form_without_nul_is_unchanged(world):
    """The guard field never reaches the service."""
    form = RemovalForm(_removal_post())
    assert form.is_valid(), form.errors
    assert "nul_guard" not in form.service_kwargs()
