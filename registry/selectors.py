"""Reads for the registry's screens."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

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


# Mandates (4:2, 4:3).


def mandates_visible_to(user) -> QuerySet[Mandate]:
    """Return the mandates *user* may see: their own, those they granted, their units', or all for the web team."""
    if not user.is_authenticated or not user.is_active:
        return Mandate.objects.none()
    qs = Mandate.objects.with_related()
    if permissions.is_web_team(user):
        return qs
    return qs.filter(Q(employee=user) | Q(granted_by=user) | Q(channel__unit_id__in=permissions.managed_unit_ids(user)))


def mandates_of(user) -> QuerySet[Mandate]:
    """Return *user*'s own mandates, newest first ("my mandates")."""
    if not user.is_authenticated:
        return Mandate.objects.none()
    return Mandate.objects.with_related().filter(employee=user).order_by("-valid_until", "-pk")


def pending_acknowledgements(user, *, on=None) -> QuerySet[Mandate]:
    """Return *user*'s mandates that wait for them to read the guidelines and confirm."""
    return mandates_of(user).awaiting_acknowledgement(on=on).order_by("valid_from", "pk")


def appointed_writers(channel, *, on=None) -> QuerySet[Mandate]:
    """Return the active mandates on *channel*: who may write there now, and on whose mandate (4:3)."""
    return (
        Mandate.objects.active(on=on)
        .filter(channel=channel)
        .select_related("employee", "granted_by")
        .order_by("employee__last_name", "employee__first_name", "role", "pk")
    )


def appointed_writers_all(*, on=None, unit: str = "") -> QuerySet[Mandate]:
    """Return every active mandate in the municipality, by unit and channel (the web team's list)."""
    qs = Mandate.objects.active(on=on).with_related()
    if unit:
        qs = qs.filter(channel__unit__slug=unit)
    return qs.order_by("channel__unit__name", "channel__name", "employee__last_name", "employee__first_name", "pk")


def unit_mandates(user) -> QuerySet[Mandate]:
    """Return the mandates on the channels of the units *user* manages, newest first."""
    return Mandate.objects.with_related().of_units(permissions.managed_unit_ids(user)).order_by("-valid_until", "-pk")


def unit_mandates_expiring(user, *, within_days: int = 30, on=None) -> QuerySet[Mandate]:
    """Return the unit's current mandates ending within *within_days* that have not been renewed."""
    return unit_mandates(user).expiring(within_days=within_days, on=on).order_by("valid_until", "pk")


def orphaned_channels(user, *, on=None) -> QuerySet[Channel]:
    """Return the active channels of *user*'s units with no active writer (a risk: nobody is appointed)."""
    writers = Mandate.objects.active(on=on).filter(channel=OuterRef("pk"), role=Mandate.Role.WRITER)
    return (
        Channel.objects.with_related()
        .of_units(permissions.managed_unit_ids(user))
        .active()
        .filter(~Exists(writers))
        .order_by("unit__name", "name")
    )


def channels_for_grant(user) -> QuerySet[Channel]:
    """Return the channels *user* may grant mandates on: the active or paused channels of their units."""
    return (
        Channel.objects.with_related()
        .of_units(permissions.managed_unit_ids(user))
        .filter(status__in=Channel.ACCEPTS_MANDATES)
        .order_by("unit__name", "name")
    )


def employees_for_grant() -> QuerySet:
    """Return the people a mandate can be granted to: every active account."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")
