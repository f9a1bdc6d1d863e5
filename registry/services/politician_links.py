"""Politicians' links on the public list (4:5): registered, changed, published and withdrawn by the web team."""

from datetime import date
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import history, permissions
from ..models import PoliticianLink
from ..platforms import recognise
from .errors import ERRORS, field_error, refuse_future, required_reason
from .updates import model_update

# What ``politician_link_update`` changes (and the edit form shows).
LINK_FIELDS = ("politician", "party", "url", "kind", "decided_by", "decided_on", "reference")


class LinkFields(TypedDict, total=False):
    """What ``politician_link_update`` changes; a field left out keeps its value."""

    politician: str
    party: str
    url: str
    kind: str
    decided_by: str
    decided_on: date
    reference: str


def _normalised(url: str) -> str:
    try:
        return recognise(url).url
    except ValidationError as error:
        raise field_error("url", error) from None


def _refuse_duplicate(url: str, *, exclude_pk=None) -> None:
    qs = PoliticianLink.objects.current().filter(url=url)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise field_error("url", "link_duplicate")


def _check_open(link: PoliticianLink, actor) -> None:
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    if link.is_withdrawn:
        raise ValidationError(ERRORS["withdrawn"], code="withdrawn")


@transaction.atomic
def politician_link_register(
    *,
    actor,
    politician: str,
    url: str,
    decided_by: str,
    decided_on: date,
    kind: str = PoliticianLink.Kind.BLOG,
    party: str = "",
    reference: str = "",
    publish: bool = False,
) -> PoliticianLink:
    """Register a politician's link as decided by the person responsible for the website (4:5)."""
    if not permissions.can_manage_politician_links(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    refuse_future(decided_on, field="decided_on")
    url = _normalised(url)
    _refuse_duplicate(url)
    link = PoliticianLink(
        politician=politician.strip(),
        party=party.strip(),
        url=url,
        kind=kind,
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        is_published=publish,
        created_by=actor,
    )
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise field_error("url", "link_duplicate") from None
    history.record(link, action="politician_link.registered", actor=actor)
    if publish:
        history.record(link, action="politician_link.published", actor=actor)
    return link


def _locked(link: PoliticianLink) -> PoliticianLink:
    return PoliticianLink.objects.select_for_update().get(pk=link.pk)


@transaction.atomic
def politician_link_update(*, link: PoliticianLink, actor, **fields: Unpack[LinkFields]) -> PoliticianLink:
    """Change a link's details; the changes are recorded field by field."""
    link = _locked(link)
    _check_open(link, actor)
    if "decided_on" in fields:
        refuse_future(fields["decided_on"], field="decided_on")
    if "url" in fields:
        fields["url"] = _normalised(fields["url"])
        _refuse_duplicate(fields["url"], exclude_pk=link.pk)
    link, changes = model_update(instance=link, fields=LINK_FIELDS, data=fields)
    if changes:
        history.record(link, action="politician_link.updated", actor=actor, changes=changes)
    return link


@transaction.atomic
def politician_link_set_published(*, link: PoliticianLink, actor, published: bool) -> PoliticianLink:
    """Show a link on the public list, with the disclaimer, or take it off."""
    link = _locked(link)
    _check_open(link, actor)
    if link.is_published == published:
        return link
    link.is_published = published
    link.save(update_fields=["is_published", "updated_at"])
    history.record(
        link, action="politician_link.published" if published else "politician_link.unpublished", actor=actor
    )
    return link


@transaction.atomic
def politician_link_withdraw(*, link: PoliticianLink, actor, reason: str) -> PoliticianLink:
    """Withdraw a link for good (it leaves the public list); it is kept with its history."""
    link = _locked(link)
    _check_open(link, actor)
    reason = required_reason(reason)
    link.is_published = False
    link.withdrawn_at = timezone.now()
    link.withdrawal_reason = reason
    link.save(update_fields=["is_published", "withdrawn_at", "withdrawal_reason", "updated_at"])
    history.record(link, action="politician_link.withdrawn", actor=actor, reason=reason)
    return link
