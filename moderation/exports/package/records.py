"""The records of an archival package: each record as JSON and XML, and the disposal log of the period."""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from django.db.models import QuerySet

from ... import integrity
from ...models import DisposedRecord, RemovedComment, RemovedCommentAttachment, RemovedCommentContent
from .files import HashingWriter
from .markup import NOT_XML, RECORDS_NS, attr, iso, text_element

CHUNK = 2000


def record_document(record, *, attachment_paths: dict[int, str] | None = None) -> dict:
    """Return one record as a JSON-ready dict, with what is needed to recompute its hash offline."""
    content = getattr(record, "_package_content", None)
    disposal = getattr(record, "_package_disposal", None)
    attachments = getattr(record, "_package_attachments", [])
    hash_input = {name: integrity._value(getattr(record, name)) for name in integrity.RECORD_FIELDS}
    hash_input["v"] = integrity.SERIALISATION_VERSION
    return {
        "id": record.pk,
        "sequence": record.sequence,
        "channel": {
            "id": record.channel_id,
            "name": record.channel_name,
            "unit": record.unit_name,
            "platform": record.platform_name,
        },
        "category": record.category,
        "category_label": str(record.get_category_display()),
        "legally_required": record.legally_required,
        "confidential": record.confidential,
        "action": record.action,
        "comment_published_at": iso(record.comment_published_at),
        "removed_at": iso(record.removed_at),
        "logged_by": {"id": record.logged_by_id, "username": record.logged_by.get_username()},
        "logged_at": iso(record.logged_at),
        "addendum_to": record.addendum_to_id,
        # What the record is with all its addenda (moderation.classification), the most
        # protective reason winning; the fields above are as logged (and hashed).
        "effective": {
            "category": record.classification.category,
            "legally_required": record.classification.legally_required,
            "confidential": record.classification.confidential,
        },
        "content": None if content is None else {name: getattr(content, name) for name in integrity.CONTENT_FIELDS},
        "attachments": [
            {
                "position": a.position,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "path": (attachment_paths or {}).get(a.pk),
            }
            for a in attachments
        ],
        "disposal": None
        if disposal is None
        else {
            "disposed_at": iso(disposal.disposed_at),
            "disposed_by": disposal.disposed_by.get_username(),
            "decision_reference": disposal.decision_reference,
        },
        "integrity": {
            "content_sha256": record.content_sha256,
            "attachments_sha256": record.attachments_sha256,
            "previous_hash": record.previous_hash,
            "record_hash": record.record_hash,
        },
        "hash_input": hash_input,
    }


def record_xml(doc: dict) -> str:
    i1, i2, i3 = "  ", "    ", "      "
    parts = [
        f"{i1}<record id={attr(doc['id'])} sequence={attr(doc['sequence'])}"
        f" confidential={attr(str(doc['effective']['confidential']).lower())}"
        f" disposed={attr(str(doc['disposal'] is not None).lower())}>\n",
        f"{i2}<channel id={attr(doc['channel']['id'])}>\n",
        text_element("name", doc["channel"]["name"], i3),
        text_element("unit", doc["channel"]["unit"], i3),
        text_element("platform", doc["channel"]["platform"], i3),
        f"{i2}</channel>\n",
        f"{i2}<category code={attr(doc['category'])}>{escape(doc['category_label'])}</category>\n",
        f"{i2}<legallyRequired>{str(doc['legally_required']).lower()}</legallyRequired>\n",
    ]
    effective = doc["effective"]
    if (effective["category"], effective["legally_required"]) != (doc["category"], doc["legally_required"]):
        parts.append(
            f"{i2}<reclassified category={attr(effective['category'])}"
            f" legallyRequired={attr(str(effective['legally_required']).lower())}/>\n"
        )
    parts += [
        f"{i2}<action>{escape(doc['action'])}</action>\n",
    ]
    if doc["comment_published_at"]:
        parts.append(f"{i2}<commentPublishedAt>{doc['comment_published_at']}</commentPublishedAt>\n")
    parts += [
        f"{i2}<removedAt>{doc['removed_at']}</removedAt>\n",
        f"{i2}<loggedBy id={attr(doc['logged_by']['id'])}>{escape(doc['logged_by']['username'])}</loggedBy>\n",
        f"{i2}<loggedAt>{doc['logged_at']}</loggedAt>\n",
    ]
    if doc["addendum_to"]:
        parts.append(f"{i2}<addendumTo>{doc['addendum_to']}</addendumTo>\n")
    content = doc["content"]
    if content is not None:
        parts.append(f"{i2}<content>\n")
        for xml_name, key in (
            ("text", "text"),
            ("authorName", "author_name"),
            ("authorHandle", "author_handle"),
            ("authorUrl", "author_url"),
            ("commentUrl", "comment_url"),
            ("postUrl", "post_url"),
            ("explanation", "explanation"),
        ):
            parts.append(text_element(xml_name, content[key], i3))
        parts.append(f"{i2}</content>\n")
    if doc["attachments"]:
        parts.append(f"{i2}<screenshots>\n")
        for a in doc["attachments"]:
            href = f" href={attr(a['path'])}" if a["path"] else ""
            parts.append(
                f"{i3}<screenshot position={attr(a['position'])} contentType={attr(a['content_type'])}"
                f" size={attr(a['size'])} sha256={attr(a['sha256'])}{href}>"
                f"{escape(NOT_XML.sub(chr(0xFFFD), a['original_name']))}</screenshot>\n"
            )
        parts.append(f"{i2}</screenshots>\n")
    if doc["disposal"] is not None:
        d = doc["disposal"]
        parts.append(
            f"{i2}<disposal disposedAt={attr(d['disposed_at'])} disposedBy={attr(d['disposed_by'])}"
            f" decision={attr(d['decision_reference'])}/>\n"
        )
    integ = doc["integrity"]
    parts.append(
        f"{i2}<integrity contentSha256={attr(integ['content_sha256'])}"
        f" attachmentsSha256={attr(integ['attachments_sha256'])}"
        f" previousHash={attr(integ['previous_hash'])} recordHash={attr(integ['record_hash'])}/>\n"
    )
    parts.append(f"{i1}</record>\n")
    return "".join(parts)


def with_parts(records: Iterable) -> Iterable:
    """Attach content, screenshots and disposal to each record, a chunk at a time."""
    chunk = []

    def flush(batch):
        ids = [r.pk for r in batch]
        contents = {c.record_id: c for c in RemovedCommentContent.objects.filter(record_id__in=ids)}
        disposals = {
            d.record_id: d for d in DisposedRecord.objects.filter(record_id__in=ids).select_related("disposed_by")
        }
        attachments: dict[int, list] = {}
        for a in RemovedCommentAttachment.objects.filter(record_id__in=ids).order_by("position"):
            attachments.setdefault(a.record_id, []).append(a)
        for r in batch:
            r._package_content = contents.get(r.pk)
            r._package_disposal = disposals.get(r.pk)
            r._package_attachments = attachments.get(r.pk, [])
            yield r

    for record in records:
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def disposal_log_entries(records: QuerySet[RemovedComment]) -> Iterator[dict]:
    """Yield the disposal log entries of *records*, for an archival package."""
    qs = (
        DisposedRecord.objects.filter(record__in=records.order_by().values("pk"))
        .select_related("record", "disposed_by")
        .order_by("record__sequence")
    )
    for entry in qs.iterator(chunk_size=2000):
        record = entry.record
        yield {
            "record_id": record.pk,
            "sequence": record.sequence,
            "channel_id": record.channel_id,
            "category": record.category,
            "removed_at": iso(record.removed_at),
            "logged_at": iso(record.logged_at),
            "disposed_at": iso(entry.disposed_at),
            "disposed_by": entry.disposed_by.get_username(),
            "decision_reference": entry.decision_reference,
            "record_hash": record.record_hash,
        }


def write_disposal_log(data: Path, entries) -> list[tuple]:
    """Write the disposal log (XML and JSON) and return the files written."""
    xml_out = HashingWriter(data / "disposal-log.xml")
    json_out = HashingWriter(data / "disposal-log.json")
    xml_out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    xml_out.write(f'<disposalLog xmlns="{RECORDS_NS}">\n')
    json_out.write("[")
    first = True
    for entry in entries:
        xml_out.write(
            f"  <disposal recordId={attr(entry['record_id'])} sequence={attr(entry['sequence'])}"
            f" channelId={attr(entry['channel_id'])} category={attr(entry['category'])}"
            f" removedAt={attr(entry['removed_at'])} loggedAt={attr(entry['logged_at'])}"
            f" disposedAt={attr(entry['disposed_at'])} disposedBy={attr(entry['disposed_by'])}"
            f" decision={attr(entry['decision_reference'])} recordHash={attr(entry['record_hash'])}/>\n"
        )
        json_out.write(("\n" if first else ",\n") + json.dumps(entry, ensure_ascii=False, sort_keys=True))
        first = False
    xml_out.write("</disposalLog>\n")
    json_out.write("\n]\n")
    return [
        ("representations/rep1/data/disposal-log.xml", xml_out.size, xml_out.close(), "application/xml"),
        ("representations/rep1/data/disposal-log.json", json_out.size, json_out.close(), "application/json"),
    ]
