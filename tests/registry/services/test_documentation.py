"""registry.services.documentation: screenshots of a channel, checked by content, with checksums (4:8)."""

import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry.models import Documentation, DocumentationFile, HistoryEntry
from registry.services.channels import channel_close
from registry.services.documentation import documentation_record

from ..conftest import EXE, PNG, upload

pytestmark = pytest.mark.django_db


def test_documentation_record_keeps_checksum_and_history(world):
    documentation = documentation_record(
        channel=world.channel,
        actor=world.users["web_team"],
        files=[upload("skarm.png", PNG)],
        reason=Documentation.Reason.BEFORE_CHANGE,
    )
    record = documentation.files.get()
    import hashlib

    assert record.sha256 == hashlib.sha256(PNG).hexdigest()
    assert record.size == len(PNG)
    assert record.file.name.startswith(f"documentation/{world.channel.pk}/") and record.file.name.endswith(".png")
    assert "skarm" not in record.file.name  # the stored name never comes from the uploader
    assert HistoryEntry.objects.filter(action="channel.documented", object_id=world.channel.pk).exists()


def test_documentation_record_refuses_bad_file_and_saves_nothing(world, settings):
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(
            channel=world.channel,
            actor=world.users["web_team"],
            files=[upload("ok.png", PNG), upload("virus.png", EXE)],
        )
    assert excinfo.value.code == "wrong_type"
    assert not Documentation.objects.exists() and not DocumentationFile.objects.exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _, _, files in os.walk(media))


@pytest.mark.parametrize("role", ["manager", "writer", "employee", "archivist"])
def test_documentation_record_belongs_to_the_web_team(world, role):
    with pytest.raises(PermissionDenied):
        documentation_record(channel=world.channel, actor=world.users[role], files=[upload("a.png", PNG)])


def test_documentation_record_refuses_closed_channel_and_no_files(world):
    web_team = world.users["web_team"]
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(channel=world.channel, actor=web_team, files=[])
    assert excinfo.value.code == "files_required"
    channel_close(channel=world.channel, actor=web_team, reason="Ersatt.")
    world.channel.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        documentation_record(channel=world.channel, actor=web_team, files=[upload("a.png", PNG)])
    assert excinfo.value.code == "not_documentable"
