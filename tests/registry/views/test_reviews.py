"""registry.views.reviews: the yearly review form and the overdue reviews."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import Channel

from ...matrix import Row, only, params, run_row

pytestmark = pytest.mark.django_db


def _review_post(world):
    return {"still_needed": "yes", "purpose_ok": "yes", "writers_ok": "yes", "note": ""}


MATRIX = [
    Row("registry:review_create", only({"manager": 200, "web_team": 200}), kwargs=lambda w: {"pk": w.channel.pk}),
    Row(
        "registry:review_create",
        only({"manager": 302, "web_team": 302}),
        method="post",
        kwargs=lambda w: {"pk": w.channel.pk},
        data=_review_post,
    ),
    Row("registry:reviews_overdue", only({"manager": 200, "other_manager": 200, "web_team": 200})),
]


@params(MATRIX)
def test_reviews_permission_matrix(client, world, row, role):
    """Every yearly-review URL answers every role as the matrix says."""
    run_row(client, world, row, role)


def test_review_form_requires_note_when_something_is_wrong(client, world):
    client.force_login(world.users["manager"])
    url = reverse("registry:review_create", kwargs={"pk": world.channel.pk})
    response = client.post(url, {"still_needed": "no", "purpose_ok": "yes", "writers_ok": "yes", "note": ""})
    assert response.status_code == 200 and "Skriv en anteckning" in response.content.decode()
    response = client.post(
        url, {"still_needed": "no", "purpose_ok": "yes", "writers_ok": "yes", "note": "Läggs ned i vår."}
    )
    assert response.status_code == 302
    assert world.channel.reviews.get().still_needed is False


def test_home_shows_overdue_reviews_to_web_team_and_managers(client, world):
    old = timezone.now() - timedelta(days=400)
    Channel.objects.filter(pk__in=[world.channel.pk, world.other_channel.pk]).update(created_at=old)
    client.force_login(world.users["manager"])
    html = client.get(reverse("home")).content.decode()
    assert "Årlig genomgång" in html or "årliga genomgångar" in html.lower()
    assert world.channel.name in html and world.other_channel.name not in html
    client.force_login(world.users["web_team"])
    html = client.get(reverse("home")).content.decode()
    assert world.channel.name in html and world.other_channel.name in html
