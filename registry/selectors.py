"""Reads for the registry's screens."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from . import permissions
from .models import Channel, HistoryEntry, Mandate, Unit


def channels_visible_to(user) -> QuerySet[Channel]:
    """Return the channels *user* may see: the whole register is open to every employee."""
    if not user.is_authenticated:
        return Channel.objects.none()
    return Channel.objects.with_related()


def channel_list(*, user, search: str = "", platform: str = "", unit: str = "", status: str = "") -> QuerySet[Channel]:
    """Return the register filtered as on the list screen."""
    qs = channels_visible_to(user).search(search)
    if platform:
        qs = qs.filter(platform__slug=platform)
    if unit:
        qs = qs.filter(unit__slug=unit)
    qs = qs.filter(status=status) if status else qs.exclude(status=Channel.Status.REJECTED)
    return qs.order_by("name", "pk")


def history_for(subject) -> QuerySet[HistoryEntry]:
    """Return the history of one record, newest first."""
    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")


def units_for_proposal(user) -> QuerySet[Unit]:
    """Return the units *user* may register channels for."""
    if permissions.is_web_team(user):
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(is_active=True, pk__in=permissions.managed_unit_ids(user))


def proposals_awaiting_review() -> QuerySet[Channel]:
    return Channel.objects.with_related().filter(status=Channel.Status.PROPOSED).order_by("created_at")


def unpublished_active_channels() -> QuerySet[Channel]:
    return Channel.objects.with_related().active().filter(is_published=False).order_by("name")


def unit_channels(user) -> QuerySet[Channel]:
    """Return the channels of the units *user* manages."""
    return Channel.objects.with_related().of_units(permissions.managed_unit_ids(user)).order_by("unit__name", "name")


def channels_moderated_by(user, *, on=None) -> QuerySet[Channel]:
    """Return the channels *user* may log removals on: all for the web team, else by active mandate."""
    if not user.is_authenticated:
        return Channel.objects.none()
    if permissions.is_web_team(user):
        return Channel.objects.with_related().open()
    return (
        Channel.objects.with_related()
        .filter(pk__in=Mandate.objects.active(on=on).filter(employee=user).values("channel_id"))
        .order_by("name")
    )
