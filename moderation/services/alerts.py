"""The alert of a removal required by law (lag (1998:112) 5 §, reasons b–e): the e-mail, and marking it handled.

``removal_log`` and ``addendum_add`` call ``legal_alert_notify`` when a record's group becomes
required by law; the e-mail goes to the web team and the archivists after the transaction
commits (never for a record that was rolled back). It carries the record's number and link
only, never the comment or its author (4:9: the e-mail may be forwarded or kept elsewhere).
The start-page notice is derived from data: ``moderation.selectors.alerts``.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registry.permissions import ARCHIVIST_GROUP, WEB_TEAM_GROUP

from .. import permissions
from ..models import LegalAlertHandled, RemovedComment
from ..selectors.alerts import hold_form_path

logger = logging.getLogger(__name__)

ERRORS = {
    "not_allowed": _("Only the web team and archivists follow up removals required by law."),
    "note_required": _("Say why nothing more needs to be done."),
    "already_handled": _("This alert has already been marked as handled."),
    "not_required": _("This record is not a removal required by law."),
}


def legal_alert_recipients() -> list[str]:
    """Return the e-mail addresses of the active members of the web team and the archivists."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[WEB_TEAM_GROUP, ARCHIVIST_GROUP])
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def legal_alert_notify(*, record: RemovedComment) -> None:
    """E-mail the web team and the archivists about *record* (an original) once the transaction commits."""
    record_pk = record.pk

    def send_legal_alert():
        legal_alert_send(record_pk=record_pk)

    # robust: the record is saved whatever the mail server says; a failure is logged. (A function,
    # not functools.partial: Django logs a robust callback's failure by its __qualname__.)
    transaction.on_commit(send_legal_alert, robust=True)


def legal_alert_send(*, record_pk: int) -> int:
    """Send the alert of record *record_pk*, one message per recipient; return how many were sent."""
    record = RemovedComment.objects.get(pk=record_pk)
    recipients = legal_alert_recipients()
    if not recipients:
        logger.warning("No web team or archivist has an e-mail address: alert of record %s not sent", record.pk)
        return 0
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "number": record.sequence,
            "record_url": base + record.get_absolute_url(),
            "police_report_url": base + reverse("moderation:police_report_create", kwargs={"pk": record.pk}),
            "hold_url": base + hold_form_path(record),
            "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        }
        subject = str(_("%(municipality)s: a removal required by law was logged (no. %(number)s)")) % {
            "municipality": settings.MUNICIPALITY_NAME,
            "number": record.sequence,
        }
        body = render_to_string("moderation/email/legal_alert.txt", context)
    messages = [EmailMessage(subject, body, None, [address]) for address in recipients]
    return get_connection().send_messages(messages) or 0


@transaction.atomic
def legal_alert_mark_handled(*, actor, record: RemovedComment, note: str) -> LegalAlertHandled:
    """Record that the alert of *record* needs nothing more (e.g. reported by someone else, no hold needed)."""
    if not permissions.can_handle_legal_alert(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    original = record.addendum_to if record.addendum_to_id is not None else record
    if not RemovedComment.objects.with_classification().get(pk=original.pk).classification.legally_required:
        raise ValidationError(ERRORS["not_required"], code="not_required")
    if not note.strip():
        raise ValidationError({"note": ValidationError(ERRORS["note_required"], code="note_required")})
    if LegalAlertHandled.objects.filter(record=original).exists():
        raise ValidationError(ERRORS["already_handled"], code="already_handled")
    return LegalAlertHandled.objects.create(
        record=original, note=note.strip(), handled_by=actor, handled_at=timezone.now()
    )
