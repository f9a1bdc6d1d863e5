"""Demo data for a laptop: the sign-ins of PRODUCT.md and realistic Swedish content.

Idempotent: running it again changes nothing that is already there.
"""

from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from . import history
from .catalogue import ensure_catalogue
from .models import Channel, ChannelChange, Mandate, Platform, PoliticianLink, Unit
from .permissions import ARCHIVIST_GROUP, WEB_TEAM_GROUP
from .platforms import normalise_url
from .services.channels import channel_register, channel_set_published, channel_update
from .services.mandates import (
    mandate_acknowledge,
    mandate_grant,
    mandate_renew,
    mandate_revoke,
    mandates_record_expiries,
)
from .services.politician_links import politician_link_register

DEMO_PASSWORD = "norsjo-demo"  # noqa: S105 - published in PRODUCT.md; refused with DEBUG off

USERS = [
    # username, first name, last name, e-mail
    ("admin", "Ida", "Admin", "it@norsjo.example"),
    ("chef", "Karin", "Lundström", "karin.lundstrom@norsjo.example"),
    ("skribent", "Erik", "Nilsson", "erik.nilsson@norsjo.example"),
    ("webb", "Sara", "Berglund", "sara.berglund@norsjo.example"),
    ("arkivarie", "Anders", "Holmgren", "anders.holmgren@norsjo.example"),
    ("chef2", "Maria", "Öberg", "maria.oberg@norsjo.example"),
    # Staff of Kultur- och fritidsförvaltningen with mandates in every state.
    ("anna", "Anna", "Sjöberg", "anna.sjoberg@norsjo.example"),
    ("johan", "Johan", "Lindqvist", "johan.lindqvist@norsjo.example"),
    ("lisa", "Lisa", "Holm", "lisa.holm@norsjo.example"),
    ("per", "Per", "Åström", "per.astrom@norsjo.example"),
]

UNITS = [
    ("Kommunledningsförvaltningen", "kommunledning", "kommunen@norsjo.example"),
    ("Kultur- och fritidsförvaltningen", "kultur-fritid", "kultur@norsjo.example"),
    ("Barn- och utbildningsförvaltningen", "barn-utbildning", "bou@norsjo.example"),
    ("Samhällsbyggnadsförvaltningen", "samhallsbyggnad", "sbf@norsjo.example"),
    ("Socialförvaltningen", "social", "soc@norsjo.example"),
]

# url, name, unit slug, purpose, audience, published
CHANNELS = [
    (
        "https://www.facebook.com/norsjokommun",
        "Norsjö kommun",
        "kommunledning",
        "Nyheter, driftinformation och dialog med invånarna om kommunens service.",
        "Invånare, företagare och besökare i Norsjö.",
        True,
    ),
    (
        "https://www.instagram.com/norsjokommun/",
        "Norsjö kommun",
        "kommunledning",
        "Visa vardagen i kommunens verksamheter och marknadsföra Norsjö som plats att bo och arbeta på.",
        "Invånare och framtida invånare, särskilt unga vuxna.",
        True,
    ),
    (
        "https://www.youtube.com/@norsjokommun",
        "Norsjö kommun",
        "kommunledning",
        "Sända kommunfullmäktige och publicera informationsfilmer.",
        "Invånare som vill följa den politiska debatten.",
        True,
    ),
    (
        "https://www.facebook.com/norsjobibliotek",
        "Norsjö bibliotek",
        "kultur-fritid",
        "Tipsa om evenemang, nya böcker och bibliotekets tjänster.",
        "Låntagare och kulturintresserade i alla åldrar.",
        True,
    ),
    (
        "https://www.instagram.com/skelleftealvensfritid",
        "Fritid Norsjö",
        "kultur-fritid",
        "Informera om simhall, motionsspår och lovaktiviteter.",
        "Barn, unga och familjer.",
        False,
    ),
    (
        "https://www.linkedin.com/company/norsjo-kommun",
        "Norsjö kommun",
        "kommunledning",
        "Stärka arbetsgivarvarumärket och annonsera lediga tjänster.",
        "Arbetssökande och yrkesverksamma.",
        True,
    ),
    (
        "https://www.flickr.com/photos/norsjokommun",
        "Norsjö bildarkiv",
        "samhallsbyggnad",
        "Dela pressbilder och bilder från samhällsbyggnadsprojekt.",
        "Media och allmänhet.",
        False,
    ),
]

PROPOSED = (
    "https://www.tiktok.com/@norsjoungdom",
    "Ung i Norsjö",
    "kultur-fritid",
    "Nå unga med information om fritidsgårdar och sommarjobb.",
    "Ungdomar 13–19 år.",
)

POLITICIAN_BLOG = "https://karinlindqvist.blogspot.com"


@transaction.atomic
def load() -> dict:
    """Create the demo users, units and channels that are missing; return the users by name."""
    ensure_catalogue(Platform, Group)
    users = {}
    for username, first, last, email in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": email}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    users["webb"].groups.add(Group.objects.get(name=WEB_TEAM_GROUP))
    users["arkivarie"].groups.add(Group.objects.get(name=ARCHIVIST_GROUP))

    units = {}
    for name, slug, email in UNITS:
        units[slug], _ = Unit.objects.get_or_create(slug=slug, defaults={"name": name, "contact_email": email})
    units["kultur-fritid"].managers.add(users["chef"])
    units["kommunledning"].managers.add(users["chef2"])

    for url, name, unit, purpose, audience, published in CHANNELS:
        if Channel.objects.filter(url=normalise_url(url)).exists():
            continue
        channel = channel_register(
            actor=users["webb"], unit=units[unit], url=url, name=name, purpose=purpose, audience=audience
        )
        if published:
            channel_set_published(channel=channel, actor=users["webb"], published=True)

    # The writer of PRODUCT.md: an active, acknowledged mandate on the library's page.
    library = Channel.objects.get(url=normalise_url("https://www.facebook.com/norsjobibliotek"))
    if not Mandate.objects.filter(employee=users["skribent"], channel=library).exists():
        today = timezone.localdate()
        Mandate.objects.create(
            employee=users["skribent"],
            channel=library,
            role=Mandate.Role.WRITER,
            scope="Publicera evenemang och boktips, svara på frågor och moderera kommentarer.",
            valid_from=today - timedelta(days=60),
            valid_until=today + timedelta(days=300),
            granted_by=users["chef"],
            acknowledged_at=timezone.now() - timedelta(days=59),
        )

    # A politician's blog on the public list, with the disclaimer (4:5).
    if not PoliticianLink.objects.filter(url=normalise_url(POLITICIAN_BLOG)).exists():
        politician_link_register(
            actor=users["webb"],
            politician="Karin Lindqvist",
            party="Norsjöpartiet",
            url=POLITICIAN_BLOG,
            decided_by="Webbansvarig, kommunikationsenheten",
            decided_on=timezone.localdate(),
            publish=True,
        )

    url, name, unit, purpose, audience = PROPOSED
    if not Channel.objects.filter(url=normalise_url(url)).exists():
        channel_register(actor=users["chef"], unit=units[unit], url=url, name=name, purpose=purpose, audience=audience)

    if not Mandate.objects.filter(employee__username__in=["anna", "johan", "lisa", "per"]).exists():
        _demo_mandates(users, library)

    # A renamed account: the manager's new address waits for the web team (the old one stays official).
    fritid = Channel.objects.get(url=normalise_url("https://www.instagram.com/skelleftealvensfritid"))
    if not ChannelChange.objects.filter(channel=fritid).exists():
        channel_update(channel=fritid, actor=users["chef"], url="https://www.instagram.com/norsjofritid", handle="")
    return users


def _backdated(users, *, employee, channel, role, scope, starts_in: int, ends_in: int) -> Mandate:
    """A mandate granted in the past (services only grant from today), acknowledged the day it started."""
    today = timezone.localdate()
    mandate = Mandate.objects.create(
        employee=users[employee],
        channel=channel,
        role=role,
        scope=scope,
        valid_from=today + timedelta(days=starts_in),
        valid_until=today + timedelta(days=ends_in),
        granted_by=users["chef"],
        acknowledged_at=timezone.now() + timedelta(days=starts_in),
    )
    history.record(mandate, action="mandate.granted", actor=users["chef"], reason=scope)
    history.record(mandate, action="mandate.acknowledged", actor=users[employee])
    return mandate


def _demo_mandates(users, library: Channel) -> None:
    """Mandates in every state on the units of ``chef`` (Kultur- och fritidsförvaltningen)."""
    today = timezone.localdate()
    chef = users["chef"]
    fritid = Channel.objects.get(url=normalise_url("https://www.instagram.com/skelleftealvensfritid"))
    # Awaiting acknowledgement: granted today, Anna has not yet read the guidelines.
    mandate_grant(
        actor=chef,
        channel=library,
        employee=users["anna"],
        role=Mandate.Role.MODERATOR,
        scope="Moderera kommentarer på bibliotekets sida under sommaren.",
    )
    # Not yet in force: acknowledged, starts in two weeks.
    later = mandate_grant(
        actor=chef,
        channel=fritid,
        employee=users["johan"],
        role=Mandate.Role.ACCOUNT_ADMIN,
        scope="Administrera kontot och lägga till nya redaktörer.",
        valid_from=today + timedelta(days=14),
    )
    mandate_acknowledge(mandate=later, actor=users["johan"], confirmed=True)
    # Active and ending within 30 days: shown to the manager with a one-step renew.
    _backdated(
        users,
        employee="lisa",
        channel=fritid,
        role=Mandate.Role.WRITER,
        scope="Publicera lovaktiviteter och öppettider för simhallen.",
        starts_in=-340,
        ends_in=20,
    )
    # Expired: ran out last month (the daily run records it in the history).
    _backdated(
        users,
        employee="per",
        channel=fritid,
        role=Mandate.Role.WRITER,
        scope="Publicera bilder från sommarens evenemang.",
        starts_in=-400,
        ends_in=-35,
    )
    mandates_record_expiries()
    # Revoked, with a reason.
    revoked = _backdated(
        users,
        employee="anna",
        channel=fritid,
        role=Mandate.Role.MODERATOR,
        scope="Moderera kommentarer under simhallens ombyggnad.",
        starts_in=-60,
        ends_in=200,
    )
    mandate_revoke(mandate=revoked, actor=chef, reason="Ombyggnaden är klar; uppdraget behövs inte längre.")
    # Renewed: Johan's mandate ends in ten days; the renewal waits for his acknowledgement.
    old = _backdated(
        users,
        employee="johan",
        channel=library,
        role=Mandate.Role.WRITER,
        scope="Tipsa om nya böcker och evenemang.",
        starts_in=-355,
        ends_in=10,
    )
    mandate_renew(mandate=old, actor=chef)
