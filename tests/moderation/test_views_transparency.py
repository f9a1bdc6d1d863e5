"""The public proofs (anyone, no sign-in) and the archivists' integrity page."""

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import WitnessRun
from moderation.services import log as services
from moderation.transparency import keys, merkle, tree
from moderation.transparency.note import Verifier, open_checkpoint

from ..matrix import Row, expect, only, params, run_row

PUBLIC = expect(200, anonymous=200)
ARCHIVIST = {"archivist": 200}


def _log(world, text="Du är en idiot."):
    now = timezone.now()
    return services.removal_log(
        actor=world.users["writer"],
        channel=world.channel,
        category="a",
        action="deleted",
        removed_at=now - timedelta(minutes=5),
        comment_published_at=now - timedelta(hours=3),
        text=text,
        author_name="Arg Medborgare",
        author_handle="arg",
        author_url="",
        comment_url="",
        post_url="",
    )


def _two_records(world):
    _log(world)
    _log(world, "igen")
    return {"from": "1", "to": "2"}


MATRIX = [
    Row("moderation_log:checkpoint", PUBLIC),
    Row("moderation_log:key", PUBLIC),
    Row("moderation_log:consistency", PUBLIC, data=_two_records),
    Row("moderation_log:consistency", expect(400, anonymous=400), data=lambda w: {"from": "x", "to": "2"}),
    Row("moderation_log:checkpoint", expect(405, anonymous=405), method="post"),
    Row("moderation:integrity", only(ARCHIVIST)),
    Row("moderation:integrity", only({"archivist": 302}), method="post"),
]


@params(MATRIX)
def test_transparency_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)


pytestmark = pytest.mark.django_db


def test_checkpoint_is_exactly_the_signed_note(client, world):
    _log(world)
    response = client.get(reverse("moderation_log:checkpoint"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.decode() == tree.latest_checkpoint()
    key = Verifier.parse(client.get(reverse("moderation_log:key")).content.decode())
    checkpoint = open_checkpoint(response.content, [key], origin=keys.origin())
    assert checkpoint.size == 1


def test_an_empty_log_has_a_checkpoint_too(client, world):
    response = client.get(reverse("moderation_log:checkpoint"))
    checkpoint = open_checkpoint(response.content, [keys.verifier()])
    assert (checkpoint.size, checkpoint.root) == (0, merkle.EMPTY_ROOT)


def test_consistency_proof_verifies(client, world):
    for i in range(5):
        _log(world, f"kommentar {i}")
    old_root = tree.root_at(2)
    data = client.get(reverse("moderation_log:consistency"), {"from": 2, "to": 5}).json()
    proof = [base64.b64decode(p) for p in data["proof"]]
    new = open_checkpoint(tree.latest_checkpoint(), [keys.verifier()])
    assert (data["from"], data["to"]) == (2, 5)
    assert merkle.verify_consistency(2, 5, old_root, new.root, proof)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({}, "invalid"),
        ({"from": "1"}, "invalid"),
        ({"from": "-1", "to": "2"}, "invalid"),
        ({"from": "1.5", "to": "2"}, "invalid"),
        ({"from": "9" * 30, "to": "2"}, "invalid"),
        ({"from": "0", "to": "2"}, "out_of_range"),
        ({"from": "3", "to": "2"}, "out_of_range"),
        ({"from": "1", "to": "99"}, "out_of_range"),
        ({"from": "\x00", "to": "2"}, "invalid"),
    ],
)
def test_bad_consistency_requests_get_400_with_a_code(client, world, query, code):
    _log(world)
    _log(world)
    response = client.get(reverse("moderation_log:consistency"), query)
    assert response.status_code == 400
    assert response.json()["error"] == code


def test_publishing_can_be_switched_off(client, world, settings):
    settings.MODERATION_LOG_PUBLISH = False
    for name in ("moderation_log:checkpoint", "moderation_log:key", "moderation_log:consistency"):
        assert client.get(reverse(name)).status_code == 404


def test_the_endpoints_are_rate_limited(client, world, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "public": "2/m"}
    url = reverse("moderation_log:checkpoint")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    response = client.get(url)
    assert response.json()["error"] == "rate_limited" and response["Retry-After"]


def test_a_failed_witness_shows_on_the_archivists_start_page_and_record_page(client, world):
    record = _log(world)
    client.force_login(world.users["archivist"])
    assert 'id="log-place"' in client.get(record.get_absolute_url()).content.decode()
    WitnessRun.objects.create(ok=True, code="first", size=1)
    assert client.get(reverse("home")).context["witness_problem"] is None
    assert client.get(record.get_absolute_url()).context["log_place"]["witnessed"] is True
    WitnessRun.objects.create(ok=False, code="inconsistent", size=1, agree_until=None, differs_at=1)
    assert client.get(reverse("home")).context["witness_problem"].code == "inconsistent"
    client.force_login(world.users["web_team"])
    assert client.get(reverse("home")).context.get("witness_problem") is None
