from django.core.management.base import BaseCommand, CommandError

from moderation import integrity
from moderation.models import RemovedComment


class Command(BaseCommand):
    help = (
        "Verify the moderation log's hash chain, content and screenshots. "
        "Exits 0 when every record is intact; otherwise names each record that is not and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-files",
            action="store_true",
            help="Do not re-read screenshot files (faster; metadata still checked).",
        )

    def handle(self, *args, skip_files=False, **options):
        problems = list(integrity.verify(check_files=not skip_files))
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            records = sorted({p.sequence for p in problems if p.sequence is not None})
            raise CommandError(
                f"The moderation log is NOT intact: {len(problems)} problem(s) in records "
                f"{', '.join(f'#{n}' for n in records) or '(chain head)'}."
            )
        count = RemovedComment.objects.count()
        self.stdout.write(self.style.SUCCESS(f"The moderation log is intact: {count} record(s) verified."))
