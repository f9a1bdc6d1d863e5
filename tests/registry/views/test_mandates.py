"""registry.views.mandates: the mandate screens, their permission matrix and query counts."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from registry import selectors
from registry.models import Mandate
from registry.views.mandates import PAGE_SIZE

from ...factories import ChannelFactory, MandateFactory, UserFactory
from ...matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db


GRANT_SCOPE = "Svara på frågor om bibliotekets öppettider."


def _mandate(world):
    return {"pk": world.mandate.pk}


def _pending_for_employee(world):
    """A mandate on the library page that waits for the plain employee's acknowledgement."""
    mandate = MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=timezone.localdate(),
    )
    return {"pk": mandate.pk}


def _grant_post(world):
    today = timezone.localdate()
    return {
        "employee": world.users["employee"].pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=180)).isoformat(),
        "scope": "Svara på frågor om bibliotekets öppettider.",
    }


def _grant_post_to_manager(world):
    return _grant_post(world) | {"employee": world.users["manager"].pk}


# Who sees a mandate: the employee (writer), the granting manager of the unit, the web team; others 404.
SEES_MANDATE = {"writer": 200, "manager": 200, "web_team": 200}


MATRIX = [
    Row("mandates:mine", expect(200)),
    Row("mandates:guidelines", expect(200)),
    Row("mandates:detail", expect(404, **SEES_MANDATE), kwargs=_mandate),
    Row("mandates:print", expect(404, **SEES_MANDATE), kwargs=_mandate),
    # Someone else's mandate is "not yours": 404, even for the manager and the web team.
    Row("mandates:acknowledge", expect(404, employee=200), kwargs=_pending_for_employee),
    Row(
        "mandates:acknowledge",
        expect(404, employee=302),
        method="post",
        kwargs=_pending_for_employee,
        data=lambda w: {"confirm": "on"},
    ),
    # The web team opens the form too: it grants a unit's manager their own mandate (issue 10, item 10).
    Row("mandates:grant", only({"manager": 200, "other_manager": 200, "web_team": 200})),
    # Another unit's channel is not among the other manager's choices, and the unit's staff are not
    # among the web team's: the form comes back (200).
    Row(
        "mandates:grant", only({"manager": 302, "other_manager": 200, "web_team": 200}), method="post", data=_grant_post
    ),
    # The manager's own mandate: refused to the manager himself (not offered), granted by the web team.
    Row(
        "mandates:grant",
        only({"manager": 200, "other_manager": 200, "web_team": 302}),
        method="post",
        data=_grant_post_to_manager,
    ),
    Row("mandates:revoke", expect(404, writer=403, manager=200, web_team=200), kwargs=_mandate),
    Row(
        "mandates:revoke",
        expect(404, writer=403, manager=302, web_team=302),
        method="post",
        kwargs=_mandate,
        data=lambda w: {"reason": "Byter arbetsuppgifter."},
    ),
    Row("mandates:renew", expect(404, writer=403, manager=200, web_team=403), kwargs=_mandate),
    Row("mandates:renew", expect(404, writer=403, manager=302, web_team=403), method="post", kwargs=_mandate),
    Row("mandates:manager", only({"manager": 200, "other_manager": 200})),
    Row("mandates:writers", only({"web_team": 200})),
]


def _many_mandates(world, rows):
    """*rows* mandates in every state, on the manager's unit, for the writer, so every list shows them."""
    today = timezone.localdate()
    now = timezone.now()
    people = [UserFactory() for _ in range(5)]
    channels = [ChannelFactory(unit=world.unit, created_by=world.users["web_team"]) for _ in range(5)]
    shapes = [
        {"acknowledged_at": now},  # active
        {},  # awaiting
        {"valid_from": today - timedelta(days=300), "valid_until": today + timedelta(days=9), "acknowledged_at": now},
        {"valid_from": today - timedelta(days=400), "valid_until": today - timedelta(days=2)},
    ]
    batch = []
    for i in range(rows):
        shape = shapes[i % len(shapes)]
        batch.append(
            Mandate(
                employee=world.users["writer"] if i % 2 else people[i % 5],
                channel=channels[i % 5],
                role=Mandate.Role.WRITER,
                scope="Skriva.",
                granted_by=world.users["manager"],
                valid_from=shape.get("valid_from", today),
                valid_until=shape.get("valid_until", today + timedelta(days=200)),
                acknowledged_at=shape.get("acknowledged_at"),
            )
        )
    Mandate.objects.bulk_create(batch)


def test_grant_form_does_not_offer_oneself_or_the_administrator(client, world, manager):
    client.force_login(manager)
    response = client.get(reverse("mandates:grant"))
    offered = set(response.context["form"].fields["employee"].queryset)
    assert manager not in offered and world.users["admin"] not in offered
    assert world.users["employee"] in offered
    # A tampered post naming oneself is refused with the form, never granted.
    today = timezone.localdate()
    data = {
        "employee": manager.pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "scope": GRANT_SCOPE,
    }
    response = client.post(reverse("mandates:grant"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("employee", code="invalid_choice")
    response = client.post(reverse("mandates:grant"), data | {"employee": world.users["admin"].pk})
    assert response.context["form"].has_error("employee", code="invalid_choice")
    assert not Mandate.objects.filter(employee__in=[manager, world.users["admin"]]).exists()


def test_web_team_reaches_the_grant_form_from_the_channel_page(client, world, manager, web_team):
    """The channel page offers the web team one button per manager of the unit; the form grants it."""
    client.force_login(web_team)
    page = client.get(world.channel.get_absolute_url())
    assert page.context["grant_to_managers"] == [manager]
    link = f"{reverse('mandates:grant')}?channel={world.channel.pk}&amp;employee={manager.pk}"
    assert link in page.content.decode()
    form = client.get(reverse("mandates:grant"), {"channel": world.channel.pk, "employee": manager.pk})
    assert set(form.context["form"].fields["employee"].queryset) == {manager, world.users["other_manager"]}
    today = timezone.localdate()
    data = {
        "employee": manager.pk,
        "channels": [world.channel.pk],
        "role": Mandate.Role.WRITER,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "scope": GRANT_SCOPE,
    }
    assert client.post(reverse("mandates:grant"), data).status_code == 302
    assert Mandate.objects.get(employee=manager).granted_by == web_team
    # The other unit's manager on this unit's channel: an error on the form, not a 403.
    response = client.post(reverse("mandates:grant"), data | {"employee": world.users["other_manager"].pk})
    assert response.status_code == 200
    assert response.context["form"].has_error("channels", code="web_team_managers_only")


def test_channel_page_buttons_for_the_manager(client, world, manager):
    client.force_login(manager)
    page = client.get(world.channel.get_absolute_url())
    assert page.context["can_grant"] is True
    assert page.context["grant_to_managers"] == []


@params(MATRIX)
def test_mandate_permission_matrix(client, world, row, role):
    """Every mandate URL answers every role as the matrix says."""
    run_row(client, world, row, role)


def test_mandate_grant_tampered_post_with_other_units_channel_grants_nothing(client, world):
    """A manager who edits the POST to name another unit's channel gets the form back and no mandate."""
    client.force_login(world.users["manager"])
    data = _grant_post(world) | {"channels": [world.channel.pk, world.other_channel.pk]}
    response = client.post(reverse("mandates:grant"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("channels", code="invalid_choice")
    assert not Mandate.objects.filter(employee=world.users["employee"]).exists()
    assert response.context["form"]["scope"].value() == data["scope"]  # nothing the manager typed is lost


def test_mandate_grant_several_channels_in_one_form(client, world):
    second = ChannelFactory(unit=world.unit, name="Fritid Norsjö")
    client.force_login(world.users["manager"])
    response = client.post(reverse("mandates:grant"), _grant_post(world) | {"channels": [world.channel.pk, second.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("mandates:manager")
    assert set(Mandate.objects.filter(employee=world.users["employee"]).values_list("channel", flat=True)) == {
        world.channel.pk,
        second.pk,
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("valid_until", "", "required"),
        ("valid_until", "inte-ett-datum", "invalid"),
        ("valid_from", "2000-01-01", "past_start"),
        ("employee", "999999", "invalid_choice"),
        ("scope", "", "required"),
        ("role", "boss", "invalid_choice"),
        ("channels", [], "required"),
    ],
)
def test_mandate_grant_bad_input_gets_clear_error(client, world, field, value, code):
    """Bad input comes back on the form with a coded error, never a 500."""
    client.force_login(world.users["manager"])
    response = client.post(reverse("mandates:grant"), _grant_post(world) | {field: value})
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code=code)


def test_mandate_grant_overlap_is_shown_on_the_channels_field(client, world):
    client.force_login(world.users["manager"])
    data = _grant_post(world) | {"employee": world.users["writer"].pk}
    response = client.post(reverse("mandates:grant"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("channels", code="overlap")


def test_mandate_grant_form_defaults_and_preselected_channel(client, world, settings):
    client.force_login(world.users["manager"])
    response = client.get(reverse("mandates:grant"), {"channel": world.channel.pk})
    form = response.context["form"]
    today = timezone.localdate()
    assert form["valid_from"].value() == today
    assert form["valid_until"].value() == today + timedelta(days=settings.MANDATE_DEFAULT_DAYS - 1)
    assert [c.pk for c in form.fields["channels"].queryset] == [world.channel.pk]  # the proposal is not offered
    assert "Socialtjänsten informerar" not in response.content.decode()


def test_mandate_acknowledge_someone_elses_mandate_is_404(client, world):
    """An employee cannot acknowledge someone else's mandate: it is not theirs, so it does not exist for them."""
    pending = MandateFactory(employee=world.users["archivist"], channel=world.channel)
    client.force_login(world.users["employee"])
    url = reverse("mandates:acknowledge", kwargs={"pk": pending.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    pending.refresh_from_db()
    assert pending.acknowledged_at is None


def test_mandate_acknowledge_page_shows_guidelines_and_requires_the_checkbox(client, world):
    pending = MandateFactory(employee=world.users["employee"], channel=world.channel)
    client.force_login(world.users["employee"])
    url = reverse("mandates:acknowledge", kwargs={"pk": pending.pk})
    body = client.get(url).content.decode()
    assert "Riktlinjer för sociala medier i tjänsten" in body
    assert "anställd och inte som privatperson" in body
    response = client.post(url, {})
    assert response.status_code == 200
    assert response.context["form"].has_error("confirm", code="required")
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.acknowledged_version is not None


def test_mandate_mine_lists_pending_first_and_prominently(client, world):
    MandateFactory(employee=world.users["writer"], channel=world.other_channel)
    client.force_login(world.users["writer"])
    response = client.get(reverse("mandates:mine"))
    assert [m.channel for m in response.context["pending"]] == [world.other_channel]
    assert "väntar på din bekräftelse" in response.content.decode()
    assert len(response.context["page"].object_list) == 2


def test_mandate_revoke_needs_reason_and_confirmation(client, world):
    client.force_login(world.users["manager"])
    url = reverse("mandates:revoke", kwargs={"pk": world.mandate.pk})
    assert "Bekräfta" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].has_error("reason", code="required")
    world.mandate.refresh_from_db()
    assert world.mandate.revoked_at is None


def test_mandate_renew_in_one_step_from_the_manager_view(client, world):
    """The manager's view lists the mandate ending within 30 days with a one-step renew button."""
    today = timezone.localdate()
    ending = MandateFactory(
        employee=world.users["employee"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=10),
        acknowledged_at=timezone.now(),
    )
    client.force_login(world.users["manager"])
    response = client.get(reverse("mandates:manager"))
    assert response.context["expiring"] == [ending]
    response = client.post(reverse("mandates:renew", kwargs={"pk": ending.pk}), {"next_page": "manager"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mandates:manager")
    renewal = ending.renewal
    assert renewal.valid_from == ending.valid_until + timedelta(days=1)
    assert client.get(reverse("mandates:manager")).context["expiring"] == []


def test_mandate_detail_shows_history_and_actions(client, world):
    client.force_login(world.users["manager"])
    response = client.get(world.mandate.get_absolute_url())
    assert response.context["can_revoke"] and response.context["can_renew"]
    client.force_login(world.users["writer"])
    response = client.get(world.mandate.get_absolute_url())
    assert not response.context["can_revoke"] and not response.context["can_renew"]
    assert "Historik" in response.content.decode()


def test_mandate_print_is_a_document_without_inline_styles(client, world):
    client.force_login(world.users["writer"])
    body = client.get(reverse("mandates:print", kwargs={"pk": world.mandate.pk})).content.decode()
    assert "css/print.css" in body
    assert "style=" not in body and "<script>" not in body
    assert "Uppdrag att använda sociala medier i tjänsten" in body


def test_appointed_writers_lists_active_mandates_across_units(client, world):
    MandateFactory(employee=world.users["employee"], channel=world.other_channel, acknowledged_at=timezone.now())
    MandateFactory(employee=world.users["archivist"], channel=world.other_channel)  # awaiting: not a writer yet
    client.force_login(world.users["web_team"])
    response = client.get(reverse("mandates:writers"))
    assert {m.employee for m in response.context["page"].object_list} == {
        world.users["writer"],
        world.users["employee"],
    }
    response = client.get(reverse("mandates:writers"), {"unit": "social"})
    assert [m.employee for m in response.context["page"].object_list] == [world.users["employee"]]
    assert client.get(reverse("mandates:writers"), {"unit": "finns-inte", "page": "zz"}).status_code == 200


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("mandates:mine", "writer"),
        ("mandates:manager", "manager"),
        ("mandates:writers", "web_team"),
        ("home", "manager"),
    ],
)
def test_mandate_list_query_count_is_constant(client, world, name, role):
    """The mandate lists cost the same number of queries at 5 and at 200 mandates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users[role])
    counts = []
    for rows in (5, 195):  # 5, then 200 in all
        _many_mandates(world, rows)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"queries grew with rows: {counts}"
    # measured: 7 (mine, writers), 9 (manager), 16 (home with reviews, missing writers, account security)
    assert counts[1] <= 17, counts


@pytest.mark.parametrize("asked", [None, "", "1", "2", "3", "99", "0", "-1", "zz", "2.0"])
def test_mandate_pages_are_the_paginators_pages(client, world, asked):
    """The page and the list's length come in one query; the pages are those ``Paginator.get_page`` gives."""
    _many_mandates(world, 2 * PAGE_SIZE + 10)
    client.force_login(world.users["manager"])
    page = client.get(reverse("mandates:manager"), {"page": asked} if asked is not None else {}).context["page"]
    expected = Paginator(selectors.unit_mandates(world.users["manager"]), PAGE_SIZE).get_page(asked)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert [m.pk for m in page.object_list] == [m.pk for m in expected.object_list]


def test_an_empty_mandate_list_is_one_empty_page(client, world):
    client.force_login(world.users["archivist"])
    page = client.get(reverse("mandates:mine")).context["page"]
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


RENEWED_BADGE = '<span class="badge text-bg-light border">'


def test_a_renewed_mandate_shows_renewed_on_every_list_and_its_page(client, world):
    """The lists ask whether a renewal exists in a subquery (``renewed``); the pages show the same badge as before."""
    today = timezone.localdate()
    old = MandateFactory(
        employee=world.users["writer"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=20),
        acknowledged_at=timezone.now(),
    )
    renewal = MandateFactory(
        employee=world.users["writer"],
        channel=world.channel,
        granted_by=world.users["manager"],
        valid_from=today + timedelta(days=21),
        valid_until=today + timedelta(days=300),
        renewal_of=old,
    )
    for role, url in [
        ("writer", reverse("mandates:mine")),
        ("manager", reverse("mandates:manager")),
        ("web_team", reverse("mandates:writers")),
        ("writer", old.get_absolute_url()),
    ]:
        client.force_login(world.users[role])
        assert client.get(url).content.decode().count(RENEWED_BADGE) == 1, (role, url)
    client.force_login(world.users["writer"])
    assert f'href="{renewal.get_absolute_url()}"' in client.get(old.get_absolute_url()).content.decode()
    assert RENEWED_BADGE not in client.get(world.mandate.get_absolute_url()).content.decode()
