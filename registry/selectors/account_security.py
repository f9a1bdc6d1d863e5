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
from norsjo.prepared import INTS, PreparedQuery

from .. import permissions
from ..models import AccountSecurityCheck, Channel, Mandate
from .home import HomeChannel, list_part, lists_by_kind

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


def _home_rows(day, unit_ids=None):
    """Every channel the person answers for (in the start page's order), their latest checks and the
    rule's facts (``_facts``, by subqueries), in one query of one shape (``home.list_part``'s columns)."""
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
    none = {"name": None, "platform": None, "unit": None, "numbered": False}
    checks = {"pk": "channel_id", "total": "pk", "day": "checked_on", "flag": "two_factor", "text1": "recovery_address"}
    return list_part("channel", channels.order_by("unit__name", "name")).union(
        list_part("check", latest, **checks, **none),
        list_part("mandate", mandates, pk="channel_id", total="employee_id", text1="role", **none),
        list_part("administrator", checked, pk="accountsecuritycheck_id", total="user_id", **none),
        list_part("person", accounts, total="pk", text1="email_lower", **none),
        all=True,
    )


# The start page's query, compiled once per process: the web team's (every channel) and a
# manager's (their units', by the number of units).
_HOME_ROWS = {"all": PreparedQuery(_home_rows, day=date), "units": PreparedQuery(_home_rows, day=date, unit_ids=INTS)}


def account_security_home(user, *, limit: int = 20, on: date | None = None) -> dict | None:
    """The start page's flagged accounts: the web team's and a manager's; None for others.

    The rule (``_flagged``) over every channel ``account_security_flagged`` reads, in one query
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
    lists = lists_by_kind(_HOME_ROWS[key](day=today, **params))
    channels = lists.get("channel", [])
    # (kind, pos, first id, name, platform, unit, text1, text2, day, flag, second id)
    checks = {row[2]: _Check(row[10], row[8], row[9], row[6]) for row in lists.get("check", [])}
    facts = [
        (kind, row[2], row[10], row[6])
        for kind in ("mandate", "administrator", "person")
        for row in lists.get(kind, [])
    ]
    found = _flagged([row[2] for row in channels], checks, facts, today)
    flagged = [row for row in channels if found[row[2]][1]]
    states = [AccountSecurity(HomeChannel(*row[2:6]), *found[row[2]]) for row in flagged[:limit]]
    return {"flagged": states, "count": len(flagged)}
