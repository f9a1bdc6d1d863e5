"""The hash chain of the moderation log: canonical serialisation, compute, verify.

Canonical serialisation: JSON with sorted keys, no insignificant whitespace, UTF-8 (not
ASCII-escaped), datetimes as ISO 8601 in UTC with microseconds, and a version number. Each
record's hash covers its fields, the content's checksum, the attachments' checksums and
the previous record's hash; the first record's previous hash is 64 zeros. A record whose
content was disposed of (4:7) still verifies: its checksums are kept on the record.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.files.storage import default_storage

from norsjo.files import sha256_file

from .models import ChainHead, DisposedRecord, RemovedComment, RemovedCommentAttachment, RemovedCommentContent

SERIALISATION_VERSION = 1
GENESIS_HASH = "0" * 64

RECORD_FIELDS = (
    "sequence",
    "channel_id",
    "channel_name",
    "unit_name",
    "platform_name",
    "category",
    "legally_required",
    "confidential",
    "action",
    "comment_published_at",
    "removed_at",
    "logged_by_id",
    "logged_at",
    "addendum_to_id",
    "content_sha256",
    "attachments_sha256",
    "previous_hash",
)
CONTENT_FIELDS = ("text", "author_name", "author_handle", "author_url", "comment_url", "post_url", "explanation")
ATTACHMENT_FIELDS = ("position", "original_name", "content_type", "size", "sha256")


def _value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(data) -> bytes:
    """Return the canonical bytes of *data* (a dict or list of JSON values)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content) -> str:
    data = {name: getattr(content, name) for name in CONTENT_FIELDS}
    data["v"] = SERIALISATION_VERSION
    return sha256(canonical(data))


def attachments_hash(attachments) -> str:
    """Return the SHA-256 of the attachments' metadata and checksums, in position order."""
    items = sorted(
        ({name: getattr(a, name) for name in ATTACHMENT_FIELDS} for a in attachments), key=lambda a: a["position"]
    )
    return sha256(canonical({"v": SERIALISATION_VERSION, "attachments": items}))


def record_hash(record) -> str:
    data = {name: _value(getattr(record, name)) for name in RECORD_FIELDS}
    data["v"] = SERIALISATION_VERSION
    return sha256(canonical(data))


@dataclass
class Problem:
    sequence: int | None
    record_id: int | None
    reason: str

    def __str__(self):
        where = f"record #{self.sequence} (id {self.record_id})" if self.record_id else "log"
        return f"{where}: {self.reason}"


def verify(*, check_files: bool = True, batch_size: int = 2000) -> Iterator[Problem]:
    """Recompute the whole chain and yield every problem found (nothing when intact)."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    last_seen = 0
    queryset = RemovedComment.objects.order_by("sequence")
    while True:
        batch = list(queryset.filter(sequence__gt=last_seen)[:batch_size])
        if not batch:
            break
        ids = [record.pk for record in batch]
        contents = {c.record_id: c for c in RemovedCommentContent.objects.filter(record_id__in=ids)}
        attachments: dict[int, list] = {}
        for attachment in RemovedCommentAttachment.objects.filter(record_id__in=ids).order_by("position"):
            attachments.setdefault(attachment.record_id, []).append(attachment)
        disposed = set(DisposedRecord.objects.filter(record_id__in=ids).values_list("record_id", flat=True))
        for record in batch:
            yield from _verify_record(
                record,
                expected_sequence=expected_sequence,
                expected_previous=expected_previous,
                content=contents.get(record.pk),
                attachments=attachments.get(record.pk, []),
                disposed=record.pk in disposed,
                check_files=check_files,
            )
            expected_sequence = record.sequence + 1
            expected_previous = record.record_hash
            last_seen = record.sequence
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != last_seen:
        yield Problem(None, None, f"the chain head says {head.sequence} records, the log ends at {last_seen}")
    elif head is not None and last_seen and head.last_hash != expected_previous:
        yield Problem(None, None, "the chain head's hash does not match the last record")


def _verify_record(record, *, expected_sequence, expected_previous, content, attachments, disposed, check_files):
    def problem(reason):
        return Problem(record.sequence, record.pk, reason)

    if record.sequence != expected_sequence:
        yield problem(f"gap in the chain: expected number {expected_sequence}")
    if record.previous_hash != expected_previous:
        yield problem("previous hash does not match the preceding record")
    if record_hash(record) != record.record_hash:
        yield problem("record hash does not match its fields")
    if content is None:
        if not disposed:
            yield problem("content is missing and the record has not been disposed of")
    elif content_hash(content) != record.content_sha256:
        yield problem("content does not match its checksum")
    if (attachments or not disposed) and attachments_hash(attachments) != record.attachments_sha256:
        yield problem("screenshots do not match their checksums")
    if check_files:
        for attachment in attachments:
            try:
                with default_storage.open(attachment.file.name, "rb") as handle:
                    actual = sha256_file(handle)
            except OSError:
                yield problem(f"screenshot {attachment.position} ({attachment.original_name}) is missing")
                continue
            if actual != attachment.sha256:
                yield problem(f"screenshot {attachment.position} ({attachment.original_name}) has been altered")
