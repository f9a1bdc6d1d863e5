from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.transparency import keys


class Command(BaseCommand):
    help = (
        "Create the moderation log's Ed25519 signing key (a C2SP signed-note key file, mode 0600) "
        "and print its public verifier key. Never overwrites a key."
    )
    # The key is what the checks ask for: creating it must not depend on them passing.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="Where to write the key (default: the file MODERATION_LOG_SIGNING_KEY_FILE names)."
        )
        parser.add_argument("--name", help="The key's name (default: MODERATION_LOG_ORIGIN).")

    def handle(self, *args, out=None, name=None, **options):
        path = Path(out or settings.MODERATION_LOG_SIGNING_KEY_FILE)
        try:
            signer = keys.write_key_file(path, name or keys.origin())
        except FileExistsError as error:
            raise CommandError(
                f"{path} exists; a key is never overwritten (docs/deploy.md, rotating the key)."
            ) from error
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot create {path}: {error}") from error
        self.stdout.write(f"Wrote the signing key to {path}. Its public verifier key:")
        self.stdout.write(str(signer.verifier))
