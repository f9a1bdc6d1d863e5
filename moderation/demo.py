"""Demo removals for a laptop: a few realistic Swedish records, a disposal decision and holds (idempotent)."""

from datetime import date, timedelta

from django.test import RequestFactory
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_run
from registry.models import Channel
from registry.platforms import normalise_url

from .models import DisposalDecision, Hold, RecordRead, RemovedComment
from .services import decisions, holds
from .services.exports import export_start
from .services.log import record_access_log, removal_log

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
    """Log the demo removals once, then the archive's decision and holds; return how many removals were created."""
    created = _load_removals(users)
    load_archive(users)
    if created:
        created += _load_legal_alert(users)
    _load_reads_and_files(users)
    return created


def _load_legal_alert(users: dict) -> int:
    """A removal required by law (d) with no police report and no hold: the alert on the start pages.

    The demo's b record is held but has no police report recorded, so it shows one step done.
    """
    channel = Channel.objects.filter(url=normalise_url("https://facebook.com/norsjokommun")).first()
    if channel is None:
        return 0
    removed_at = timezone.now() - timedelta(hours=3)
    removal_log(
        actor=users["webb"],
        channel=channel,
        category="d",
        action="deleted",
        removed_at=removed_at,
        comment_published_at=removed_at - timedelta(hours=1),
        text="Kom till kommunhuset i kväll så slår vi sönder fönstren allihop.",
        author_name="Anonym Användare",
        author_handle="anonym.2026",
        author_url="https://www.facebook.com/anonym.2026",
        explanation="Uppmaning till brott (skadegörelse).",
    )
    return 1


def _load_removals(users: dict) -> int:
    if RemovedComment.objects.exists():
        return 0
    now = timezone.now()
    created = 0
    for url, username, category, action, hours, days_ago, text, author, handle, explanation in REMOVALS:
        channel = Channel.objects.filter(url=normalise_url(url)).first()
        if channel is None:
            continue
        removed_at = now - timedelta(days=days_ago)
        removal_log(
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


# 4:7: the municipal executive board's disposal decision, retention in months per reason.
# Legally required removals (b-e, possible crimes) and confidential information (h) are kept
# longer, in case of a police investigation or an appeal; advertising (g) briefly. Inquiries
# received on private accounts (section 5) are kept two years from their registration.
DECISION = {
    "reference": "KS 2026/123",
    "deciding_body": "Kommunstyrelsen",
    "decided_on": date(2026, 2, 17),
    "in_force_from": date(2026, 3, 1),
    "in_force_until": None,
    "scope": (
        "Borttagna kommentarer i kommunens sociala medier (riktlinjerna 4:10) med skärmdumpar och "
        "tillägg. Gallras när bevarandetiden för respektive skäl har löpt ut, räknat från dagen "
        "kommentaren togs bort. Förteckningen över gallrade handlingar (gallringsloggen) bevaras."
    ),
    "retention": {"a": 12, "b": 24, "c": 24, "d": 24, "e": 24, "f": 12, "g": 3, "h": 24, "other": 12, "inquiry": 24},
}

# reference, channel url, category of the held removal, reason
HOLDS = [
    (
        "KS 2026/311",
        "https://facebook.com/norsjobibliotek",
        "a",
        "Begäran om utlämnande av allmän handling: en journalist har begärt ut borttagna kommentarer "
        "om bibliotekets personal. Ärendet är under handläggning.",
    ),
    (
        "KS 2026/88",
        "https://facebook.com/norsjokommun",
        "b",
        "Polisanmälan om hets mot folkgrupp: kommentaren ska finnas kvar tills förundersökningen är avslutad.",
    ),
]


def load_archive(users: dict) -> None:
    """Register the demo disposal decision and holds once (skipped if the archive already has its own)."""
    archivist = users["arkivarie"]
    if not DisposalDecision.objects.exists():
        decisions.decision_register(actor=archivist, **DECISION)
    for reference, url, category, reason in HOLDS:
        if Hold.objects.filter(reference=reference).exists():
            continue
        record = (
            RemovedComment.objects.filter(channel__url=normalise_url(url), category=category, addendum_to__isnull=True)
            .order_by("sequence")
            .first()
        )
        if record is None:
            continue
        holds.hold_place(actor=archivist, kind=Hold.Kind.RECORDS, records=[record], reason=reason, reference=reference)


def _load_reads_and_files(users: dict) -> None:
    """Once: the web team's reads in the read log (with an address), and a finished Excel file for the archivist."""
    if RecordRead.objects.exclude(address=None).exists() or Job.objects.exists():
        return
    web, archivist = users["webb"], users["arkivarie"]
    for record in RemovedComment.objects.filter(addendum_to__isnull=True).order_by("sequence")[:3]:
        # As if the web team had opened the record's page from 192.0.2.15: the one access-log function.
        request = RequestFactory().get(record.get_absolute_url(), REMOTE_ADDR="192.0.2.15")
        record_access_log(request=request, actor=web, action="read", records=[record], what=RecordRead.What.CONTENT)
    # The worker's function, run here at once: the archive page then lists a file ready to download.
    job = export_start(actor=archivist, fmt="xlsx", filters="")
    job_run(job_id=job.pk)
