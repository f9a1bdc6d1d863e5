"""registry.views.public: the public list, its API and verification (no sign-in), and the web team's preview."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from registry.models import Channel, Platform, PoliticianLink
from registry.selectors import public as public_selectors
from registry.services.channels import channel_close, channel_pause, channel_set_published
from registry.services.politician_links import (
    politician_link_register,
    politician_link_set_published,
    politician_link_withdraw,
)

from ...factories import ChannelFactory, UnitFactory
from ...matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db


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


def _similar(client, url: str) -> list[str]:
    return [
        channel["url"] for channel in client.get(reverse("public:api_verify"), {"url": url}).json().get("similar", [])
    ]


@pytest.fixture
def official(world):
    return ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )


PUBLIC = expect(200, anonymous=200)

MATRIX = [
    Row("public:list", PUBLIC),
    Row("public:embed", PUBLIC),
    Row("public:verify", PUBLIC),
    Row("public:verify", PUBLIC, data=lambda w: {"url": w.channel.url}),
    Row("public:accessibility", PUBLIC),
    Row("public:comment_policy", PUBLIC),
    Row("public:api_channels", PUBLIC),
    Row("public:api_channels_csv", PUBLIC),
    Row("public:api_organisation", PUBLIC),
    Row("public:api_verify", PUBLIC, data=lambda w: {"url": w.channel.url}),
    Row("public:api_verify", expect(400, anonymous=400)),
    Row("public:api_channels", expect(405, anonymous=405), method="post"),
    Row("registry:public_preview", only({"web_team": 200})),
]


def test_lookalikes_never_show_unpublished_channels(client, world):
    """An active channel not on the public list is never shown to an anonymous caller as a lookalike."""
    ChannelFactory(unit=world.unit, url="https://facebook.com/norsjohemlig", handle="norsjohemlig")
    assert _similar(client, "facebook.com/norsjohemllg") == []
    html = client.get(reverse("public:verify"), {"url": "facebook.com/norsjohemllg"}).content.decode()
    assert "norsjohemlig" not in html


def test_lookalikes_never_show_paused_or_closed_channels(client, world):
    web_team = world.users["web_team"]
    paused = ChannelFactory(
        unit=world.unit, url="https://facebook.com/pausadsida", handle="pausadsida", is_published=True
    )
    channel_pause(channel=paused, actor=web_team)
    closed = ChannelFactory(
        unit=world.unit, url="https://facebook.com/stangdsida", handle="stangdsida", is_published=True
    )
    channel_close(channel=closed, actor=web_team, reason="Ersatt.")
    assert _similar(client, "facebook.com/pausadsida1") == []
    assert _similar(client, "facebook.com/stangdsida1") == []


@pytest.mark.parametrize(
    "pasted",
    [
        "facebook.com/norsj0kommun",  # a zero for an o
        "facebook.com/n0rsjo_kommun",
        "facebook.com/norsjokornmun",  # rn for m
        "facebook.com/NORSJOKOMMUN.1",
        "facebook.com/norsjokommunn",  # differs at the end: found by the key's start
        "facebook.com/xnorsjokommun",  # differs at the start: found by the key's end
        "facebook.com/nоrsjokommun",  # a Cyrillic о
    ],
)
def test_lookalikes_are_found(client, official, pasted):
    assert _similar(client, pasted) == [official.url]


def test_lookalikes_are_per_platform(client, official):
    assert _similar(client, "instagram.com/norsj0kommun") == []


def test_lookup_is_bounded(client, world, monkeypatch, django_assert_max_num_queries, settings):
    """However many channels share a stem, at most LOOKALIKE_CANDIDATES are compared, in a few queries."""
    settings.RATELIMIT_ENABLED = False  # its queries are pinned in tests/production/test_ratelimit.py
    platform = Platform.objects.get(slug="facebook")
    Channel.objects.bulk_create(
        Channel(
            platform=platform,
            name=f"Kanal {n}",
            url=f"https://facebook.com/norsjo{n:04d}",
            handle=f"norsjo{n:04d}",
            unit=world.unit,
            purpose="P",
            audience="A",
            status=Channel.Status.ACTIVE,
            is_published=True,
            created_by=world.users["web_team"],
        )
        for n in range(300)
    )
    monkeypatch.setattr(public_selectors, "LOOKALIKE_CANDIDATES", 50)
    compared = []
    original = public_selectors._looks_alike
    monkeypatch.setattr(
        public_selectors, "_looks_alike", lambda key, other: compared.append(other) or original(key, other)
    )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("public:api_verify"), {"url": "facebook.com/norsjo" + "q" * 400})
    assert response.status_code == 200
    assert 0 < len(compared) <= 50


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/sociala-medier/", "text/html"),
        ("/sociala-medier/?group=platform", "text/html"),
        ("/sociala-medier/inbaddning/", "text/html"),
        ("/sociala-medier/kontrollera/", "text/html"),
        ("/sociala-medier/kontrollera/?url=facebook.com/norsjo", "text/html"),
        ("/sociala-medier/tillganglighet/", "text/html"),
        ("/api/v1/channels/", "application/json"),
        ("/api/v1/channels/?format=csv", "text/csv"),
        ("/api/v1/channels/?format=xml", "application/json"),  # the 400 answer
        ("/api/v1/channels/?platform=nope", "application/json"),
        ("/api/v1/channels.csv", "text/csv"),
        ("/api/v1/organisation.jsonld", "application/ld+json"),
        ("/api/v1/verify/?url=facebook.com/norsjo", "application/json"),
        ("/api/v1/verify/", "application/json"),  # the 400 answer
    ],
)
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_public_responses_name_their_charset(client, world, path, media_type, encoding):
    """Every public response, HTML, JSON, JSON-LD or CSV, gzipped or not, says it is UTF-8."""
    response = client.get(path, HTTP_ACCEPT_ENCODING=encoding)
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"


def test_public_csv_neutralises_formulas(client, world):
    """A name or purpose a spreadsheet would run as a formula reaches the CSV inert, as in the moderation exports."""
    ChannelFactory(
        unit=world.unit,
        name='=HYPERLINK("https://evil.example","Klicka")',
        handle="@norsjo",
        purpose="+46 70 123 45 67",
        audience="-Alla",
        is_published=True,
    )
    for name, query in (("public:api_channels_csv", {}), ("public:api_channels", {"format": "csv"})):
        rows = list(csv.DictReader(io.StringIO(client.get(reverse(name), query).content.decode())))
        row = next(row for row in rows if "HYPERLINK" in row["name"])
        assert row["name"] == '\'=HYPERLINK("https://evil.example","Klicka")'
        assert row["handle"] == "'@norsjo"
        assert row["purpose"] == "'+46 70 123 45 67"
        assert row["audience"] == "'-Alla"
        assert row["url"].startswith("https://")


@params(MATRIX)
def test_public_permission_matrix(client, world, row, role):
    """Every public URL, and the web team's preview, answers every role as the matrix says."""
    run_row(client, world, row, role)


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


def test_preview_shows_what_the_public_sees(client, world):
    client.force_login(world.users["web_team"])
    html = client.get(reverse("registry:public_preview")).content.decode()
    assert world.channel.name in html
    assert world.other_channel.name not in html


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


# -- The comment policy (4:10) ------------------------------------------------------------------


def test_comment_policy_lists_categories_a_to_h_and_how_to_ask_for_a_copy(client, world):
    html = client.get(reverse("public:comment_policy")).content.decode()
    for label in (
        "a. förtal",
        "b. hets mot folkgrupp",
        "c. olovliga",
        "d. uppmaningar",
        "e. olovligt",
        "f. svordomar",
        "g. kommersiella",
        "h. sekretessbelagda",
    ):
        assert label in html, label
    assert "allmän handling" in html and "kopia" in html


def test_comment_policy_is_linked_from_the_list_and_the_embed(client, world):
    policy = reverse("public:comment_policy")
    assert policy in client.get(reverse("public:list")).content.decode()
    assert policy in client.get(reverse("public:embed")).content.decode()


def test_api_gives_the_comment_policy_as_an_absolute_url(client, world, settings):
    settings.SITE_URL = "https://kanaler.norsjo.se/"
    data = client.get(reverse("public:api_channels")).json()
    assert data["comment_policy_url"] == "https://kanaler.norsjo.se/sociala-medier/kommentarsregler/"
