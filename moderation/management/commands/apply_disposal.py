"""Dispose of moderation records due under the disposal decision in force (4:7), for a daily timer.

    python manage.py apply_disposal --dry-run
    python manage.py apply_disposal --as ARCHIVIST_USERNAME

Does exactly what the archivist's confirmation on the disposal screen does: nothing without
a decision in force today (Europe/Stockholm), never a held record, all in one transaction.
The run is recorded in the name of the archivist given with --as, who authorised the timer.

Then it sweeps orphaned screenshot files: files in storage that no attachment row refers to
(left when a process died between a disposal's commit and the removal of its files), older
than a day. With --dry-run it only counts them; --no-sweep skips the sweep.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from moderation.models import DisposalRun
from moderation.services import disposal


class Command(BaseCommand):
    help = "Dispose of the moderation records due today under the disposal decision in force."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be disposed of.")
        parser.add_argument("--as", dest="username", help="The archivist in whose name the run is recorded.")
        parser.add_argument("--no-sweep", action="store_true", help="Do not sweep orphaned screenshot files.")

    def handle(self, *args, **options):
        self._dispose(options)
        if not options["no_sweep"]:
            self._sweep(dry_run=options["dry_run"])

    def _sweep(self, *, dry_run: bool):
        orphans = disposal.orphaned_files_sweep(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{len(orphans)} orphaned screenshot files would be deleted.")
        else:
            self.stdout.write(f"Swept {len(orphans)} orphaned screenshot files.")
        for name in orphans:
            self.stdout.write(f"  {name}")

    def _dispose(self, options):
        preview = disposal.disposal_preview()
        if preview.decision is None:
            self.stdout.write("No disposal decision is in force today: nothing is disposed of.")
            return
        self.stdout.write(
            f"Decision {preview.decision.reference} ({preview.decision.deciding_body}), as of {preview.as_of}:"
        )
        for category, label, months, count, cutoff in preview.by_category:
            self.stdout.write(
                f"  {category:>5}  {count:>8} records removed on or before {cutoff} ({months} months)  {label}"
            )
        self.stdout.write(
            f"  {len(preview.original_ids)} records and {len(preview.addendum_ids)} addenda due; "
            f"{preview.held_count} held back by holds."
        )
        if preview.inquiry_months is not None:
            self.stdout.write(
                f"  {len(preview.inquiry_ids)} inquiries registered on or before {preview.inquiry_cutoff} "
                f"({preview.inquiry_months} months) due; {preview.inquiry_held_count} held back by holds."
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was disposed of.")
            return
        if not preview.count:
            self.stdout.write("Nothing to dispose of.")
            return
        if not options["username"]:
            raise CommandError("Give --as USERNAME: the archivist in whose name disposal is recorded.")
        actor = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active user {options['username']!r}.")
        try:
            run = disposal.disposal_apply(
                actor=actor, source=DisposalRun.Source.COMMAND, expected_fingerprint=preview.fingerprint
            )
        except PermissionDenied as error:
            raise CommandError(f"{actor.get_username()} is not an archivist: {error}") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Disposed of {run.record_count} records, {run.inquiry_count} inquiries and {run.file_count} files"
            f" (run {run.pk})."
        )
