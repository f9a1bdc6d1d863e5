"""Who may do what in the registry.

Roles: the web team, archivists and registrars are groups; a manager is a person listed among a unit's
managers; a writer is a person holding an active mandate. Administrators (IT) run the
Django admin. A person can hold several roles.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone

from norsjo.prepared import PreparedQuery

WEB_TEAM_GROUP = "web_team"
ARCHIVIST_GROUP = "archivist"
REGISTRAR_GROUP = "registrator"

# A request's own memo of permission answers, on its user (``remember_per_request``): a rule
# asked by the view, the menu and a template tag runs its query once per request.
REQUEST_MEMO = "_kanal_request_memo"


def remember_per_request(user):
    """Give *user* (a request's ``request.user``) a memo of answers for the request's duration.

    Set by ``registry.middleware.PermissionMemoMiddleware`` on the user it loads for a request,
    so every answer is computed again on the next request. A user object without it (a
    test's, a command's) asks the database every time.
    """
    if user.is_authenticated:
        setattr(user, REQUEST_MEMO, {})
    return user


def per_request(user, key, compute):
    """Return *compute()*, remembered as *key* for the rest of the request when *user* has a memo."""
    memo = getattr(user, REQUEST_MEMO, None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _roles_of(user_id, day):
    """The rows of a person's groups, managed units and mandates in force on *day*: one query.

    Built from the rules' own querysets (``user.groups``, ``user.managed_units`` of active units,
    ``MandateQuerySet.active``), compiled once per process (``norsjo.prepared``).
    """
    from django.contrib.auth.models import Group

    from .models import Mandate

    def rows(qs, kind, key):
        return qs.order_by().annotate(kind=Value(kind), key=key).values_list("kind", "key")

    groups = rows(Group.objects.filter(user__id=user_id), "group", F("name"))
    units = rows(_managed_units(user_ids=[user_id]), "unit", Cast("id", CharField()))
    own = Mandate.objects.filter(employee_id=user_id)
    mandates = rows(own.active(on=day), "mandate", Cast("channel_id", CharField()))
    current = rows(own.current(on=day), "current", Cast("channel_id", CharField()))
    return groups.union(units, mandates, current, all=True)


_ROLES_QUERY = PreparedQuery(_roles_of, user_id=int, day=datetime.date)


def _load_roles(user) -> bool:
    """Read a request user's groups, managed units and active (and current) mandates in one query; False for others.

    Every signed-in page asks all three (the menu alone does): one round trip instead of
    three, its SQL compiled once per process. The answers are those of ``_group_names``,
    ``managed_unit_ids`` and ``active_mandate_channel_ids``, which use them.
    """
    memo = getattr(user, REQUEST_MEMO, None)
    if memo is None:
        return False
    if "roles_loaded" not in memo:
        found = {"group": set(), "unit": set(), "mandate": set(), "current": set()}
        for kind, key in _ROLES_QUERY(user_id=user.pk, day=timezone.localdate()):
            found[kind].add(key)
        user._kanal_group_names = frozenset(found["group"])
        user._kanal_managed_unit_ids = frozenset(int(key) for key in found["unit"])
        memo["active_mandate_channel_ids"] = frozenset(int(key) for key in found["mandate"])
        memo["holds_current_mandate"] = bool(found["current"])
        memo["roles_loaded"] = True
    return True


def holds_current_mandate(user) -> bool:
    """Whether *user* has a mandate today that is neither revoked nor ended (``MandateQuerySet.current``).

    Every mandate awaiting acknowledgement or ending soon is one: without any, the start page
    reads no list of the person's own mandates.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    _load_roles(user)
    return per_request(user, "holds_current_mandate", lambda: user.mandates.current().exists())


def active_mandate_channel_ids(user, *, on=None) -> frozenset[int]:
    """Return the ids of the channels *user* holds an active mandate on (today, or on *on*)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()

    def compute():
        return frozenset(user.mandates.active(on=on).values_list("channel_id", flat=True))

    if on is not None:
        return compute()
    _load_roles(user)
    return per_request(user, "active_mandate_channel_ids", compute)


def _group_names(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kanal_group_names", None)
    if cached is None and _load_roles(user):
        cached = user._kanal_group_names
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kanal_group_names = cached
    return cached


def is_web_team(user) -> bool:
    return WEB_TEAM_GROUP in _group_names(user)


def is_archivist(user) -> bool:
    return ARCHIVIST_GROUP in _group_names(user)


def is_registrar(user) -> bool:
    """The registrar (registrator) receives incoming matters, such as inquiries (section 5)."""
    return REGISTRAR_GROUP in _group_names(user)


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def managed_unit_ids(user) -> frozenset[int]:
    """Return the ids of the units *user* manages."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kanal_managed_unit_ids", None)
    if cached is None and _load_roles(user):
        cached = user._kanal_managed_unit_ids
    if cached is None:
        cached = frozenset(_managed_units(user_ids=[user.pk]).values_list("id", flat=True))
        user._kanal_managed_unit_ids = cached
    return cached


def _managed_units(user_ids):
    """The units the people *user_ids* manage: the active units listing them among their managers."""
    from .models import Unit

    return Unit.objects.filter(is_active=True, managers__id__in=user_ids)


def managed_units_of(user_ids):
    """The units the people *user_ids* (ids, or a subquery of them) manage, as ``managed_unit_ids`` reads them."""
    return _managed_units(user_ids)


def remember_managed_unit_ids(user, unit_ids) -> None:
    """Answer ``managed_unit_ids`` for *user* (a person shown on a page) with *unit_ids* (``managed_units_of``)."""
    user._kanal_managed_unit_ids = frozenset(unit_ids)


def remember_managed_units(users) -> None:
    """Answer ``managed_unit_ids`` for each of *users* (a list of people shown on a page) with one query."""
    users = [user for user in users if getattr(user, "_kanal_managed_unit_ids", None) is None]
    if not users:
        return
    found = {user.pk: set() for user in users}
    for user_id, unit_id in _managed_units(user_ids=list(found)).values_list("managers__id", "id"):
        found[user_id].add(unit_id)
    for user in users:
        user._kanal_managed_unit_ids = frozenset(found[user.pk])


def is_manager(user) -> bool:
    return bool(managed_unit_ids(user))


def manages_unit(user, unit) -> bool:
    return unit is not None and unit.pk in managed_unit_ids(user)


def can_propose_channel(user) -> bool:
    """A manager proposes channels for their own units; the web team registers directly."""
    return is_manager(user) or is_web_team(user)


def can_propose_for(user, unit) -> bool:
    return is_web_team(user) or manages_unit(user, unit)


def can_edit_channel(user, channel) -> bool:
    """The web team edits any open channel; a unit's manager edits the unit's open channels."""
    if not channel.is_open:
        return False
    return is_web_team(user) or manages_unit(user, channel.unit)


def address_change_needs_approval(user, channel) -> bool:
    """Return whether *user*'s change of *channel*'s address, platform or handle waits for the web team.

    The one rule of what makes an address official: an active or paused channel's address is
    official (the verify API and the public list answer for it), so a change of it by anyone
    but the web team is a proposal (``ChannelChange``) until the web team approves it. A
    proposed channel is not official yet (the web team approves it as a whole); the web
    team's own change applies at once, as the web team is who approves.
    """
    if channel.status == channel.Status.PROPOSED:
        return False
    return not is_web_team(user)


def can_decide_address_change(user) -> bool:
    """Approving or rejecting a proposed change of address belongs to the web team."""
    return is_web_team(user)


def can_see_address_change(user, channel) -> bool:
    """A proposed change of address is shown to the unit's managers and the web team."""
    return is_web_team(user) or manages_unit(user, channel.unit)


def can_review_proposals(user) -> bool:
    """Approving, rejecting, publishing, pausing and closing belong to the web team."""
    return is_web_team(user)


def can_change_channel_status(user, channel) -> bool:
    return is_web_team(user) and channel.is_open


def can_moderate(user, channel, *, on=None) -> bool:
    """Log removals on *channel* (4:10): the web team, or anyone with an active mandate on it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_web_team(user):
        return True
    return channel.pk in active_mandate_channel_ids(user, on=on)


def is_writer(user, *, on=None) -> bool:
    """A writer holds at least one active mandate (a role that follows from data)."""
    return bool(active_mandate_channel_ids(user, on=on))


def can_grant_mandates(user) -> bool:
    """Open the grant form: a manager (for the unit's staff) or the web team (for the unit's managers)."""
    return is_manager(user) or is_web_team(user)


def can_see_unit_mandates(user) -> bool:
    """The manager's view of the units' mandates."""
    return is_manager(user)


def mandate_grant_refusal(user, channel, employee) -> str | None:
    """Return why *user* may not grant *employee* a mandate on *channel*, or None when they may (4:2).

    The one rule of who grants whom, asked by the services (``mandate_grant``,
    ``mandate_grant_many``, ``mandate_renew``), the grant form and the offered buttons:

    - a manager of the channel's unit grants mandates on it to the staff;
    - nobody grants a mandate to themselves: a manager's own mandate comes from another
      manager of the unit or from the web team, which grants mandates only to the unit's
      managers (the web team does not appoint the units' staff);
    - administrators (IT) never hold mandates.
    """
    if not user.is_authenticated or not user.is_active:
        return "not_unit_manager"
    manager = manages_unit(user, channel.unit)
    if not manager and not is_web_team(user):
        return "not_unit_manager"
    if employee.is_superuser:
        return "administrator"
    if not employee.is_active:
        return "inactive_employee"
    if employee.pk == user.pk:
        return "self_grant"
    if not manager and not manages_unit(employee, channel.unit):
        return "web_team_managers_only"
    return None


def can_grant_mandate(user, channel, employee) -> bool:
    """Whether *user* may grant *employee* a mandate on *channel* (see ``mandate_grant_refusal``)."""
    return mandate_grant_refusal(user, channel, employee) is None


def can_grant_on(user, channel) -> bool:
    """Offer "grant a mandate on this channel" to the staff: a manager of the channel's unit (4:2, 4:3)."""
    return manages_unit(user, channel.unit)


def can_see_mandate(user, mandate) -> bool:
    """The employee, the granting manager, the unit's managers and the web team see a mandate."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        mandate.employee_id == user.pk
        or mandate.granted_by_id == user.pk
        or is_web_team(user)
        or manages_unit(user, mandate.channel.unit)
    )


def can_acknowledge_mandate(user, mandate) -> bool:
    """Only the employee who holds a mandate acknowledges it (4:2)."""
    return user.is_authenticated and mandate.employee_id == user.pk


def can_revoke_mandate(user, mandate) -> bool:
    """The granting manager, another manager of the unit, or the web team revoke a mandate."""
    if not user.is_authenticated or not user.is_active:
        return False
    return mandate.granted_by_id == user.pk or manages_unit(user, mandate.channel.unit) or is_web_team(user)


def can_renew_mandate(user, mandate) -> bool:
    """Renewing is granting again, under the same rule (``mandate_grant_refusal``)."""
    return can_grant_mandate(user, mandate.channel, mandate.employee)


def can_see_appointed_writers(user) -> bool:
    """The municipality-wide list of appointed writers (4:3) is the web team's."""
    return is_web_team(user)


# -- The public list and the web team's duties (4:4, 4:5, 4:8) ---------------------------


def can_preview_public_list(user) -> bool:
    return is_web_team(user)


def can_manage_politician_links(user) -> bool:
    """Registering, publishing and withdrawing politicians' links belong to the web team (4:5)."""
    return is_web_team(user)


def can_document(user, channel) -> bool:
    """Saving screenshots of a channel (4:8) belongs to the web team; a closed channel is done."""
    return is_web_team(user) and channel.status in (channel.Status.ACTIVE, channel.Status.PAUSED)


def can_see_documentation(user, channel, *, on=None) -> bool:
    """Screenshot files are shown to the web team, the channel's unit's managers and its writers.

    Screenshots may show people's names and comments, so they are not for every employee:
    only for those who answer for the channel (web team, the unit's managers) or write on it
    (an active mandate). Archivists get records through exports, not this screen.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if is_web_team(user) or manages_unit(user, channel.unit):
        return True
    return channel.pk in active_mandate_channel_ids(user, on=on)


def can_see_overdue_documentation(user) -> bool:
    return is_web_team(user)


def can_see_overdue_reviews(user) -> bool:
    """The overdue yearly reviews: the web team sees all, a manager their units'."""
    return is_web_team(user) or is_manager(user)


def can_review_channel(user, channel) -> bool:
    """The unit reviews its channels yearly: its managers, or the web team on its behalf."""
    if channel.status not in (channel.Status.ACTIVE, channel.Status.PAUSED):
        return False
    return is_web_team(user) or manages_unit(user, channel.unit)


# -- Reports from the public and the security of platform accounts -----------------------


def can_handle_impostor_reports(user) -> bool:
    """The queue of impostor reports from the public, and settling them, belong to the web team."""
    return is_web_team(user)


def can_see_account_security(user, channel) -> bool:
    """A channel's platform-account security: the web team and the unit's managers, who review it."""
    return is_web_team(user) or manages_unit(user, channel.unit)
