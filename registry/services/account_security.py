"""The security of a channel's platform account, recorded in the yearly review (or on its own)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import history, permissions
from ..models import AccountSecurityCheck, Channel, ChannelReview, Mandate
from .errors import ERRORS, field_error, refuse_future


@transaction.atomic
def account_security_record(
    *,
    channel: Channel,
    actor,
    administrators,
    two_factor: bool,
    recovery_address: str,
    checked_on: date | None = None,
    review: ChannelReview | None = None,
) -> AccountSecurityCheck:
    """Record who administers *channel*'s platform account, whether 2FA is on, and its recovery address.

    Each administrator must hold an active mandate as account administrator on the channel
    that day. No password is taken or kept. What is then flagged (fewer than two
    administrators, no 2FA, a person's recovery address) is computed by
    ``registry.selectors.account_security.account_security``.
    """
    if not permissions.can_review_channel(actor, channel):
        raise PermissionDenied(ERRORS["not_allowed"])
    checked_on = checked_on or timezone.localdate()
    refuse_future(checked_on, field="checked_on")
    administrators = list(administrators or [])
    admins = set(
        Mandate.objects.active(on=checked_on)
        .filter(channel=channel, role=Mandate.Role.ACCOUNT_ADMIN)
        .values_list("employee_id", flat=True)
    )
    for person in administrators:
        if person.pk not in admins:
            name = person.get_full_name() or person.get_username()
            error = ValidationError(
                ERRORS["administrator_without_mandate"], code="administrator_without_mandate", params={"name": name}
            )
            raise field_error("administrators", error)
    recovery_address = (recovery_address or "").strip()
    if not recovery_address:
        raise field_error("recovery_address", "recovery_address_required")
    check = AccountSecurityCheck(
        channel=channel,
        review=review,
        checked_on=checked_on,
        two_factor=two_factor,
        recovery_address=recovery_address,
        checked_by=actor,
    )
    check.full_clean(exclude=["administrators"])
    check.save()
    check.administrators.set(administrators)
    yes, no = str(_("yes")), str(_("no"))
    history.record(
        channel,
        action="channel.account_security_checked",
        actor=actor,
        changes={
            "administrators": ", ".join(sorted(p.get_full_name() or p.get_username() for p in administrators)),
            "two_factor": yes if two_factor else no,
            "recovery_address": recovery_address,
        },
    )
    return check
