"""Disposal (gallring, 4:7): retention at the Stockholm day boundary, all-or-nothing, the sweep of orphaned files."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from moderation import integrity
from moderation.models import (
    DisposalRun,
    DisposedRecord,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
)
from moderation.selectors import archive as archive_selectors
from moderation.services import decisions as decision_services
from moderation.services import disposal as disposal_services
from moderation.services import holds as hold_services
from moderation.services import log as log_services
from norsjo import dates

from .conftest import (
    BEFORE_10_MARCH_2026,
    EARLY_ON_11_MARCH,
    LATE_ON_10_MARCH,
    ON_10_MARCH_2026,
    ON_11_MARCH_2026,
    due_ids,
    png_upload,
)

pytestmark = pytest.mark.django_db


def test_add_months_and_cutoff_at_month_ends():
    assert dates.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert dates.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert disposal_services.retention_cutoff(date(2026, 3, 10), 12) == date(2025, 3, 10)
    # On 28 February every record removed 29-31 January has been kept its month.
    assert disposal_services.retention_cutoff(date(2025, 2, 28), 1) == date(2025, 1, 31)
    for removed in (date(2025, 1, 29), date(2025, 1, 31)):
        assert dates.add_months(removed, 1) <= date(2025, 2, 28)


def test_nothing_is_disposed_of_without_a_decision_in_force(world, logged_at, archivist):
    logged_at(LATE_ON_10_MARCH)
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        preview = disposal_services.disposal_preview()
        assert preview.decision is None and preview.count == 0
        with pytest.raises(ValidationError) as excinfo:
            disposal_services.disposal_apply(actor=archivist)
    assert excinfo.value.code == "no_decision"
    assert RemovedCommentContent.objects.count() == 1


def test_decision_not_yet_in_force_disposes_nothing(world, logged_at, archivist):
    logged_at(LATE_ON_10_MARCH)
    decision_services.decision_register(
        actor=archivist,
        reference="KS 2026/99",
        deciding_body="Kommunstyrelsen",
        decided_on=date(2026, 3, 1),
        in_force_from=date(2026, 4, 1),
        in_force_until=None,
        scope="Alla.",
        retention={"a": 1},
    )
    assert due_ids(ON_11_MARCH_2026) == []


def test_retention_runs_out_at_midnight_in_stockholm(world, logged_at, decision):
    """Removed late on 10 March (Stockholm), kept 12 months: due from 00:00 on 10 March a year later."""
    late = logged_at(LATE_ON_10_MARCH)
    early_next_day = logged_at(EARLY_ON_11_MARCH)
    assert due_ids(BEFORE_10_MARCH_2026) == []
    assert due_ids(ON_10_MARCH_2026) == [late.pk]
    assert due_ids(ON_11_MARCH_2026) == [late.pk, early_next_day.pk]


def test_categories_outside_the_decision_are_never_disposed_of(world, logged_at, decision):
    logged_at(LATE_ON_10_MARCH, category="b")
    assert due_ids(datetime(2030, 1, 1, tzinfo=UTC)) == []


def test_each_category_has_its_own_retention(world, logged_at, decision):
    insult = logged_at(LATE_ON_10_MARCH, category="a")
    secret = logged_at(LATE_ON_10_MARCH, category="h")
    assert due_ids(ON_11_MARCH_2026) == [insult.pk]
    assert due_ids(datetime(2027, 3, 10, 23, 1, tzinfo=UTC)) == [insult.pk, secret.pk]


def test_disposal_leaves_a_tombstone_that_still_verifies(
    world, logged_at, decision, archivist, django_capture_on_commit_callbacks
):
    """Content, author data and screenshots go (rows and files); the record and its hash stay."""
    record = logged_at(LATE_ON_10_MARCH, attachments=[png_upload()])
    kept = logged_at(datetime(2026, 1, 5, 12, tzinfo=UTC))

    with time_machine.travel(LATE_ON_10_MARCH + timedelta(days=2), tick=False):
        addendum = log_services.addendum_add(actor=world.users["web_team"], original=record, explanation="Tillägg.")
    stored = Path(settings.MEDIA_ROOT) / RemovedCommentAttachment.objects.get(record=record).file.name
    assert stored.exists()
    with time_machine.travel(ON_11_MARCH_2026, tick=False), django_capture_on_commit_callbacks(execute=True):
        preview = disposal_services.disposal_preview()
        assert preview.original_ids == [record.pk] and preview.addendum_ids == [addendum.pk]
        run = disposal_services.disposal_apply(actor=archivist, expected_fingerprint=preview.fingerprint)
    assert (run.record_count, run.file_count, run.decision) == (2, 1, decision)
    assert not stored.exists(), "the screenshot file is gone from storage"
    assert not RemovedCommentContent.objects.filter(record__in=[record, addendum]).exists()
    assert not RemovedCommentAttachment.objects.filter(record=record).exists()
    assert RemovedCommentContent.objects.filter(record=kept).exists()
    tombstone = RemovedComment.objects.get(pk=record.pk)
    assert tombstone.record_hash == record.record_hash and tombstone.category == "a"
    disposal = DisposedRecord.objects.get(record=record)
    assert (disposal.decision_reference, disposal.run, disposal.disposed_by) == ("KS 2025/17", run, archivist)
    assert list(integrity.verify()) == []
    call_command("verify_moderation_log")
    found = archive_selectors.disposal_log(text="KS 2025/17").values_list("record_id", flat=True)
    assert list(found) == [addendum.pk, record.pk]
    assert list(archive_selectors.disposal_log(text=f"#{record.sequence}").values_list("record_id", flat=True)) == [
        record.pk
    ]
    assert due_ids(ON_11_MARCH_2026) == [], "a disposed record is not disposed of twice"


@pytest.mark.parametrize("fail_at", ["second_batch", "history"])
def test_a_failure_halfway_leaves_everything_as_it_was(
    world, logged_at, decision, archivist, monkeypatch, fail_at, django_capture_on_commit_callbacks
):
    records = [logged_at(LATE_ON_10_MARCH, attachments=[png_upload()]) for _ in range(3)]
    files = [Path(settings.MEDIA_ROOT) / a.file.name for a in RemovedCommentAttachment.objects.all()]
    monkeypatch.setattr(disposal_services, "BATCH", 1)
    if fail_at == "second_batch":
        calls = {"n": 0}
        original = RemovedCommentContent.objects.filter

        def failing_filter(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
            return original(*args, **kwargs)

        monkeypatch.setattr(RemovedCommentContent.objects, "filter", failing_filter)
    else:

        def failing_history(*args, **kwargs):
            raise RuntimeError("history table locked")

        monkeypatch.setattr(disposal_services.history, "record", failing_history)
    with (
        time_machine.travel(ON_11_MARCH_2026, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        disposal_services.disposal_apply(actor=archivist)
    assert callbacks == []
    assert RemovedCommentContent.objects.filter(record__in=records).count() == 3
    assert RemovedCommentAttachment.objects.filter(record__in=records).count() == 3
    assert not DisposedRecord.objects.exists() and not DisposalRun.objects.exists()
    assert all(f.exists() for f in files)
    assert list(integrity.verify()) == []


def test_a_stale_preview_is_refused(world, logged_at, decision, archivist):
    logged_at(LATE_ON_10_MARCH)
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        fingerprint = disposal_services.disposal_preview().fingerprint
    logged_at(EARLY_ON_11_MARCH)
    with time_machine.travel(ON_11_MARCH_2026, tick=False), pytest.raises(ValidationError) as excinfo:
        disposal_services.disposal_apply(actor=archivist, expected_fingerprint=fingerprint)
    assert excinfo.value.code == "preview_stale"
    assert not DisposedRecord.objects.exists()


@pytest.mark.parametrize("role", ["employee", "writer", "manager", "web_team", "admin"])
def test_only_archivists_dispose_place_holds_and_register_decisions(world, role, decision):
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        disposal_services.disposal_apply(actor=user)
    with pytest.raises(PermissionDenied):
        hold_services.hold_place(actor=user, kind="channel", channel=world.channel, reason="x")
    with pytest.raises(PermissionDenied):
        decision_services.decision_register(
            actor=user,
            reference="X",
            deciding_body="Y",
            decided_on=date(2025, 1, 1),
            in_force_from=date(2030, 1, 1),
            in_force_until=None,
            scope="Z",
            retention={"a": 1},
        )


def test_apply_disposal_command_dry_run_and_run(world, logged_at, decision, archivist, capsys):
    record = logged_at(LATE_ON_10_MARCH)
    with time_machine.travel(ON_11_MARCH_2026, tick=False):
        call_command("apply_disposal", "--dry-run")
        assert RemovedCommentContent.objects.filter(record=record).exists()
        with pytest.raises(CommandError):
            call_command("apply_disposal")  # no --as
        with pytest.raises(CommandError):
            call_command("apply_disposal", "--as", world.users["web_team"].username)
        call_command("apply_disposal", "--as", archivist.username)
    out = capsys.readouterr().out
    assert "Dry run" in out and "Disposed of 1 records" in out
    assert DisposalRun.objects.get().source == DisposalRun.Source.COMMAND
    assert not RemovedCommentContent.objects.filter(record=record).exists()


def test_apply_disposal_without_decision_says_so(world, capsys):
    call_command("apply_disposal", "--dry-run")
    assert "No disposal decision is in force" in capsys.readouterr().out


def test_sweep_removes_files_left_by_a_run_that_died_before_removing_them(
    world, logged_at, decision, archivist, capsys, django_capture_on_commit_callbacks
):
    """Disposal commits, then the process dies before deleting the files: apply_disposal sweeps them later.

    Only files no attachment row refers to and older than a day go: a removal being logged
    right now has stored its files before committing their rows.
    """
    import os

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    disposed = logged_at(LATE_ON_10_MARCH, attachments=[png_upload()])
    kept = logged_at(datetime(2026, 1, 5, 12, tzinfo=UTC), attachments=[png_upload("kvar.png")])
    disposed_file = RemovedCommentAttachment.objects.get(record=disposed).file.name
    kept_file = RemovedCommentAttachment.objects.get(record=kept).file.name
    with time_machine.travel(ON_11_MARCH_2026, tick=False), django_capture_on_commit_callbacks(execute=False):
        disposal_services.disposal_apply(actor=archivist)  # the file removal never runs: the process "died"
    assert not RemovedCommentAttachment.objects.filter(record=disposed).exists()
    in_flight = default_storage.save(f"moderation/ab/{'ab' * 32}.png", ContentFile(b"being logged"))
    unrelated = default_storage.save("moderation/LÄSMIG.txt", ContentFile(b"not a screenshot"))
    sweep_at = datetime(2026, 3, 20, 12, tzinfo=UTC)
    for name, age in (
        (disposed_file, timedelta(days=8)),
        (kept_file, timedelta(days=8)),
        (in_flight, timedelta(hours=1)),
    ):
        stamp = (sweep_at - age).timestamp()
        os.utime(default_storage.path(name), (stamp, stamp))
    os.utime(default_storage.path(unrelated), (0, 0))

    with time_machine.travel(sweep_at, tick=False):
        call_command("apply_disposal", "--dry-run")
        assert default_storage.exists(disposed_file)
        call_command("apply_disposal")  # nothing due: no --as needed to sweep
        out = capsys.readouterr().out
    assert "1 orphaned screenshot files would be deleted" in out and f"  {disposed_file}" in out
    assert "Swept 1 orphaned screenshot files" in out
    assert not default_storage.exists(disposed_file)
    assert default_storage.exists(kept_file), "a file a record refers to is never swept"
    assert default_storage.exists(in_flight), "a file younger than a day may belong to a removal being logged"
    assert default_storage.exists(unrelated), "only screenshot names are swept"
    assert list(integrity.verify()) == []
    with time_machine.travel(sweep_at, tick=False):
        assert disposal_services.orphaned_files_sweep() == []


def test_sweep_without_screenshots_does_nothing(world, capsys):
    assert disposal_services.orphaned_files_sweep() == []
    call_command("apply_disposal", "--no-sweep")
    assert "orphaned" not in capsys.readouterr().out
