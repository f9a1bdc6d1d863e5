from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ..backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory (see docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            help="The directory to create; default: BACKUP_DIR/kanalregistret-<timestamp>.",
        )
        parser.add_argument("--dir", type=Path, help="Where backups are kept (default: env BACKUP_DIR).")

    def handle(self, *args, **options):
        out = options["out"]
        if out is None:
            base = options["dir"] or settings.BACKUP_DIR
            if not base:
                raise CommandError("Give --out, --dir, or set BACKUP_DIR.")
            out = Path(base) / f"kanalregistret-{timezone.now():%Y%m%dT%H%M%S}"
        try:
            manifest = backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Backed up {rows} rows and the media files to {out}")
