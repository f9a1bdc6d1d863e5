"""Reads of the reports of impostor accounts from the public, for the web team's queue."""

from functools import partial

from django.db.models import Count, QuerySet, Window

from norsjo.paths import path_for_pk
from norsjo.prepared_rows import PreparedRows

from .. import permissions
from ..models import ImpostorReport


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


def _home_queue(limit: int):
    # The first *limit* of the queue, with how many wait in all (a window over the rows before the limit).
    return (
        _queue(ImpostorReport.objects.all())
        .annotate(total=Window(Count("pk")))
        .values_list("pk", "url", "received_at", "total")[:limit]
    )


def _home_resembling(limit: int):
    # The channels the first *limit* of the queue resemble, by name (each report's list in that order).
    shown = _queue(ImpostorReport.objects.all()).values("pk")[:limit]
    links = ImpostorReport.resembles.through.objects.filter(impostorreport_id__in=shown)
    return links.order_by("channel__name", "channel_id").values_list("impostorreport_id", "channel__name")


_HOME_QUERIES = {}  # limit -> (the queue, the channels they resemble), each compiled once per process


def impostor_reports_home(user, *, limit: int = 10) -> dict | None:
    """The start page's queue of impostor reports: the web team's; None for others."""
    if not permissions.can_handle_impostor_reports(user):
        return None
    queries = _HOME_QUERIES.get(limit)
    if queries is None:
        queries = _HOME_QUERIES[limit] = (
            PreparedRows(partial(_home_queue, limit)),
            PreparedRows(partial(_home_resembling, limit)),
        )
    rows = queries[0]()
    shown = {row[0]: HomeImpostorReport(*row[:3]) for row in rows}
    if shown:
        for report_id, name in queries[1]():
            if report_id in shown:
                shown[report_id].resembles.append(name)
    return {"reports": list(shown.values()), "count": rows[0][3] if rows else 0}


def impostor_report_duplicates(report) -> QuerySet[ImpostorReport]:
    """Return the other reports of the same address, which a duplicate may point to."""
    return ImpostorReport.objects.filter(url=report.url).exclude(pk=report.pk).order_by("received_at", "pk")
