from django.core.management.base import BaseCommand

from registry import reminders
from registry.services.mandates import mandates_record_expiries


class Command(BaseCommand):
    help = (
        "Daily run (cron or systemd timer): record expired mandates in their history and e-mail the reminders "
        "that are due. Running it twice the same day sends nothing twice."
    )

    def handle(self, *args, **options):
        expired = mandates_record_expiries()
        counts = reminders.send_due()
        self.stdout.write(f"Expired mandates recorded: {expired}")
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} e-mail(s) sent")
