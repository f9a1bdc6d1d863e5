"""Reads of the security of channels' platform accounts: who administers them, 2FA, recovery."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from norsjo.dates import add_months

from .. import permissions
from ..models import AccountSecurityCheck, Channel, Mandate

CHECKED_STATUSES = (Channel.Status.ACTIVE, Channel.Status.PAUSED)
SECURITY_FLAGS = {
    "unchecked": _("not checked in the last 12 months"),
    "few_administrators": _("fewer than two administrators with an active mandate as account administrator"),
    "no_two_factor": _("two-factor authentication is off"),
    "personal_recovery": _("the recovery address belongs to a person without a mandate on the channel"),
}


@dataclass(frozen=True)
class AccountSecurity:
    """A channel's platform account as last checked, and what is wrong with it today."""

    channel: Channel
    check: AccountSecurityCheck | None
    flags: tuple[str, ...]

    @property
    def flag_labels(self) -> list:
        return [SECURITY_FLAGS[flag] for flag in self.flags]


def account_security(channels, *, on: date | None = None) -> list[AccountSecurity]:
    """Return the account security of each of *channels*, in a fixed number of queries.

    The one rule of what is flagged: no check within 12 months; fewer than two of the checked
    administrators hold an active mandate as account administrator today; two-factor
    authentication off; or a recovery address that is a person's: the e-mail of an account
    that holds no active mandate on the channel (someone who has left, or never wrote there).
    """
    channels = list(channels)
    found = _checks_and_flags([channel.pk for channel in channels], on=on)
    return [AccountSecurity(channel, *found[channel.pk]) for channel in channels]


def _checks_and_flags(ids, *, on: date | None = None, among=None) -> dict[int, tuple]:
    """``account_security``'s rule for the channels *ids*: {id: (latest check or None, flags)}.

    *among*, a queryset of those channels' ids, lets the queries select them by a subquery
    rather than by a list of hundreds of ids.
    """
    today = on or timezone.localdate()
    if among is not None:
        ids, channel_ids = list(among), among
    else:
        channel_ids = ids
    latest = AccountSecurityCheck.objects.filter(channel=OuterRef("channel")).order_by("-checked_on", "-pk")
    checks = {
        check.channel_id: check
        for check in AccountSecurityCheck.objects.filter(
            channel_id__in=channel_ids, pk=Subquery(latest.values("pk")[:1])
        )
    }
    # What the rule compares, in one query (kind, id, id, text): the active mandates on the channels
    # (channel, person, role), the checks' administrators (check, person) and the accounts whose
    # e-mail is a recovery address (person, person, address).
    addresses = {check.recovery_address.lower() for check in checks.values()}
    mandates = Mandate.objects.active(on=today).filter(channel_id__in=channel_ids)
    checked = AccountSecurityCheck.administrators.through.objects.filter(
        accountsecuritycheck_id__in=[check.pk for check in checks.values()]
    )
    accounts = get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=addresses)
    facts = (
        mandates.order_by()
        .values_list(Value("mandate"), "channel_id", "employee_id", "role")
        .union(
            checked.order_by().values_list(Value("administrator"), "accountsecuritycheck_id", "user_id", Value("")),
            accounts.order_by().values_list(Value("person"), "pk", "pk", "email_lower"),
            all=True,
        )
    )
    mandated, admins, checked_admins, people = defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set)
    for kind, first, person, text in facts:
        if kind == "mandate":
            mandated[first].add(person)
            if text == Mandate.Role.ACCOUNT_ADMIN:
                admins[first].add(person)
        elif kind == "administrator":
            checked_admins[first].add(person)
        else:
            people[text].add(person)
    cutoff = add_months(today, -12)
    result = {}
    for channel_id in ids:
        check, flags = checks.get(channel_id), []
        if check is None or check.checked_on < cutoff:
            flags.append("unchecked")
        if check is not None:
            if len(checked_admins[check.pk] & admins[channel_id]) < 2:
                flags.append("few_administrators")
            if not check.two_factor:
                flags.append("no_two_factor")
            if people[check.recovery_address.lower()] - mandated[channel_id]:
                flags.append("personal_recovery")
        result[channel_id] = (check, tuple(flags))
    return result


def _answered_for(user):
    channels = Channel.objects.with_related().filter(status__in=CHECKED_STATUSES).order_by("unit__name", "name")
    if user is not None and not permissions.is_web_team(user):
        channels = channels.of_units(permissions.managed_unit_ids(user))
    return channels


def account_security_flagged(user=None, *, on: date | None = None) -> list[AccountSecurity]:
    """Return the flagged accounts *user* answers for (web team: all; manager: own units; None: all)."""
    return [state for state in account_security(_answered_for(user), on=on) if state.flags]


def account_security_home(user, *, limit: int = 20) -> dict | None:
    """The start page's flagged accounts: the web team's and a manager's; None for others."""
    if not permissions.is_web_team(user) and not permissions.is_manager(user):
        return None
    # The rule over the ids of every channel account_security_flagged reads (a register of
    # hundreds), then only the shown channels read, with only the columns the start page shows.
    found = _checks_and_flags(None, among=_answered_for(user).values_list("pk", flat=True))
    flagged = [channel_id for channel_id, (_check, flags) in found.items() if flags]
    shown = _answered_for(user).only("name", "platform__name", "unit__name").in_bulk(flagged[:limit])
    states = [AccountSecurity(shown[channel_id], *found[channel_id]) for channel_id in flagged[:limit]]
    return {"flagged": states, "count": len(flagged)}
