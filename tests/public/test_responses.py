"""What every public response says about itself: its character set, and inert spreadsheet cells."""

import csv
import io

import pytest
from django.urls import reverse

from ..factories import ChannelFactory

pytestmark = pytest.mark.django_db


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
    for name, params in (("public:api_channels_csv", {}), ("public:api_channels", {"format": "csv"})):
        rows = list(csv.DictReader(io.StringIO(client.get(reverse(name), params).content.decode())))
        row = next(row for row in rows if "HYPERLINK" in row["name"])
        assert row["name"] == '\'=HYPERLINK("https://evil.example","Klicka")'
        assert row["handle"] == "'@norsjo"
        assert row["purpose"] == "'+46 70 123 45 67"
        assert row["audience"] == "'-Alla"
        assert row["url"].startswith("https://")
