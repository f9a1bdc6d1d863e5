"""registry.views.documentation: uploading and reading screenshots (4:8)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from registry.models import Documentation, DocumentationFile
from registry.services.documentation import documentation_record

from ...matrix import Row, only, params, run_row
from ..conftest import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def _pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def _file_pk(world):
    record = DocumentationFile.objects.filter(documentation__channel=world.channel).first()
    if record is None:
        documentation_record(channel=world.channel, actor=world.users["web_team"], files=[upload("skarm.png", PNG)])
        record = DocumentationFile.objects.get(documentation__channel=world.channel)
    return {"pk": record.pk}


def _documentation_post(world):
    return {
        "files": [upload("skarm.png", PNG)],
        "documented_on": timezone.localdate().isoformat(),
        "reason": "yearly",
    }


WEB_TEAM_ONLY = only({"web_team": 200})
# Screenshots: the web team, the channel's unit's managers and its writers (permissions.can_see_documentation).
DOCUMENTATION_READERS = {"web_team": 200, "manager": 200, "writer": 200}

MATRIX = [
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
]


@params(MATRIX)
def test_documentation_permission_matrix(client, world, row, role):
    """Every screenshot URL answers every role as the matrix says."""
    run_row(client, world, row, role)


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
