"""Reads of inquiries for screens, scoped to the reader: 404 for what a person may not see."""

from django.db.models import Count, QuerySet

from norsjo.prepared import PreparedQuery
from registry.models import Channel, Platform, Unit

from . import permissions
from .models import Inquiry


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """Every inquiry for the registrar; one's own for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return Inquiry.objects.none()
    if permissions.can_see_all_inquiries(user):
        return Inquiry.objects.all()
    return Inquiry.objects.filter(registered_by=user)


def inquiry_list(*, user, search: str = "") -> QuerySet[Inquiry]:
    """The registrar's list, newest first, searched by number, text, asker, place, unit or channel."""
    if not permissions.can_see_all_inquiries(user):
        return Inquiry.objects.none()
    return (
        Inquiry.objects.search(search)
        .select_related("content", "disposal")
        .annotate(addendum_count=Count("addenda"))
        .order_by("-year", "-serial")
    )


def inquiries_of(user) -> QuerySet[Inquiry]:
    """The inquiries *user* registered, newest first."""
    return (
        Inquiry.objects.filter(registered_by=user)
        .select_related("content", "disposal")
        .annotate(addendum_count=Count("addenda"))
        .order_by("-registered_at", "-id")
    )


def inquiry_for(user, pk) -> Inquiry:
    """Return inquiry *pk* if *user* may see it; ``Inquiry.DoesNotExist`` otherwise."""
    return inquiries_visible_to(user).select_related("registered_by", "content", "disposal").get(pk=pk)


def addenda_of(inquiry: Inquiry):
    return inquiry.addenda.select_related("content").order_by("added_at", "id")


def units_for_form() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("name")


def channels_for_form() -> QuerySet[Channel]:
    """The official channels a question may have come on: those in use."""
    return (
        Channel.objects.filter(status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED])
        .select_related("platform", "unit")
        .order_by("name", "platform__sort_order")
    )


def platforms_for_form() -> QuerySet[Platform]:
    return Platform.objects.order_by("sort_order", "name")


# How many inquiries a person registered (the start page's "Your N inquiries"): compiled once per process.
_OWN_COUNT = PreparedQuery(
    lambda user_id: (
        Inquiry.objects.filter(registered_by_id=user_id)
        .order_by()
        .values("registered_by_id")
        .annotate(count=Count("pk"))
        .values_list("count")
    ),
    user_id=int,
)


def home_section(user) -> dict:
    """The start page's inquiries section: the registrar's latest, and one's own count."""
    own = _OWN_COUNT(user_id=user.pk) if user.is_authenticated else []
    section = {"own_count": own[0][0] if own else 0}
    if permissions.can_see_all_inquiries(user):
        section["registrar"] = True
        section["latest"] = list(Inquiry.objects.order_by("-year", "-serial")[:5])
    return section
