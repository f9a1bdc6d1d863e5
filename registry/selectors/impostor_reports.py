"""Reads of the reports of impostor accounts from the public, for the web team's queue."""

from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from norsjo.paths import path_for_pk

from .. import permissions
from ..models import ImpostorReport
from .home import list_part


def impostor_reports_visible_to(user) -> QuerySet[ImpostorReport]:
    """Return the impostor reports *user* may see: all for the web team, none for others."""
    if not permissions.can_handle_impostor_reports(user):
        return ImpostorReport.objects.none()
    return ImpostorReport.objects.select_related("settled_by", "duplicate_of").prefetch_related(
        "resembles", "resembles__platform"
    )


def _queue(reports: QuerySet[ImpostorReport]) -> QuerySet[ImpostorReport]:
    return reports.filter(outcome=ImpostorReport.Outcome.OPEN).order_by("received_at", "pk")


def impostor_reports_open(user) -> QuerySet[ImpostorReport]:
    """Return the reports waiting for the web team, oldest first (the queue)."""
    return _queue(impostor_reports_visible_to(user))


class HomeImpostorReport:
    """A waiting report as the start page shows it: its address, day and the names of the channels it resembles."""

    __slots__ = ("pk", "url", "received_at", "resembles")

    def __init__(self, pk, url, received_at):
        # received_at: the day (in the municipality's time zone), all the start page shows of it.
        self.pk, self.url, self.received_at, self.resembles = pk, url, received_at, []

    def get_absolute_url(self):
        return path_for_pk("registry:impostor_report_detail", self.pk)

    def __eq__(self, other):
        # The same report as another row of it, or as its model instance.
        if isinstance(other, HomeImpostorReport | ImpostorReport):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)


def home_parts(limit: int) -> list:
    """The start page's queue (the first *limit*, and how many wait) and the channels they resemble, as
    parts of the start page's union of lists (``home.list_part``): the day a report came is the
    municipality's day of ``received_at``, which is what the page shows of it."""
    queue = _queue(ImpostorReport.objects.all())
    links = ImpostorReport.resembles.through.objects.filter(impostorreport_id__in=queue.values("pk")[:limit])
    return [
        list_part(
            "reports",
            queue,
            limit=limit,
            counted=True,
            name="url",
            platform=None,
            unit=None,
            day=TruncDate("received_at"),
        ),
        list_part(
            "resembles",
            links.order_by("channel__name", "channel_id"),
            pk="impostorreport_id",
            name="channel__name",
            platform=None,
            unit=None,
        ),
    ]


def impostor_reports_home(user, *, limit: int = 10) -> dict | None:
    """The start page's queue of impostor reports: the web team's; None for others."""
    if not permissions.can_handle_impostor_reports(user):
        return None
    from . import home_lists  # the start page's one query of lists (this module is one of its parts)

    lists = home_lists(user, report_limit=limit)
    rows = lists.get("reports", [])
    shown = {row[2]: HomeImpostorReport(row[2], row[3], row[8]) for row in rows}
    for row in lists.get("resembles", []):
        if row[2] in shown:
            shown[row[2]].resembles.append(row[3])
    return {"reports": list(shown.values()), "count": rows[0][10] if rows else 0}


def impostor_report_duplicates(report) -> QuerySet[ImpostorReport]:
    """Return the other reports of the same address, which a duplicate may point to."""
    return ImpostorReport.objects.filter(url=report.url).exclude(pk=report.pk).order_by("received_at", "pk")
