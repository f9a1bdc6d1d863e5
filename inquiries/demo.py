"""Demo inquiries (section 5): questions received on private accounts and one that became a matter on a channel."""

from datetime import timedelta

from django.utils import timezone

from registry.models import Channel, Platform, Unit
from registry.platforms import normalise_url

from .models import Inquiry, Source
from .services import inquiry_addendum_add, inquiry_register

# username, unit slug, platform slug or channel url, place, asked by, days ago, question
INQUIRIES = [
    (
        "anna",
        "kultur-fritid",
        "facebook",
        "Min privata Facebooksida",
        "Mats Eriksson",
        6,
        "Hej Anna! Du jobbar väl på fritidsgården? Vet du när simhallen öppnar igen efter renoveringen, "
        "och kan vår förening boka banor redan nu?",
    ),
    (
        "johan",
        "samhallsbyggnad",
        "instagram",
        "Direktmeddelande till mitt privata konto",
        "@villaagare_norsjo",
        3,
        "Hej! Jag såg att du jobbar på kommunen. Vi sökte bygglov för ett garage på Storgatan 12 i mars. "
        "Hur långt har handläggningen kommit?",
    ),
    (
        "skribent",
        "kultur-fritid",
        "https://www.facebook.com/norsjobibliotek",
        "",
        "Greta Lindgren",
        1,
        "Bokbussen har inte stannat i Bastuträsk på tre veckor. Jag vill lämna ett klagomål: vem ansvarar för det?",
    ),
]

ADDENDUM = "Registrerad i diariet och överlämnad till kultur- och fritidsförvaltningen för svar."


def load(users: dict) -> int:
    """Register the demo inquiries once; return how many were created."""
    if Inquiry.objects.exists():
        return 0
    now = timezone.now()
    created = []
    for username, unit_slug, where, place, asked_by, days_ago, question in INQUIRIES:
        unit = Unit.objects.get(slug=unit_slug)
        if where.startswith("https://"):
            kwargs = {"source": Source.CHANNEL, "channel": Channel.objects.get(url=normalise_url(where))}
        else:
            kwargs = {"source": Source.PRIVATE, "platform": Platform.objects.get(slug=where), "place": place}
        created.append(
            inquiry_register(
                actor=users[username],
                question=question,
                asked_by=asked_by,
                unit=unit,
                received_at=now - timedelta(days=days_ago, hours=2),
                notify=False,
                **kwargs,
            )
        )
    inquiry_addendum_add(actor=users["registrator"], inquiry=created[-1], text=ADDENDUM)
    return len(created)
