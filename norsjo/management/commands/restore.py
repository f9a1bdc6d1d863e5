from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from ..backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup, then check that nothing is missing."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A directory written by the backup command.")
        parser.add_argument("--yes", action="store_true", help="Confirm: the current data is replaced.")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("This replaces every row and file with the backup's. Add --yes to go ahead.")
        try:
            manifest = restore(options["source"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Restored {rows} rows and the media files from {options['source']} ({manifest['created']})")
        # The moderation log's own integrity check (hash chain), when this installation has it.
        if "verify_moderation_log" in get_commands():
            call_command("verify_moderation_log", stdout=self.stdout, stderr=self.stderr)
