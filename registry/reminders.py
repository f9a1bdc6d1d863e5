"""Reminders e-mailed by the daily ``send_reminders`` run, each sent at most once.

A reminder kind says which (key, recipient, item) triples are due on a day; the sender
leaves out those already in ``ReminderSent``, mails each recipient one message listing
their items, and records what it sent in the same transaction. Another app adds a kind
with ``register(MyKind())`` (e.g. overdue yearly reviews) and gets idempotence for free.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Mandate, ReminderSent
from .selectors import channels_with_overdue_review


@dataclass(frozen=True)
class Due:
    """One thing to remind one person of: *key* identifies it for "sent once"."""

    key: str
    recipient: object
    item: object


class ReminderKind:
    """Subclass and register: ``name`` is stored, ``subject`` and ``template`` make the e-mail."""

    name: str = ""
    subject_text = ""
    template = ""

    def due(self, today: date) -> Iterable[Due]:
        raise NotImplementedError

    def subject(self) -> str:
        return str(self.subject_text)


class MandatesExpiring(ReminderKind):
    """Managers of the channel's unit: a mandate ends within *days* days and has not been renewed."""

    template = "registry/email/mandates_expiring.txt"

    def __init__(self, days: int, *, after: int = -1):
        self.days = days
        self.after = after  # a nearer reminder kind covers mandates ending within this many days
        self.name = f"mandate_expiring_{days}"

    def subject(self) -> str:
        return _("Mandates that end within %(days)s days") % {"days": self.days}

    def due(self, today):
        qs = Mandate.objects.expiring(within_days=self.days, on=today).select_related(
            "employee", "channel", "channel__platform", "channel__unit"
        )
        if self.after >= 0:
            qs = qs.filter(valid_until__gt=today + timedelta(days=self.after))
        qs = qs.prefetch_related("channel__unit__managers").order_by("valid_until", "pk")
        for mandate in qs:
            for manager in mandate.channel.unit.managers.all():
                yield Due(key=f"mandate:{mandate.pk}", recipient=manager, item=mandate)


class AcknowledgementsPending(ReminderKind):
    """The employee: a mandate waits for them to read the guidelines and confirm (4:2)."""

    name = "mandate_acknowledgement"
    subject_text = _("A mandate waits for your acknowledgement")
    template = "registry/email/acknowledgement_pending.txt"

    def due(self, today):
        qs = Mandate.objects.awaiting_acknowledgement(on=today).select_related(
            "employee", "granted_by", "channel", "channel__platform"
        )
        for mandate in qs.order_by("valid_from", "pk"):
            yield Due(key=f"mandate:{mandate.pk}", recipient=mandate.employee, item=mandate)


class ReviewsOverdue(ReminderKind):
    """Managers of the channel's unit: the yearly review of an active or paused channel is overdue."""

    name = "review_overdue"
    subject_text = _("Channels whose yearly review is overdue")
    template = "registry/email/reviews_overdue.txt"

    def due(self, today):
        channels = channels_with_overdue_review(on=today).prefetch_related("unit__managers")
        for channel in channels:
            # Once per overdue period: a new review starts a new period with a new key.
            key = f"review:{channel.pk}:{channel.last_reviewed or 'never'}"
            for manager in channel.unit.managers.all():
                yield Due(key=key, recipient=manager, item=channel)


KINDS: list[ReminderKind] = [
    MandatesExpiring(30, after=7),
    MandatesExpiring(7),
    AcknowledgementsPending(),
    ReviewsOverdue(),
]


def register(kind: ReminderKind) -> None:
    """Add a reminder kind (from another app's ``AppConfig.ready``)."""
    if any(existing.name == kind.name for existing in KINDS):
        raise ValueError(f"A reminder kind named {kind.name!r} is already registered.")
    KINDS.append(kind)


def _pending(kind: ReminderKind, today: date) -> Iterator[tuple[object, list[Due]]]:
    due = [d for d in kind.due(today) if d.recipient.is_active and d.recipient.email]
    sent = set(
        ReminderSent.objects.filter(kind=kind.name, key__in={d.key for d in due}).values_list("key", "recipient_id")
    )
    by_recipient = defaultdict(list)
    for d in due:
        if (d.key, d.recipient.pk) not in sent:
            by_recipient[d.recipient].append(d)
    yield from by_recipient.items()


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_due(*, today: date | None = None) -> dict[str, int]:
    """Send every reminder due on *today* that was not sent before; return the e-mails sent per kind."""
    today = today or timezone.localdate()
    counts = {}
    with translation.override(settings.LANGUAGE_CODE):
        for kind in KINDS:
            counts[kind.name] = 0
            for recipient, items in _pending(kind, today):
                try:
                    with transaction.atomic():
                        # Recorded first: a concurrent run hits the unique constraint and sends nothing.
                        ReminderSent.objects.bulk_create(
                            [ReminderSent(kind=kind.name, key=d.key, recipient=recipient) for d in items]
                        )
                        body = render_to_string(
                            kind.template,
                            {
                                "recipient": recipient,
                                "items": [d.item for d in items],
                                "today": today,
                                "kind": kind,
                                "mine_url": site_url(reverse("mandates:mine")),
                                "manager_url": site_url(reverse("mandates:manager")),
                                "site_url": site_url("/"),
                                "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
                            },
                        )
                        subject = f"{settings.MUNICIPALITY_NAME}: {kind.subject()}"
                        send_mail(subject, body, None, [recipient.email])
                except IntegrityError:
                    continue
                counts[kind.name] += 1
    return counts
