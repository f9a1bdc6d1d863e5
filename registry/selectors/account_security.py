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
from norsjo.prepared_rows import PreparedRows

from .. import permissions
from ..models import AccountSecurityCheck, Channel, Mandate
from .home import HomeChannel

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


def _checks_and_flags(ids, *, on: date | None = None) -> dict[int, tuple]:
    """``account_security``'s rule for the channels *ids*: {id: (latest check or None, flags)}."""
    today = on or timezone.localdate()
    checks = {
        check.channel_id: check
        for check in AccountSecurityCheck.objects.filter(channel_id__in=ids, pk=Subquery(_latest_check("channel")))
    }
    # What the rule compares, in one query (kind, id, id, text): the active mandates on the channels
    # (channel, person, role), the checks' administrators (check, person) and the accounts whose
    # e-mail is a recovery address (person, person, address).
    addresses = {check.recovery_address.lower() for check in checks.values()}
    checked = AccountSecurityCheck.administrators.through.objects.filter(
        accountsecuritycheck_id__in=[check.pk for check in checks.values()]
    )
    accounts = get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=addresses)
    facts = _facts(Mandate.objects.active(on=today).filter(channel_id__in=ids), checked, accounts)
    return _flagged(ids, checks, facts, today)


def _latest_check(channel: str):
    """The id of the latest check of the channel *channel* (an outer reference) names."""
    latest = AccountSecurityCheck.objects.filter(channel=OuterRef(channel)).order_by("-checked_on", "-pk")
    return latest.values("pk")[:1]


def _facts(mandates, checked, accounts):
    return (
        mandates.order_by()
        .values_list(Value("mandate"), "channel_id", "employee_id", "role")
        .union(
            checked.order_by().values_list(Value("administrator"), "accountsecuritycheck_id", "user_id", Value("")),
            accounts.order_by().values_list(Value("person"), "pk", "pk", "email_lower"),
            all=True,
        )
    )


def _flagged(ids, checks: dict, facts, today: date) -> dict[int, tuple]:
    """The rule itself, over what was read: *checks* {channel id: latest check}, *facts* as ``_facts`` selects them.

    A check is anything with ``pk``, ``checked_on``, ``two_factor`` and ``recovery_address``.
    """
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


@dataclass(frozen=True)
class _Check:
    """What the start page's rule reads of a channel's latest check."""

    pk: int
    checked_on: date
    two_factor: bool
    recovery_address: str


def _home_channels(unit_ids=None):
    """Every channel the person answers for, in the start page's order, with its latest check's columns."""
    channels = Channel.objects.filter(status__in=CHECKED_STATUSES)
    if unit_ids is not None:
        channels = channels.of_units(unit_ids)
    latest = _latest_check("pk")
    return channels.order_by("unit__name", "name").values_list(
        "pk",
        "name",
        "platform__name",
        "unit__name",
        Subquery(latest),
        Subquery(latest.values("checked_on")),
        Subquery(latest.values("two_factor")),
        Subquery(latest.values("recovery_address")),
    )


def _home_facts(day, unit_ids=None):
    """``_facts`` over the channels of ``_home_channels`` and their latest checks, by subqueries (one SQL shape)."""
    channels = Channel.objects.filter(status__in=CHECKED_STATUSES)
    if unit_ids is not None:
        channels = channels.of_units(unit_ids)
    latest = AccountSecurityCheck.objects.filter(
        channel__in=channels.values("pk"), pk=Subquery(_latest_check("channel"))
    )
    checked = AccountSecurityCheck.administrators.through.objects.filter(
        accountsecuritycheck_id__in=latest.values("pk")
    )
    addresses = latest.annotate(address=Lower("recovery_address")).values("address")
    accounts = get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=addresses)
    mandates = Mandate.objects.active(on=day).filter(channel_id__in=channels.values("pk"))
    return _facts(mandates, checked, accounts)


# The start page's two queries, compiled once per process: the web team's (every channel) and a
# manager's (their units', by the number of units).
_HOME_CHANNELS = {"all": PreparedRows(_home_channels), "units": PreparedRows(_home_channels, unit_ids=list)}
_HOME_FACTS = {"all": PreparedRows(_home_facts, day=date), "units": PreparedRows(_home_facts, day=date, unit_ids=list)}


def account_security_home(user, *, limit: int = 20, on: date | None = None) -> dict | None:
    """The start page's flagged accounts: the web team's and a manager's; None for others.

    The rule (``_flagged``) over every channel ``account_security_flagged`` reads, in two queries
    of a fixed shape; only the shown channels become objects, with the columns the page shows.
    """
    if permissions.is_web_team(user):
        params = {}
        key = "all"
    elif permissions.is_manager(user):
        params = {"unit_ids": sorted(permissions.managed_unit_ids(user))}
        key = "units"
    else:
        return None
    today = on or timezone.localdate()
    rows = _HOME_CHANNELS[key](**params)
    checks = {row[0]: _Check(*row[4:]) for row in rows if row[4] is not None}
    found = _flagged([row[0] for row in rows], checks, _HOME_FACTS[key](day=today, **params), today)
    flagged = [row for row in rows if found[row[0]][1]]
    states = [AccountSecurity(HomeChannel(*row[:4]), *found[row[0]]) for row in flagged[:limit]]
    return {"flagged": states, "count": len(flagged)}
