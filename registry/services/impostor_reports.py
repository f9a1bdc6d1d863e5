"""Reports of impostor accounts: received from the public without sign-in, settled by the web team."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import history, permissions
from ..models import ImpostorReport
from ..models.impostor_reports import REPORT_CONTACT_MAX, REPORT_NOTE_MAX
from ..selectors import verify_url
from .errors import ERRORS, field_error

SETTLED_OUTCOMES = (
    ImpostorReport.Outcome.REPORTED,
    ImpostorReport.Outcome.NOT_IMPOSTOR,
    ImpostorReport.Outcome.DUPLICATE,
)


def _limited(value: str, *, field: str, limit: int, code: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise field_error(field, ValidationError(ERRORS[code], code=code, params={"limit": limit}))
    return value


@transaction.atomic
def impostor_report_receive(*, url: str, note: str = "", contact: str = "") -> ImpostorReport:
    """Receive a report from the public that *url* pretends to be the municipality's (no actor: no sign-in).

    The address is normalised and checked exactly as "is this really you?" does; an official
    channel is refused. The lookalike match of that moment is kept with the report.
    """
    if not (url or "").strip():
        raise field_error("url", "report_url_required")
    note = _limited(note, field="note", limit=REPORT_NOTE_MAX, code="report_note_too_long")
    contact = _limited(contact, field="contact", limit=REPORT_CONTACT_MAX, code="report_contact_too_long")
    try:
        verification = verify_url(url)
    except ValidationError as error:
        raise field_error("url", error) from error
    if verification.official:
        raise field_error("url", "report_official")
    recognition = verification.recognition
    report = ImpostorReport.objects.create(
        url=recognition.url,
        platform=recognition.platform,
        handle=(recognition.handle or "")[:200],
        note=note,
        contact=contact,
        resembles_text="\n".join(f"{channel.name} – {channel.url}" for channel in verification.similar),
    )
    report.resembles.set(verification.similar)
    history.record(report, action="impostor_report.received", actor=None)
    return report


@transaction.atomic
def impostor_report_settle(
    *, report: ImpostorReport, outcome: str, actor, note: str = "", duplicate_of: ImpostorReport | None = None
) -> ImpostorReport:
    """Settle an open report: reported to the platform, not an impostor, or a duplicate of another report."""
    if not permissions.can_handle_impostor_reports(actor):
        raise PermissionDenied(ERRORS["not_allowed"])
    report = ImpostorReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_open:
        raise ValidationError(ERRORS["report_settled"], code="report_settled")
    if outcome not in SETTLED_OUTCOMES:
        raise field_error("outcome", "report_outcome")
    if outcome == ImpostorReport.Outcome.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise field_error("duplicate_of", "duplicate_of_required")
    else:
        duplicate_of = None
    report.outcome = outcome
    report.duplicate_of = duplicate_of
    report.settled_note = (note or "").strip()
    report.settled_by = actor
    report.settled_at = timezone.now()
    report.full_clean(exclude=["resembles"])
    report.save(update_fields=["outcome", "duplicate_of", "settled_note", "settled_by", "settled_at"])
    changes = {"outcome": [ImpostorReport.Outcome.OPEN, outcome]}
    if duplicate_of is not None:
        changes["duplicate_of"] = duplicate_of.pk
    history.record(report, action="impostor_report.settled", actor=actor, changes=changes, reason=report.settled_note)
    return report
