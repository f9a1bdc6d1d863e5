"""Screenshot documentation of a channel (4:8): files checked by content, kept with their checksums."""

import os
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from norsjo.files import sha256_file

from .. import history, permissions
from ..models import Channel, Documentation, DocumentationFile
from ..uploads import check_upload
from .errors import ERRORS, field_error, refuse_future


def _checked(uploaded) -> tuple[object, str, str]:
    """Return *uploaded* with its checked content type and SHA-256, or refuse it on the "files" field."""
    try:
        content_type = check_upload(uploaded)
    except ValidationError as error:
        raise field_error("files", error) from None
    return uploaded, content_type, sha256_file(uploaded)


def documentation_record(
    *,
    channel: Channel,
    actor,
    files: list,
    documented_on: date | None = None,
    reason: str = Documentation.Reason.YEARLY,
    note: str = "",
) -> Documentation:
    """Save screenshots of *channel* with their SHA-256 checksums, the date and the reason (4:8).

    Every file is checked by its content (PNG, JPEG or PDF) and size before anything is saved.
    """
    if not permissions.can_document(actor, channel):
        if permissions.is_web_team(actor):
            raise ValidationError(ERRORS["not_documentable"], code="not_documentable")
        raise PermissionDenied(ERRORS["not_allowed"])
    if not files:
        raise field_error("files", "files_required")
    documented_on = documented_on or timezone.localdate()
    refuse_future(documented_on, field="documented_on")
    checked = [_checked(uploaded) for uploaded in files]
    saved_paths = []
    try:
        with transaction.atomic():
            documentation = Documentation.objects.create(
                channel=channel, documented_on=documented_on, reason=reason, note=note.strip(), created_by=actor
            )
            for uploaded, content_type, digest in checked:
                record = DocumentationFile(
                    documentation=documentation,
                    original_name=os.path.basename(uploaded.name)[:255],
                    content_type=content_type,
                    size=uploaded.size,
                    sha256=digest,
                )
                record.file.save("upload", uploaded, save=False)
                saved_paths.append(record.file.name)
                record.save()
            history.record(
                channel,
                action="channel.documented",
                actor=actor,
                changes={"files": ["", str(len(checked))], "reason": ["", str(Documentation.Reason(reason).label)]},
                reason=note.strip(),
            )
    except BaseException:
        # The database rolled back; do not leave the files behind.
        for path in saved_paths:
            default_storage.delete(path)
        raise
    return documentation
