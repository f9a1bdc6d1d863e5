"""registry.views.impostor_reports: the public's report of a fake account and the web team's queue."""

import pytest
from django.urls import reverse

from registry.models import HistoryEntry, ImpostorReport
from registry.selectors.impostor_reports import impostor_reports_home
from registry.services.impostor_reports import impostor_report_receive

from ...factories import ChannelFactory
from ...matrix import Row, expect, only, params, run_row

pytestmark = pytest.mark.django_db

PUBLIC = expect(200, anonymous=200)
LOOKALIKE = "https://facebook.com/norsj0kommun"


def _report(world):
    return impostor_report_receive(url="https://facebook.com/falska.biblioteket", note="Ber om kortnummer.")


MATRIX = [
    Row("public:report", PUBLIC),
    Row("public:report", PUBLIC, data=lambda w: {"url": LOOKALIKE}),
    # A submission with the address missing: the form again, with the message, for everyone.
    Row("public:report", PUBLIC, method="post", data=lambda w: {"url": ""}),
    Row("public:report_thanks", PUBLIC),
    Row("registry:impostor_report_list", only({"web_team": 200})),
    Row(
        "registry:impostor_report_detail", only({"web_team": 200}, default=404), kwargs=lambda w: {"pk": _report(w).pk}
    ),
    Row(
        "registry:impostor_report_detail",
        only({"web_team": 302}, default=404),
        method="post",
        kwargs=lambda w: {"pk": _report(w).pk},
        data=lambda w: {"outcome": "reported", "note": "Anmält till Meta."},
    ),
]


@params(MATRIX)
def test_impostor_reports_permission_matrix(client, world, row, role):
    """Anyone reports without signing in; only the web team sees and settles reports (404 for others)."""
    run_row(client, world, row, role)


@pytest.fixture
def official(world):
    return ChannelFactory(
        unit=world.unit,
        name="Norsjö kommun",
        url="https://facebook.com/norsjokommun",
        handle="norsjokommun",
        is_published=True,
    )


def test_verify_page_offers_a_report_for_an_unknown_address_with_a_lookalike(client, official):
    """The answer "unknown" with a lookalike warning links the report form with the address filled in."""
    html = client.get(reverse("public:verify"), {"url": LOOKALIKE}).content.decode()
    assert reverse("public:report") + "?url=https%3A//facebook.com/norsj0kommun" in html
    html = client.get(reverse("public:verify"), {"url": official.url}).content.decode()
    assert reverse("public:report") not in html


def test_a_citizen_reports_and_the_lookalike_is_kept(client, official):
    response = client.post(
        reverse("public:report"), {"url": LOOKALIKE, "note": "Utlovar vinster.", "contact": "", "website": ""}
    )
    assert response.status_code == 302
    assert not response.cookies, "the public form sets no cookies"
    report = ImpostorReport.objects.get()
    assert report.url == LOOKALIKE and report.note == "Utlovar vinster." and report.is_open
    assert list(report.resembles.all()) == [official]
    assert "Norsjö kommun" in report.resembles_text
    assert HistoryEntry.objects.of(report).get().action == "impostor_report.received"


def test_the_honeypot_answers_as_accepted_but_stores_nothing(client, official):
    response = client.post(reverse("public:report"), {"url": LOOKALIKE, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == reverse("public:report_thanks")
    assert not ImpostorReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": ""}, "Skriv adressen"),
        ({"url": "inte en adress"}, "adress"),
        ({"url": "https://facebook.com/norsjokommun"}, "officiell kanal"),
        ({"url": LOOKALIKE, "note": "x" * 2001}, "2000"),
        ({"url": LOOKALIKE, "contact": "y" * 201}, "200"),
    ],
)
def test_bad_input_gets_a_swedish_message_and_keeps_what_was_typed(client, official, data, message):
    """Never a 500: the page comes back with a message in Swedish and the fields as typed."""
    data = {"note": "Min anteckning", "contact": "070-123 45 67"} | data
    response = client.post(reverse("public:report"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    if data["url"]:
        assert f'value="{data["url"]}"' in html
    if data["contact"] == "070-123 45 67":
        assert "070-123 45 67" in html
    assert not ImpostorReport.objects.exists()


def test_a_flood_from_one_client_gets_429_and_nothing_accepted_is_lost(client, official, settings):
    settings.RATELIMIT_RATES = settings.RATELIMIT_RATES | {"report": "3/h"}
    url = reverse("public:report")
    for n in range(3):
        assert client.get(url).status_code == 200  # reading the form does not count
        assert client.post(url, {"url": f"https://facebook.com/falsk{n}norsjo"}).status_code == 302
    refused = client.post(url, {"url": "https://facebook.com/falsk9norsjo"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "för många" in refused.content.decode()
    assert ImpostorReport.objects.count() == 3


def test_web_team_sees_the_queue_on_its_start_page_and_settles_a_report(client, world, official):
    report = impostor_report_receive(url=LOOKALIKE, note="Falsk tävling.")
    client.force_login(world.users["web_team"])
    html = client.get(reverse("home")).content.decode()
    assert report.get_absolute_url() in html and "Norsjö kommun" in html
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "Falsk tävling." in detail and "Norsjö kommun" in detail
    response = client.post(report.get_absolute_url(), {"outcome": "reported", "note": "Ärende 123 hos Meta."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.outcome == ImpostorReport.Outcome.REPORTED and report.settled_by == world.users["web_team"]
    assert report.get_absolute_url() not in client.get(reverse("home")).content.decode()
    assert "Ärende 123 hos Meta." in client.get(report.get_absolute_url()).content.decode()


def test_a_duplicate_needs_the_earlier_report(client, world, official):
    first = impostor_report_receive(url=LOOKALIKE)
    second = impostor_report_receive(url=LOOKALIKE)
    client.force_login(world.users["web_team"])
    response = client.post(second.get_absolute_url(), {"outcome": "duplicate"})
    assert response.status_code == 200 and "Välj den anmälan" in response.content.decode()
    response = client.post(second.get_absolute_url(), {"outcome": "duplicate", "duplicate_of": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of == first


def test_others_do_not_see_the_queue_on_their_start_page(client, world):
    _report(world)
    for role in ("employee", "writer", "manager", "archivist"):
        client.force_login(world.users[role])
        assert reverse("registry:impostor_report_list") not in client.get(reverse("home")).content.decode()


def test_the_start_page_counts_every_waiting_report_beyond_those_shown(world):
    reports = [impostor_report_receive(url=f"https://facebook.com/falsk{n}") for n in range(4)]
    home = impostor_reports_home(world.users["web_team"], limit=3)
    assert home["count"] == 4
    assert home["reports"] == reports[:3]  # the queue, oldest first
