"""Reads of the reports of impostor accounts from the public, for the web team's queue."""

from django.db.models import Count, Prefetch, QuerySet, Window

from .. import permissions
from ..models import Channel, ImpostorReport


def impostor_reports_visible_to(user) -> QuerySet[ImpostorReport]:
    """Return the impostor reports *user* may see: all for the web team, none for others."""
    if not permissions.can_handle_impostor_reports(user):
        return ImpostorReport.objects.none()
    return ImpostorReport.objects.select_related("settled_by", "duplicate_of").prefetch_related(
        "resembles", "resembles__platform"
    )


def impostor_reports_open(user) -> QuerySet[ImpostorReport]:
    """Return the reports waiting for the web team, oldest first (the queue)."""
    return impostor_reports_visible_to(user).filter(outcome=ImpostorReport.Outcome.OPEN).order_by("received_at", "pk")


def impostor_reports_home(user, *, limit: int = 10) -> dict | None:
    """The start page's queue of impostor reports: the web team's; None for others."""
    if not permissions.can_handle_impostor_reports(user):
        return None
    # The queue, reading only what the start page shows: the address, the day, the channels it
    # resembles; and how many wait in all, in the same query (a window over the rows before the limit).
    resembles = Prefetch("resembles", queryset=Channel.objects.only("name"))
    queue = impostor_reports_open(user).select_related(None).prefetch_related(None)
    shown = list(
        queue.prefetch_related(resembles).only("url", "received_at").annotate(total=Window(Count("pk")))[:limit]
    )
    return {"reports": shown, "count": shown[0].total if shown else 0}


def impostor_report_duplicates(report) -> QuerySet[ImpostorReport]:
    """Return the other reports of the same address, which a duplicate may point to."""
    return ImpostorReport.objects.filter(url=report.url).exclude(pk=report.pk).order_by("received_at", "pk")
