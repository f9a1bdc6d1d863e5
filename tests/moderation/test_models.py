"""Immutability of the moderation log on every path: ORM, querysets, raw SQL, admin, forms."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from moderation import triggers
from moderation.models import (
    DisposedRecord,
    RecordRead,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
)

from .conftest import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(log_removal):
    return log_removal(attachments=[png_upload()])


def test_record_save_refuses_update(record):
    record.channel_name = "Ändrat"
    with pytest.raises(TypeError):
        record.save()
    content = record.content
    content.text = "ändrad"
    with pytest.raises(TypeError):
        content.save()
    attachment = record.attachments.get()
    attachment.original_name = "x.png"
    with pytest.raises(TypeError):
        attachment.save()


@pytest.mark.parametrize("model", [RemovedComment, RemovedCommentContent, RemovedCommentAttachment, RecordRead])
def test_querysets_refuse_update_and_delete(record, model):
    with pytest.raises(TypeError):
        model.objects.all().update(pk=1)
    with pytest.raises(TypeError):
        model.objects.all().delete()


def test_instances_refuse_delete(record):
    for obj in (record, record.content, record.attachments.get()):
        with pytest.raises(TypeError):
            obj.delete()


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE moderation_removedcomment SET channel_name = 'x' WHERE id = %s",
        "DELETE FROM moderation_removedcomment WHERE id = %s",
        "UPDATE moderation_removedcommentcontent SET text = 'x' WHERE record_id = %s",
        "DELETE FROM moderation_removedcommentcontent WHERE record_id = %s",
        "UPDATE moderation_removedcommentattachment SET sha256 = 'x' WHERE record_id = %s",
        "DELETE FROM moderation_removedcommentattachment WHERE record_id = %s",
    ],
)
def test_database_refuses_raw_sql_changes(record, sql):
    """The triggers refuse UPDATE and DELETE on this database (run on SQLite and PostgreSQL)."""
    with pytest.raises(DatabaseError, match="moderation log"):
        _raw(sql, [record.pk])
    record.refresh_from_db()
    assert record.content.text == "Du är en idiot och borde skämmas."


def test_database_allows_deleting_content_only_after_disposal(record, world):
    """The disposal service's path: write the disposal row first, then delete content and files' rows."""
    with transaction.atomic():
        DisposedRecord.objects.create(
            record=record,
            disposed_at=timezone.now(),
            disposed_by=world.users["archivist"],
            decision_reference="KS 2026/12",
        )
        RemovedCommentAttachment.objects.filter(record=record)._raw_delete(connection.alias)
        RemovedCommentContent.objects.filter(record=record)._raw_delete(connection.alias)
    assert not RemovedCommentContent.objects.filter(record=record).exists()
    # The record stays, and the chain still verifies.
    from moderation import integrity

    assert list(integrity.verify()) == []
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM moderation_removedcomment WHERE id = %s", [record.pk])
    with pytest.raises(DatabaseError):
        _raw("UPDATE moderation_disposedrecord SET decision_reference = 'x' WHERE record_id = %s", [record.pk])


def test_triggers_are_installed_after_all_migrations():
    """A later migration that remakes a table on SQLite would drop its triggers: this notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'moderation_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'moderation_%' AND NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    # + the tree nodes' triggers (issue 12): two on SQLite, one on PostgreSQL
    expected = 12 if connection.vendor == "sqlite" else 8
    assert len(names) == expected, names
    triggers.install(connection)  # idempotent


def test_admin_is_read_only(client, world, record):
    client.force_login(world.users["admin"])
    changelist = client.get(reverse("admin:moderation_removedcomment_changelist"))
    assert changelist.status_code == 200
    change_url = reverse("admin:moderation_removedcomment_change", args=[record.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(change_url, {"channel_name": "Ändrat"})
    assert response.status_code == 403
    assert client.get(reverse("admin:moderation_removedcomment_delete", args=[record.pk])).status_code == 403
    assert client.get(reverse("admin:moderation_removedcomment_add")).status_code == 403
    assert b"borde sk" not in page.content, "the comment's content is not in the admin"
    record.refresh_from_db()
    assert record.channel_name == "Norsjö bibliotek"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_record_page_refuses_changes(client, world, record, method):
    """No form or method changes a record: the detail page answers only GET."""
    client.force_login(world.users["web_team"])
    response = getattr(client, method)(reverse("moderation:record_detail", args=[record.pk]), {"text": "x"})
    assert response.status_code == 405
