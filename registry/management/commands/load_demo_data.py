from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from branding import demo as branding_demo
from inquiries import demo as inquiries_demo
from moderation import demo as moderation_demo
from registry import demo


class Command(BaseCommand):
    help = "Load the demo sign-ins and Swedish demo content (only with DEBUG on; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo accounts share a published password. "
                "Run with DEBUG=true on a laptop."
            )
        users = demo.load()
        moderation_demo.load(users)
        inquiries_demo.load(users)
        branding_demo.load(users)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Sign in with the password {demo.DEMO_PASSWORD!r}."))
