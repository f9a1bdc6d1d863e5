"""Every rule of who may do what in the moderation app: the log (4:10, 4:10 h) and its archive (4:7, 4:6).

Services ask these functions before they write; views and templates ask the same ones
before they offer a button, so what a page offers is what the service will allow.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry import permissions as registry_permissions
from registry.permissions import is_archivist, is_web_team, managed_unit_ids

from . import classification
from .models import RemovedComment

ERRORS = {
    "not_archivist": _("Only archivists may do this."),
}


# --- the log ---------------------------------------------------------------------------------


def can_log_removal(user, channel) -> bool:
    """Log a removal on *channel*: the web team, or anyone with an active mandate on it."""
    return registry_permissions.can_moderate(user, channel)


def sees_whole_log(user) -> bool:
    return is_web_team(user) or is_archivist(user)


def can_use_log(user) -> bool:
    """Open the log at all: the web team, archivists, managers, writers, and whoever logged a removal."""
    if not user.is_authenticated or not user.is_active:
        return False
    return registry_permissions.per_request(user, "can_use_log", lambda: _can_use_log(user))


def _can_use_log(user) -> bool:
    if sees_whole_log(user) or managed_unit_ids(user) or registry_permissions.is_writer(user):
        return True
    return RemovedComment.objects.filter(logged_by=user).exists()


def can_read_content(user, record) -> bool:
    """Read a visible record's comment and screenshots; if confidential (4:10 h) only archivists and the logger.

    Confidential is the record's effective classification: an addendum correcting the
    reason to h protects the original and every addendum too.
    """
    if record.classification.confidential:
        return is_archivist(user) or record.logged_by_id == user.pk
    return True


def content_readable_condition(user, model) -> Q:
    """Return ``can_read_content`` as a condition on visible records (search: a hit reveals content)."""
    if is_archivist(user):
        return Q()
    return ~(classification.confidential_condition(model) & ~Q(logged_by=user))


def sees_record_integrity(user) -> bool:
    """See a record's technical detail: its hash, its files' checksums, each hidden character's code.

    Archivists verify integrity and need them; to a writer or a manager they are noise, so
    their view of a record names a hidden character in words instead.
    """
    return is_archivist(user)


def can_add_addendum(user, record) -> bool:
    """Add a correction or addition: whoever may log removals on the channel, or the person who logged it."""
    return record.logged_by_id == user.pk or can_log_removal(user, record.channel)


# --- the archive -----------------------------------------------------------------------------


def can_export(user) -> bool:
    """Export records (CSV, XLSX, JSON Lines): archivists and the web team, who see the whole log."""
    return is_archivist(user) or is_web_team(user)


def sees_confidential_content(user) -> bool:
    """Confidential content (4:10 h) goes into an export only for archivists."""
    return is_archivist(user)


def can_make_archival_package(user) -> bool:
    """Make the archival package for the e-archive (every record, confidential content included): archivists."""
    return is_archivist(user)


def can_read_access_log(user) -> bool:
    """See who read which record's content or screenshots (``RecordRead``): archivists."""
    return is_archivist(user)


def can_manage_archive(user) -> bool:
    """Disposal decisions, holds, disposal runs and requests for public records: archivists."""
    return is_archivist(user)


def require_archive_manager(user) -> None:
    """Raise ``PermissionDenied`` unless *user* may manage the archive (``can_manage_archive``)."""
    if not can_manage_archive(user):
        raise PermissionDenied(ERRORS["not_archivist"])


# --- removals required by law: the alert and its next steps ----------------------------------


def sees_legal_alerts(user) -> bool:
    """Hear of removals required by law (b–e) and follow them up: the web team and archivists."""
    return is_web_team(user) or is_archivist(user)


def can_record_police_report(user, record) -> bool:
    """Record a police report's reference as an addendum: who follows up the alerts, or who may add addenda."""
    return sees_legal_alerts(user) or can_add_addendum(user, record)


def can_handle_legal_alert(user) -> bool:
    """Mark an alert handled (nothing more to do): the web team and archivists."""
    return sees_legal_alerts(user)
