"""Demo removals for a laptop: a few realistic Swedish records (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from registry.models import Channel
from registry.platforms import normalise_url

from . import services
from .models import RemovedComment

# channel url, who logs (username), category, action, hours online, days ago, text, author, handle, explanation
REMOVALS = [
    (
        "https://facebook.com/norsjobibliotek",
        "skribent",
        "a",
        "deleted",
        5,
        40,
        "Bibliotekarien på lördagsöppet är en lat och inkompetent människa som borde sparkas!!",
        "Kalle Karlsson",
        "kalle.karlsson.4711",
        "",
    ),
    (
        "https://facebook.com/norsjobibliotek",
        "skribent",
        "g",
        "unpublished",
        1,
        21,
        "🔥 Tjäna 5000 kr om dagen hemifrån! Klicka här: bit.ly/snabba-pengar 🔥",
        "Rika Rebecka",
        "rika.rebecka.official",
        "",
    ),
    (
        "https://facebook.com/norsjokommun",
        "webb",
        "b",
        "deleted",
        2,
        12,
        "Alla sådana där borde åka hem dit de kom ifrån, de förstör hela bygden.",
        "Sven Svensson",
        "sven.s.1962",
        "Hets mot folkgrupp: anmält till polisen, diarienummer KS 2026/88.",
    ),
    (
        "https://facebook.com/norsjokommun",
        "webb",
        "h",
        "deleted",
        0,
        3,
        "Min granne på Storgatan 12 har fått försörjningsstöd i ett år, hennes personnummer är 19800101-1234.",
        "Orolig Invånare",
        "orolig.invanare",
        "Uppgifter om enskilds ekonomiska förhållanden och personnummer (sekretess).",
    ),
    (
        "https://facebook.com/norsjobibliotek",
        "skribent",
        "other",
        "unpublished",
        30,
        1,
        "Samma fråga om öppettiderna för femtionde gången, klistrad i alla trådar.",
        "Bot 3000",
        "bot3000",
        "Upprepade identiska inlägg (spam) i flera trådar.",
    ),
]


def load(users: dict) -> int:
    """Log the demo removals once; return how many were created."""
    if RemovedComment.objects.exists():
        return 0
    now = timezone.now()
    created = 0
    for url, username, category, action, hours, days_ago, text, author, handle, explanation in REMOVALS:
        channel = Channel.objects.filter(url=normalise_url(url)).first()
        if channel is None:
            continue
        removed_at = now - timedelta(days=days_ago)
        services.removal_log(
            actor=users[username],
            channel=channel,
            category=category,
            action=action,
            removed_at=removed_at,
            comment_published_at=removed_at - timedelta(hours=hours, minutes=17),
            text=text,
            author_name=author,
            author_handle=handle,
            author_url=f"https://www.facebook.com/{handle}",
            comment_url=f"{channel.url}/posts/{1000 + created}?comment_id={4711 + created}",
            post_url=f"{channel.url}/posts/{1000 + created}",
            explanation=explanation,
        )
        created += 1
    return created
