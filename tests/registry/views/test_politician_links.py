"""registry.views.politician_links: the web team's screens for politicians' links (4:5)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import PoliticianLink
from registry.services.politician_links import (
    politician_link_register,
)

from ...matrix import Row, only, params, run_row

pytestmark = pytest.mark.django_db


def _link_pk(world):
    return {"pk": _link(world).pk}


WEB_TEAM_ONLY = only({"web_team": 200})

MATRIX = [
    Row("registry:politician_list", WEB_TEAM_ONLY),
    Row("registry:politician_create", WEB_TEAM_ONLY),
    Row("registry:politician_create", only({"web_team": 302}), method="post", data=lambda w: _link_post(w)),
    Row("registry:politician_detail", WEB_TEAM_ONLY, kwargs=_link_pk),
    Row("registry:politician_edit", WEB_TEAM_ONLY, kwargs=_link_pk),
    Row("registry:politician_publish", only({"web_team": 302}), method="post", kwargs=_link_pk),
    Row("registry:politician_unpublish", only({"web_team": 302}), method="post", kwargs=_link_pk),
    Row("registry:politician_withdraw", WEB_TEAM_ONLY, kwargs=_link_pk),
    Row(
        "registry:politician_withdraw",
        only({"web_team": 302}),
        method="post",
        kwargs=_link_pk,
        data=lambda w: {"reason": "Politikern har lämnat fullmäktige."},
    ),
]


@params(MATRIX)
def test_politician_links_permission_matrix(client, world, row, role):
    """Every politicians' link URL answers every role as the matrix says (the web team's only)."""
    run_row(client, world, row, role)


def _link_post(world):
    return {
        "politician": "Bo Berg",
        "party": "",
        "url": "https://bosblogg.wordpress.com",
        "kind": "blog",
        "decided_by": "Eva Ek, webbansvarig",
        "decided_on": timezone.localdate().isoformat(),
    }


def _link(world) -> PoliticianLink:
    link = PoliticianLink.objects.current().filter(url="https://annasblogg.blogspot.com").first()
    return link or politician_link_register(
        actor=world.users["web_team"],
        politician="Anna Andersson",
        party="Norsjöpartiet",
        url="https://annasblogg.blogspot.com/",
        decided_by="Webbansvarig Eva Ek",
        decided_on=timezone.localdate(),
    )


def test_politician_create_normalises_and_records_history(client, world):
    client.force_login(world.users["web_team"])
    data = _link_post(world) | {"url": "http://www.bosblogg.wordpress.com/?utm_source=x", "publish": "on"}
    response = client.post(reverse("registry:politician_create"), data)
    link = PoliticianLink.objects.get(politician="Bo Berg")
    assert response.status_code == 302
    assert link.url == "https://bosblogg.wordpress.com" and link.is_published
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Registrerad" in html and "Publicerad" in html


def test_politician_create_refuses_bad_address_and_duplicate(client, world):
    client.force_login(world.users["web_team"])
    response = client.post(reverse("registry:politician_create"), _link_post(world) | {"url": "inte en adress"})
    assert response.status_code == 200 and "inte en giltig webbadress" in response.content.decode()
    _link(world)
    response = client.post(
        reverse("registry:politician_create"), _link_post(world) | {"url": "annasblogg.blogspot.com"}
    )
    assert response.status_code == 200 and "redan" in response.content.decode()
