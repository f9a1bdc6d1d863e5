"""The public list, its API, verification and the web team's duties: the permission matrix
and what each screen shows and refuses."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from registry.models import Channel, Documentation, DocumentationFile, PoliticianLink
from registry.services.channels import channel_close, channel_pause, channel_set_published
from registry.services.documentation import documentation_record
from registry.services.politician_links import (
    politician_link_register,
    politician_link_set_published,
    politician_link_withdraw,
)

from ..factories import ChannelFactory, UnitFactory
from ..matrix import Row, expect, only, params, run_row
from .conftest import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def _pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


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


def _link_pk(world):
    return {"pk": _link(world).pk}


def _file_pk(world):
    record = DocumentationFile.objects.filter(documentation__channel=world.channel).first()
    if record is None:
        documentation_record(channel=world.channel, actor=world.users["web_team"], files=[upload("skarm.png", PNG)])
        record = DocumentationFile.objects.get(documentation__channel=world.channel)
    return {"pk": record.pk}


def _link_post(world):
    return {
        "politician": "Bo Berg",
        "party": "",
        "url": "https://bosblogg.wordpress.com",
        "kind": "blog",
        "decided_by": "Eva Ek, webbansvarig",
        "decided_on": timezone.localdate().isoformat(),
    }


def _documentation_post(world):
    return {
        "files": [upload("skarm.png", PNG)],
        "documented_on": timezone.localdate().isoformat(),
        "reason": "yearly",
    }


def _review_post(world):
    return {"still_needed": "yes", "purpose_ok": "yes", "writers_ok": "yes", "note": ""}


PUBLIC = expect(200, anonymous=200)
WEB_TEAM_ONLY = only({"web_team": 200})
# Screenshots: the web team, the channel's unit's managers and its writers (permissions.can_see_documentation).
DOCUMENTATION_READERS = {"web_team": 200, "manager": 200, "writer": 200}

MATRIX = [
    Row("public:list", PUBLIC),
    Row("public:embed", PUBLIC),
    Row("public:verify", PUBLIC),
    Row("public:verify", PUBLIC, data=lambda w: {"url": w.channel.url}),
    Row("public:accessibility", PUBLIC),
    Row("public:api_channels", PUBLIC),
    Row("public:api_channels_csv", PUBLIC),
    Row("public:api_organisation", PUBLIC),
    Row("public:api_verify", PUBLIC, data=lambda w: {"url": w.channel.url}),
    Row("public:api_verify", expect(400, anonymous=400)),
    Row("public:api_channels", expect(405, anonymous=405), method="post"),
    Row("registry:public_preview", WEB_TEAM_ONLY),
    Row("registry:politician_list", WEB_TEAM_ONLY),
    Row("registry:politician_create", WEB_TEAM_ONLY),
    Row("registry:politician_create", only({"web_team": 302}), method="post", data=_link_post),
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
    Row("registry:documentation_list", only(DOCUMENTATION_READERS), kwargs=_pk("channel")),
    Row("registry:documentation_list", only({"web_team": 200, "other_manager": 200}), kwargs=_pk("other_channel")),
    Row("registry:documentation_create", WEB_TEAM_ONLY, kwargs=_pk("channel")),
    Row(
        "registry:documentation_create",
        only({"web_team": 302}),
        method="post",
        kwargs=_pk("channel"),
        data=_documentation_post,
    ),
    # Not yours = 404: the file is fetched through a queryset scoped to what the user may see.
    Row("registry:documentation_file", only(DOCUMENTATION_READERS, default=404), kwargs=_file_pk),
    Row("registry:documentation_overdue", WEB_TEAM_ONLY),
    Row("registry:review_create", only({"manager": 200, "web_team": 200}), kwargs=_pk("channel")),
    Row(
        "registry:review_create",
        only({"manager": 302, "web_team": 302}),
        method="post",
        kwargs=_pk("channel"),
        data=_review_post,
    ),
    Row("registry:reviews_overdue", only({"manager": 200, "other_manager": 200, "web_team": 200})),
]


@params(MATRIX)
def test_public_permission_matrix(client, world, row, role):
    """Every public-list and duty URL answers every role as the matrix says."""
    run_row(client, world, row, role)


# -- The public page ------------------------------------------------------------------------


def test_public_list_shows_only_published_active_channels(client, world):
    """Published active channels appear; unpublished, proposed, paused and closed ones do not."""
    paused = ChannelFactory(unit=world.unit, name="Pausad kanal", status=Channel.Status.PAUSED)
    closed = ChannelFactory(
        unit=world.unit, name="Stängd kanal", status=Channel.Status.CLOSED, closed_on=date(2026, 1, 1)
    )
    response = client.get(reverse("public:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.channel.name in html and world.channel.url in html and world.channel.purpose in html
    for hidden in (world.other_channel, world.proposed, paused, closed):
        assert hidden.name not in html
    assert 'type="application/ld+json"' in html
    assert reverse("public:accessibility") in html
    assert "Sociala medier" in html or "sociala medier" in html


def test_public_list_groups_by_unit_or_platform_without_javascript(client, world):
    """The switch is a plain link with a query parameter; the current grouping is marked."""
    channel_set_published(channel=world.other_channel, actor=world.users["web_team"], published=True)
    by_unit = client.get(reverse("public:list")).content.decode()
    assert by_unit.index(world.unit.name) < by_unit.index(world.other_unit.name)
    assert 'href="?group=unit" aria-current="true"' in by_unit
    by_platform = client.get(reverse("public:list"), {"group": "platform"}).content.decode()
    assert 'href="?group=platform" aria-current="true"' in by_platform
    assert '<h2 id="group-1" class="h3">Facebook</h2>' in by_platform
    # An unknown grouping falls back to units, never an error.
    assert client.get(reverse("public:list"), {"group": "<script>"}).status_code == 200


def test_public_list_shows_politicians_links_with_disclaimer(client, world):
    """Published links appear in their own section with the 4:5 disclaimer; others do not."""
    link = _link(world)
    html = client.get(reverse("public:list")).content.decode()
    assert "Anna Andersson" not in html
    politician_link_set_published(link=link, actor=world.users["web_team"], published=True)
    html = client.get(reverse("public:list")).content.decode()
    assert "Anna Andersson (Norsjöpartiet)" in html
    assert "politikernas egna, inte kommunens" in html
    politician_link_withdraw(link=link, actor=world.users["web_team"], reason="Avgått.")
    assert "Anna Andersson" not in client.get(reverse("public:list")).content.decode()


def test_public_list_is_not_cached_stale_after_publishing(client, world):
    """Publishing, unpublishing and closing change the ETag and the page at once."""
    web_team = world.users["web_team"]
    first = client.get(reverse("public:list"))
    channel_set_published(channel=world.other_channel, actor=web_team, published=True)
    second = client.get(reverse("public:list"))
    assert second["ETag"] != first["ETag"]
    assert world.other_channel.name in second.content.decode()
    channel_close(channel=world.other_channel, actor=web_team, reason="Ersatt.")
    third = client.get(reverse("public:list"))
    assert third["ETag"] not in (first["ETag"], second["ETag"])
    assert world.other_channel.name not in third.content.decode()


def test_public_list_etag_changes_when_a_unit_is_renamed(client, world):
    first = client.get(reverse("public:list"))
    world.unit.name = "Kulturförvaltningen"
    world.unit.save()
    second = client.get(reverse("public:list"))
    assert second["ETag"] != first["ETag"]
    assert "Kulturförvaltningen" in second.content.decode()


def test_public_list_answers_304_without_rendering(client, settings, world, django_assert_max_num_queries, monkeypatch):
    """A conditional request for an unchanged list is answered from two aggregate queries."""
    settings.RATELIMIT_ENABLED = False  # the limiter's own queries: tests/production/test_ratelimit.py
    first = client.get(reverse("public:list"))
    from registry.views import public as views_public

    monkeypatch.setattr(views_public, "render_to_string", lambda *a, **k: pytest.fail("rendered"))
    with django_assert_max_num_queries(2):
        response = client.get(reverse("public:list"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response["ETag"] == first["ETag"]
    response = client.get(reverse("public:list"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_public_list_query_count_is_constant(client, settings, world, django_assert_max_num_queries, catalogue):
    """An uncached request costs the same few queries with 10 or 60 channels."""
    settings.RATELIMIT_ENABLED = False  # the limiter's own queries: tests/production/test_ratelimit.py
    web_team = world.users["web_team"]
    for size in (10, 60):
        for index in range(size - Channel.objects.public().count()):
            unit = UnitFactory() if index % 3 == 0 else world.unit
            ChannelFactory(unit=unit, created_by=web_team, is_published=True)
        politician_link_set_published(link=_link(world), actor=web_team, published=True)
        for path in (reverse("public:list"), reverse("public:embed"), reverse("public:api_channels")):
            from django.core.cache import cache

            cache.clear()
            with django_assert_max_num_queries(4):
                assert client.get(path).status_code == 200
        assert Channel.objects.public().count() == size


def test_embed_may_be_framed_by_configured_origins_only(client, world, settings):
    """Only the embed may be framed, and only by the origins in EMBED_ALLOWED_ORIGINS."""
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.norsjo.se"]
    response = client.get(reverse("public:embed"), headers={"origin": "https://www.norsjo.se"})
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https://www.norsjo.se" in response["Content-Security-Policy"]
    assert response["Access-Control-Allow-Origin"] == "https://www.norsjo.se"
    other = client.get(reverse("public:embed"), headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    assert client.get(reverse("public:list"))["X-Frame-Options"] == "DENY"


def test_embed_may_not_be_framed_without_configured_origins(client, world, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    response = client.get(reverse("public:embed"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_public_page_sets_no_cookies(client, world):
    """No session or CSRF cookie: the page is the same for everyone and can be cached."""
    response = client.get(reverse("public:list"))
    assert not response.cookies


def test_public_list_json_ld_names_official_accounts(client, world):
    response = client.get(reverse("public:api_organisation"))
    data = response.json()
    assert data["@type"] == "GovernmentOrganization"
    assert data["sameAs"] == [world.channel.url]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/ld+json")


# -- The API --------------------------------------------------------------------------------


def test_api_channels_shape_and_headers(client, world):
    """The contract of PRODUCT.md: municipality, updated, channels with platform, name, url, unit, purpose."""
    response = client.get(reverse("public:api_channels"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"] and response["Last-Modified"]
    data = response.json()
    assert data["municipality"] == "Norsjö kommun"
    assert timezone.datetime.fromisoformat(data["updated"])
    assert data["channels"] == [
        {
            "platform": {"slug": "facebook", "name": "Facebook"},
            "name": world.channel.name,
            "url": world.channel.url,
            "handle": world.channel.handle,
            "unit": world.unit.name,
            "unit_slug": world.unit.slug,
            "purpose": world.channel.purpose,
            "audience": world.channel.audience,
        }
    ]


def test_api_channels_filters(client, world):
    web_team = world.users["web_team"]
    channel_set_published(channel=world.other_channel, actor=web_team, published=True)
    instagram = ChannelFactory(
        unit=world.other_unit,
        name="Socialtjänsten på Instagram",
        url="https://instagram.com/norsjo.social",
        platform=world.channel.platform.__class__.objects.get(slug="instagram"),
        is_published=True,
    )
    names = lambda response: [c["name"] for c in response.json()["channels"]]  # noqa: E731
    url = reverse("public:api_channels")
    assert len(names(client.get(url))) == 3
    assert names(client.get(url, {"unit": "social"})) == sorted([world.other_channel.name, instagram.name])
    assert names(client.get(url, {"platform": "instagram"})) == [instagram.name]
    assert names(client.get(url, {"platform": "instagram", "unit": "kultur"})) == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"platform": "myspace"}, "unknown_platform"),
        ({"unit": "finns-inte"}, "unknown_unit"),
        ({"format": "xml"}, "unknown_format"),
    ],
)
def test_api_channels_refuses_unknown_filters_with_400(client, world, params, code):
    response = client.get(reverse("public:api_channels"), params)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert response.json()["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_channels_answers_304_on_conditional_requests(client, settings, world, django_assert_max_num_queries):
    settings.RATELIMIT_ENABLED = False  # the limiter's own queries: tests/production/test_ratelimit.py
    url = reverse("public:api_channels")
    first = client.get(url)
    with django_assert_max_num_queries(2):
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # Filters and formats are different representations with their own ETags.
    assert client.get(url, {"unit": "kultur"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    # A change makes both validators stale.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        channel_set_published(channel=world.channel, actor=world.users["web_team"], published=False)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    assert client.get(url).json()["channels"] == []


def test_api_channels_if_modified_since_in_the_past_is_200(client, world):
    past = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(reverse("public:api_channels"), HTTP_IF_MODIFIED_SINCE=past).status_code == 200


@pytest.mark.parametrize("name", ["public:api_channels_csv", "public:api_channels"])
def test_api_channels_csv(client, world, name):
    params = {"format": "csv"} if name == "public:api_channels" else {}
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["platform"], row["name"], row["url"], row["unit"]) for row in rows] == [
        ("facebook", world.channel.name, world.channel.url, world.unit.name)
    ]
    assert response["ETag"] != client.get(reverse("public:api_channels"))["ETag"]


# -- Verification ---------------------------------------------------------------------------


@pytest.fixture
def official(world):
    """The municipality's main Facebook page, as registered."""
    return ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )


@pytest.mark.parametrize(
    "pasted",
    [
        "https://facebook.com/norsjokommun",
        "http://www.Facebook.com/NorsjoKommun/?ref=bookmarks",
        "m.facebook.com/norsjokommun",
    ],
)
def test_api_verify_official(client, official, pasted):
    """Normalised as at registration: every form of the address is the official channel."""
    response = client.get(reverse("public:api_verify"), {"url": pasted})
    data = response.json()
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["official"] is True and data["status"] == "official"
    assert data["url"] == "https://facebook.com/norsjokommun"
    assert data["channel"]["name"] == "Norsjö kommun"
    assert data["channel"]["unit"] == "Kultur- och fritidsförvaltningen"
    assert "officiell kanal" in data["message"]


@pytest.mark.parametrize(
    "pasted",
    ["https://facebook.com/norsjokommun1", "https://www.facebook.com/norsjo-kommun", "facebook.com/norsjo.kommun"],
)
def test_api_verify_lookalike_is_not_official(client, official, pasted):
    """An address that only resembles an official one is not official, and the answer says what it resembles."""
    data = client.get(reverse("public:api_verify"), {"url": pasted}).json()
    assert data["official"] is False and data["status"] == "unknown"
    assert data["channel"] is None
    assert [c["url"] for c in data["similar"]] == ["https://facebook.com/norsjokommun"]


def test_api_verify_unknown(client, official):
    data = client.get(reverse("public:api_verify"), {"url": "https://youtube.com/@nagonannan"}).json()
    assert data == data | {"official": False, "status": "unknown", "channel": None}
    assert "similar" not in data


def test_api_verify_closed_channel_is_no_longer_official(client, world, official):
    channel_close(channel=official, actor=world.users["web_team"], reason="Ersatt.")
    data = client.get(reverse("public:api_verify"), {"url": official.url}).json()
    assert data["official"] is False and data["status"] == "closed"
    assert data["channel"]["closed_on"] == timezone.localdate().isoformat()
    assert "stängdes" in data["message"]


def test_api_verify_active_unlisted_and_paused_are_official(client, world):
    """Official means the municipality's account: active or paused, listed or not."""
    web_team = world.users["web_team"]
    data = client.get(reverse("public:api_verify"), {"url": world.other_channel.url}).json()
    assert data["official"] is True and data["channel"]["listed"] is False
    channel_pause(channel=world.other_channel, actor=web_team)
    assert client.get(reverse("public:api_verify"), {"url": world.other_channel.url}).json()["official"] is True


def test_api_verify_proposed_channel_is_not_official(client, world):
    data = client.get(reverse("public:api_verify"), {"url": world.proposed.url}).json()
    assert data["official"] is False and data["status"] == "unknown"


def test_api_verify_politician_link_is_not_the_municipalitys(client, world):
    link = _link(world)
    politician_link_set_published(link=link, actor=world.users["web_team"], published=True)
    data = client.get(reverse("public:api_verify"), {"url": "annasblogg.blogspot.com"}).json()
    assert data["official"] is False and data["status"] == "politician"
    assert data["politician_link"]["politician"] == "Anna Andersson"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "required"),
        ({"url": "   "}, "required"),
        ({"url": "inte en adress"}, "invalid_url"),
        ({"url": "x" * 600}, "too_long"),
    ],
)
def test_api_verify_malformed_is_400(client, world, params, code):
    response = client.get(reverse("public:api_verify"), params)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert response.json()["message"]


def test_verify_page_answers_in_swedish(client, official):
    html = client.get(reverse("public:verify"), {"url": "facebook.com/norsjokommun"}).content.decode()
    assert "Ja. Det här är en officiell kanal" in html
    html = client.get(reverse("public:verify"), {"url": "facebook.com/norsjokommun1"}).content.decode()
    assert "Nej." in html and "falskt konto" in html
    html = client.get(reverse("public:verify"), {"url": "inte en adress"}).content.decode()
    assert 'aria-invalid="true"' in html and "inte en giltig webbadress" in html


# -- The web team's screens -------------------------------------------------------------------


def test_preview_shows_what_the_public_sees(client, world):
    client.force_login(world.users["web_team"])
    html = client.get(reverse("registry:public_preview")).content.decode()
    assert world.channel.name in html
    assert world.other_channel.name not in html


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


def test_documentation_upload_and_download(client, world):
    client.force_login(world.users["web_team"])
    response = client.post(
        reverse("registry:documentation_create", kwargs={"pk": world.channel.pk}),
        {
            "files": [upload("forsta.png", PNG), upload("andra.PDF", PDF)],
            "documented_on": timezone.localdate().isoformat(),
            "reason": "before_change",
            "note": "Inför ny profilbild.",
        },
    )
    assert response.status_code == 302
    documentation = Documentation.objects.get(channel=world.channel)
    assert documentation.reason == "before_change"
    files = list(documentation.files.order_by("pk"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("forsta.png", "image/png"),
        ("andra.PDF", "application/pdf"),
    ]
    import hashlib

    assert files[0].sha256 == hashlib.sha256(PNG).hexdigest()
    download = client.get(files[0].get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert "sandbox" in download["Content-Security-Policy"]
    # The channel page shows the latest documentation.
    html = client.get(world.channel.get_absolute_url()).content.decode()
    assert "forsta.png" in html and files[0].sha256 in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skarm.png", EXE, "inte en PNG-, JPEG- eller PDF-fil"),
        ("program.exe", EXE, "inte en PNG-, JPEG- eller PDF-fil"),
        ("skarm.pdf", PNG, "inte stämmer med filens namn"),
        ("skarm.png", PDF, "inte stämmer med filens namn"),
        ("skarm.txt", PNG, "måste heta"),
    ],
)
def test_documentation_upload_refuses_wrong_content(client, world, name, content, message):
    """A renamed executable or content not matching the extension is refused with a clear message."""
    client.force_login(world.users["web_team"])
    response = client.post(
        reverse("registry:documentation_create", kwargs={"pk": world.channel.pk}),
        {
            "files": [upload("ok.png", PNG), upload(name, content)],
            "documented_on": timezone.localdate().isoformat(),
            "reason": "yearly",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Documentation.objects.exists() and not DocumentationFile.objects.exists()


def test_documentation_upload_refuses_oversized_file(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world.users["web_team"])
    response = client.post(
        reverse("registry:documentation_create", kwargs={"pk": world.channel.pk}),
        {
            "files": [upload("stor.png", PNG + b"\x00" * 2048)],
            "documented_on": timezone.localdate().isoformat(),
            "reason": "yearly",
        },
    )
    assert response.status_code == 200
    assert "är för stor" in response.content.decode()
    assert not Documentation.objects.exists()


def test_documentation_upload_requires_a_file(client, world):
    client.force_login(world.users["web_team"])
    response = client.post(
        reverse("registry:documentation_create", kwargs={"pk": world.channel.pk}),
        {"documented_on": timezone.localdate().isoformat(), "reason": "yearly"},
    )
    assert response.status_code == 200 and not Documentation.objects.exists()


def test_close_page_asks_for_final_documentation(client, world):
    client.force_login(world.users["web_team"])
    html = client.get(reverse("registry:channel_close", kwargs={"pk": world.channel.pk})).content.decode()
    create = reverse("registry:documentation_create", kwargs={"pk": world.channel.pk})
    assert f"{create}?reason=before_closing" in html
    close = reverse("registry:channel_close", kwargs={"pk": world.channel.pk})
    response = client.post(
        create + "?reason=before_closing",
        {
            "files": [upload("sista.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32)],
            "documented_on": timezone.localdate().isoformat(),
            "reason": "before_closing",
            "next": close,
        },
    )
    assert response.status_code == 302 and response["Location"] == close
    assert "sista.jpg" not in html
    assert Documentation.objects.get().reason == "before_closing"


def test_documentation_next_refuses_other_hosts(client, world):
    client.force_login(world.users["web_team"])
    response = client.post(
        reverse("registry:documentation_create", kwargs={"pk": world.channel.pk}),
        {
            "files": [upload("a.png", PNG)],
            "documented_on": timezone.localdate().isoformat(),
            "reason": "yearly",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_documentation_overdue_lists_missing_and_old(client, world):
    web_team = world.users["web_team"]
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        documentation_record(channel=world.other_channel, actor=web_team, files=[upload("a.png", PNG)])
    documentation_record(channel=world.channel, actor=web_team, files=[upload("b.png", PNG)])
    client.force_login(web_team)
    html = client.get(reverse("registry:documentation_overdue")).content.decode()
    assert world.other_channel.name in html
    assert world.channel.name not in html


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


@pytest.mark.parametrize(
    "path",
    [
        "/sociala-medier/",
        "/sociala-medier/?group=platform",
        "/sociala-medier/inbaddning/",
        "/sociala-medier/kontrollera/",
        "/sociala-medier/kontrollera/?url=facebook.com/norsjokommun1",
        "/sociala-medier/kontrollera/?url=inte+en+adress",
        "/sociala-medier/tillganglighet/",
    ],
)
def test_public_pages_are_valid_html(client, world, official, path):
    """Each public page parses without a single error by the WHATWG algorithm, with unique ids."""
    import html5lib

    link = _link(world)
    politician_link_set_published(link=link, actor=world.users["web_team"], published=True)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().lower().startswith("<!doctype html>")
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), ids


def test_api_lists_only_published_active_channels(client, world):
    """Unpublished, proposed, paused and closed channels never reach the API."""
    web_team = world.users["web_team"]
    paused = ChannelFactory(unit=world.unit, name="Pausad", is_published=True)
    channel_pause(channel=paused, actor=web_team)
    closed = ChannelFactory(unit=world.unit, name="Stängd", is_published=True)
    channel_close(channel=closed, actor=web_team, reason="Ersatt.")
    names = [channel["name"] for channel in client.get(reverse("public:api_channels")).json()["channels"]]
    assert names == [world.channel.name]


def test_public_list_answers_head(client, world):
    response = client.head(reverse("public:api_channels"))
    assert response.status_code == 200 and response["ETag"]


def test_api_gzip_is_a_separate_representation(client, world):
    """Clients that accept gzip get the cached gzipped body, with its own ETag."""
    import gzip
    import json

    url = reverse("public:api_channels")
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert zipped["ETag"] != plain["ETag"]
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304
