from django.core.management.base import BaseCommand, CommandError

from moderation.transparency import verification


class Command(BaseCommand):
    help = (
        "Verify the moderation log's hash chain, content and screenshots, its Merkle tree and its "
        "latest signed checkpoint, and (with --checkpoint) that it extends checkpoints kept elsewhere. "
        "Exits 0 when intact; otherwise names each record or size that is not and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-files",
            action="store_true",
            help="Do not re-read screenshot files (faster; metadata still checked).",
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A signed checkpoint saved earlier (by a witness, or from a package), or a witness's "
            "directory; the log must extend it. May be given more than once.",
        )

    def handle(self, *args, skip_files=False, checkpoint=(), **options):
        checkpoints, problems = verification.load_checkpoints(list(checkpoint))
        outcome = verification.verify_log(check_files=not skip_files, checkpoints=checkpoints)
        problems += outcome.problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            records = sorted({p.sequence for p in problems if p.sequence is not None})
            where = ", ".join(f"#{n}" for n in records) or "(the log as a whole)"
            parting = f" {outcome.parting}." if outcome.parting else ""
            raise CommandError(
                f"The moderation log is NOT intact: {len(problems)} problem(s) in records {where}.{parting}"
            )
        extra = f", consistent with {len(checkpoints)} checkpoint(s)" if checkpoints else ""
        self.stdout.write(
            self.style.SUCCESS(f"The moderation log is intact: {outcome.size} record(s) verified{extra}.")
        )
