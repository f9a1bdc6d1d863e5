from django.core.management.base import BaseCommand, CommandError

from moderation.transparency.witnessing import witness_run


class Command(BaseCommand):
    help = (
        "Witness the moderation log: fetch its latest signed checkpoint (from this installation's "
        "database, or from --url), verify its signature and that it extends the last checkpoint kept "
        "in --store, and keep it. Exits non-zero on any inconsistency, naming the sizes where the "
        "histories part."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, metavar="DIR", help="Where the witness keeps its checkpoints.")
        parser.add_argument(
            "--url",
            help="Another installation's checkpoint address, e.g. "
            "https://kanalregistret.example.se/api/v1/moderation-log/checkpoint (default: this database).",
        )
        parser.add_argument(
            "--key",
            help="The log's verifier key (name+id+key). Default: the key pinned in DIR; on the first run, "
            "the key published beside the checkpoint (check it against the one the municipality announced).",
        )

    def handle(self, *args, store, url=None, key=None, **options):
        result, notes = witness_run(store_dir=store, url=url, key=key)
        for note in notes:
            self.stdout.write(note)
        if not result.ok:
            parting = ""
            if result.parting is not None:
                parting = f" Histories part at size {result.parting.differs_at}"
                if result.parting.agree_until is not None:
                    parting += f" (they agree up to size {result.parting.agree_until})"
                parting += "."
            raise CommandError(f"Witness: {result.code}: {result.message}.{parting}")
        self.stdout.write(self.style.SUCCESS(f"Witness: {result.message}."))
