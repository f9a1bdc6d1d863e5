"""History on the record pages: every kind of entry renders, by a person or by the system, and reads as words.

Issue 10, items 15 and 18: an entry without an actor (the daily job's "expired") made every
expired mandate's page a 500, and the changes showed raw field names, codes and hashes.
"""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from registry import history
from registry.history import ACTION_LABELS
from registry.models import (
    Channel,
    ChannelReview,
    Documentation,
    GuidelineVersion,
    HistoryEntry,
    Mandate,
    PoliticianLink,
)
from registry.services.channels import channel_update
from registry.services.documentation import documentation_record
from registry.services.mandates import mandate_acknowledge, mandate_grant, mandate_renew, mandates_record_expiries
from registry.services.politician_links import politician_link_register, politician_link_update
from registry.services.reviews import channel_review_record

from ..factories import MandateFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40

# What each service records today (grep the services for "changes="), one sample per action.
SAMPLE_CHANGES = {
    "channel.updated": {"purpose": ["Gammalt syfte", "Nytt syfte"], "platform": ["Facebook", "Instagram"]},
    "channel.documented": {"files": ["", "2"], "reason": ["", "yearly documentation"]},
    "channel.reviewed": {"still_needed": ["", "ja"], "purpose_ok": ["", "no"], "writers_ok": ["", "yes"]},
    "mandate.granted": {"role": ["", "moderator"], "valid_from": ["", "2025-01-01"], "valid_until": ["", "2026-01-01"]},
    "mandate.acknowledged": {"guidelines": ["", "0123456789ab"]},
    "mandate.renewed": {"renewal": ["", "2026-01-02 – 2027-01-01"]},
    "mandate.expired": {"valid_until": ["", "2025-01-01"]},
    "politician_link.updated": {"kind": ["blog", "party_site"], "decided_on": ["2025-01-01", "2025-02-01"]},
    "decision.registered": {"retention": {"a": 24, "g": 3}},
    "decision.ended": {"in_force_until": [None, "2026-01-01"]},
    "hold.placed": {"kind": "period", "records": [], "channel": None, "period": ["2025-01-01", "2025-02-01"]},
    "disposal.executed": {"decision": "KS 2025/1", "records": 2, "files": 1, "as_of": "2025-01-01"},
    "disclosure.created": {"records": [1, 2]},
    "disclosure.reviewed": {"record": 1, "decision": "withheld"},
    "disclosure.printed": {"records": 2},
}


def _link(world):
    return politician_link_register(
        actor=world.users["web_team"],
        politician="Anna Andersson",
        url="https://annaandersson.example/",
        decided_by="Webbredaktör Eva Ek",
        decided_on=date(2025, 1, 15),
    )


PAGES = {
    "channel": lambda world: world.channel,
    "mandate": lambda world: world.mandate,
    "politician_link": _link,
}


def _entry(subject, *, action, actor, changes=None, reason=""):
    changes = changes if changes is not None else SAMPLE_CHANGES.get(action, {"name": ["Före", "Efter"]})
    return history.record(subject, action=action, actor=actor, changes=changes, reason=reason)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("action", sorted(ACTION_LABELS))
def test_every_kind_of_history_entry_renders_with_and_without_an_actor(client, world, settings, page, action):
    settings.DEBUG = False
    subject = PAGES[page](world)
    _entry(subject, action=action, actor=world.users["manager"], reason="Ett skäl.")
    _entry(subject, action=action, actor=None)
    client.force_login(world.users["web_team"])
    response = client.get(subject.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("sv"):
        assert str(ACTION_LABELS[action]) in html
        assert str(HistoryEntry(actor=None).actor_name) in html


def test_an_expired_mandates_page_names_the_system(client, world, settings):
    """The daily job records the expiry without an actor; the page says the system did it."""
    settings.DEBUG = False
    today = timezone.localdate()
    mandate = MandateFactory(
        employee=world.users["writer"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
        acknowledged_at=timezone.now() - timedelta(days=399),
    )
    assert mandates_record_expiries(today=today) >= 1
    client.force_login(world.users["manager"])
    response = client.get(mandate.get_absolute_url())
    assert response.status_code == 200
    assert "systemet" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "the system" in client.get(mandate.get_absolute_url()).content.decode()


# -- What the changes read as (item 18) -------------------------------------------------------


def _label(model, field):
    return capfirst(str(model._meta.get_field(field).verbose_name))


def _day(iso):
    return formats.date_format(date.fromisoformat(iso), "DATE_FORMAT")


def _lines(entry):
    return {line.label: line for line in entry.change_lines()}


def _last(subject, action):
    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, action=action
    ).latest("pk")


@pytest.fixture
def recorded(world, settings, tmp_path):
    """Every kind of change the registry's services record today, made through the services in Swedish."""
    settings.MEDIA_ROOT = tmp_path / "media"
    web_team, manager, employee = world.users["web_team"], world.users["manager"], world.users["employee"]
    with translation.override("sv"):
        channel_update(
            channel=world.channel,
            actor=web_team,
            purpose="Berätta om bibliotekets evenemang.",
            audience="Låntagare.",
            unit=world.other_unit,
            contact_email="bibliotek@norsjo.example",
        )
        world.channel.refresh_from_db()
        documentation_record(
            channel=world.channel,
            actor=web_team,
            files=[SimpleUploadedFile("skarmdump.png", PNG, content_type="image/png")],
            reason=Documentation.Reason.BEFORE_CHANGE,
        )
        channel_review_record(
            channel=world.channel,
            actor=world.users["other_manager"],
            still_needed=True,
            purpose_ok=False,
            writers_ok=True,
            note="Syftet behöver skrivas om.",
        )
        today = timezone.localdate()
        first = mandate_grant(
            actor=world.users["other_manager"],
            channel=world.channel,
            employee=employee,
            role=Mandate.Role.ACCOUNT_ADMIN,
            scope="Sköta kontot.",
            valid_from=today,
            valid_until=today + timedelta(days=30),
        )
        mandate_acknowledge(mandate=first, actor=employee, confirmed=True)
        renewal = mandate_renew(mandate=first, actor=world.users["other_manager"])
        link = _link(world)
        politician_link_update(
            link=link, actor=web_team, kind=PoliticianLink.Kind.PARTY_SITE, decided_on=date(2025, 2, 1)
        )
    expired = MandateFactory(
        employee=world.users["writer"],
        channel=world.channel,
        granted_by=manager,
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
    )
    mandates_record_expiries(today=today)
    return {"channel": world.channel, "first": first, "renewal": renewal, "link": link, "expired": expired}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_history_shows_field_labels_and_display_values(world, recorded, language):
    channel, first, renewal = recorded["channel"], recorded["first"], recorded["renewal"]
    with translation.override(language):
        updated = _lines(_last(channel, "channel.updated"))
        assert set(updated) == {_label(Channel, f) for f in ("purpose", "audience", "unit", "contact_email")}
        assert updated[_label(Channel, "unit")].old == world.unit.name
        assert updated[_label(Channel, "unit")].new == world.other_unit.name
        assert updated[_label(Channel, "purpose")].new == "Berätta om bibliotekets evenemang."

        documented = _lines(_last(channel, "channel.documented"))
        assert documented[_label(Documentation, "reason")].new == str(Documentation.Reason.BEFORE_CHANGE.label)
        assert documented[capfirst(str(translation.gettext("screenshots")))].new == "1"

        reviewed = _lines(_last(channel, "channel.reviewed"))
        yes, no = translation.gettext("Yes"), translation.gettext("No")
        assert reviewed[_label(ChannelReview, "still_needed")].new == yes
        assert reviewed[_label(ChannelReview, "purpose_ok")].new == no
        assert reviewed[_label(ChannelReview, "writers_ok")].new == yes

        granted = _lines(_last(first, "mandate.granted"))
        # Recorded in Swedish ("kontoadministratör"), read in the reader's language.
        assert granted[_label(Mandate, "role")].new == str(Mandate.Role.ACCOUNT_ADMIN.label)
        assert granted[_label(Mandate, "valid_from")].new == _day(first.valid_from.isoformat())
        assert granted[_label(Mandate, "valid_until")].new == _day(first.valid_until.isoformat())
        assert granted[_label(Mandate, "role")].old == ""

        renewal_of = _lines(_last(renewal, "mandate.granted"))[_label(Mandate, "renewal_of")].new
        assert _day(first.valid_from.isoformat()) in renewal_of and str(first.pk) not in renewal_of.split()

        acknowledged = _lines(_last(first, "mandate.acknowledged"))
        first.refresh_from_db()
        version_line = acknowledged[_label(Mandate, "acknowledged_version")]
        assert version_line.new == first.acknowledged_version.label
        assert first.acknowledged_version.short not in version_line.new

        renewed = _lines(_last(first, "mandate.renewed"))
        assert renewed[capfirst(translation.gettext("renewal"))].new == (
            f"{_day(renewal.valid_from.isoformat())} – {_day(renewal.valid_until.isoformat())}"
        )

        expired = _lines(_last(recorded["expired"], "mandate.expired"))
        assert expired[_label(Mandate, "valid_until")].new == _day(recorded["expired"].valid_until.isoformat())

        link_updated = _lines(_last(recorded["link"], "politician_link.updated"))
        assert link_updated[_label(PoliticianLink, "kind")].old == str(PoliticianLink.Kind.BLOG.label)
        assert link_updated[_label(PoliticianLink, "kind")].new == str(PoliticianLink.Kind.PARTY_SITE.label)
        assert link_updated[_label(PoliticianLink, "decided_on")].new == _day("2025-02-01")


def test_the_pages_show_no_raw_names_codes_or_hashes(client, world, recorded):
    client.force_login(world.users["web_team"])
    first = recorded["first"]
    first.refresh_from_db()
    for subject in (recorded["channel"], first, recorded["link"]):
        html = client.get(subject.get_absolute_url()).content.decode()
        for raw in ("purpose:", "contact_email", "still_needed", "valid_until", "role:", "party_site", "guidelines:"):
            assert raw not in html
    html = client.get(first.get_absolute_url()).content.decode()
    assert first.acknowledged_version.short not in html
    assert "Kontoadministratör" in html or "kontoadministratör" in html


def _subject_model(action):
    """The model whose history holds *action* (the archive's models for the archive's actions)."""
    from moderation.models import DisclosureRequest, DisposalDecision, DisposalRun, Hold

    models = {
        "channel": Channel,
        "mandate": Mandate,
        "politician_link": PoliticianLink,
        "decision": DisposalDecision,
        "hold": Hold,
        "disposal": DisposalRun,
        "disclosure": DisclosureRequest,
    }
    return models[action.split(".")[0]]


def _sample_lines(action):
    """Describe the sample entry of *action*, kept on a row of its own model (the row need not exist)."""
    entry = HistoryEntry(
        content_type=ContentType.objects.get_for_model(_subject_model(action)),
        object_id=1,
        action=action,
        changes=SAMPLE_CHANGES[action],
    )
    return _lines(entry)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_moderation_history_reads_as_words(world, language):
    """The archive's actions record other shapes (a dict, lists, counts, ids): each reads as words."""
    from moderation.models import DisclosureItem, DisposalDecision, DisposalRun, Hold

    with translation.override(language):
        retention = next(iter(_sample_lines("decision.registered").values())).new
        assert "24" in retention and "{" not in retention and "'a'" not in retention
        ended = _sample_lines("decision.ended")[_label(DisposalDecision, "in_force_until")]
        assert (ended.old, ended.new) == ("", _day("2026-01-01"))
        hold = _sample_lines("hold.placed")
        assert hold[_label(Hold, "kind")].new == str(Hold.Kind.PERIOD.label)
        assert hold[_label(Hold, "records")].new == "0"
        assert hold[_label(Hold, "channel")].new == ""
        assert hold[capfirst(translation.gettext("period"))].new == f"{_day('2025-01-01')} – {_day('2025-02-01')}"
        run = _sample_lines("disposal.executed")
        assert run[_label(DisposalRun, "record_count")].new == "2"
        assert run[_label(DisposalRun, "file_count")].new == "1"
        assert run[_label(DisposalRun, "as_of")].new == _day("2025-01-01")
        assert run[_label(DisposalRun, "decision")].new == "KS 2025/1"
        reviewed = _sample_lines("disclosure.reviewed")
        assert reviewed[_label(DisclosureItem, "decision")].new == str(DisclosureItem.Decision.WITHHELD.label)
        assert reviewed[_label(DisclosureItem, "record")].new == "#1"
        records = capfirst(translation.gettext("records"))
        assert _sample_lines("disclosure.created")[records].new == "2"
        assert _sample_lines("disclosure.printed")[records].new == "2"


@pytest.mark.parametrize("action", sorted(SAMPLE_CHANGES))
def test_every_recorded_key_has_a_label(world, action):
    """Each key the history records today reads as a translated label, never as its raw name."""
    with translation.override("sv"):
        lines = _sample_lines(action)
    assert len(lines) == len(SAMPLE_CHANGES[action])
    raw = {capfirst(key.replace("_", " ")) for key in SAMPLE_CHANGES[action]}
    assert not raw & set(lines)


def test_guideline_versions_are_numbered_in_order(db):
    older = GuidelineVersion.objects.create(sha256="a" * 64, text="Gammal text")
    newer = GuidelineVersion.objects.create(sha256="b" * 64, text="Ny text")
    assert (older.number, newer.number) == (1, 2)
    assert "a" * 12 not in newer.label
