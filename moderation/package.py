"""The archival information package: E-ARK CSIP 2.1.0 + SIP 2.1.0 (Riksarkivet's FGS Paketstruktur 2.0).

Layout (every file listed in ``METS.xml`` with its size and SHA-256 checksum)::

    <OBJID>/
      METS.xml
      metadata/descriptive/description.xml      Dublin Core: what, whose, which period
      metadata/preservation/premis.xml          PREMIS 3 events: logging, addenda, disposal
      documentation/README.txt                  how to read and verify the package offline
      documentation/verify_package.py           the same verification, standard library only
      schemas/moderation-records.xsd            the schema of records.xml and disposal-log.xml
      representations/rep1/METS.xml
      representations/rep1/data/records.xml     the records (XML, valid against the schema)
      representations/rep1/data/records.json    the same records (JSON)
      representations/rep1/data/disposal-log.xml / .json   disposals of the period (4:7)
      representations/rep1/data/chain-head.json the head of the hash chain when exported
      representations/rep1/data/screenshots/... the screenshots

Everything is written as a stream: records come from ``queryset.iterator()`` and go straight
to the files, so the size of the log does not decide the memory needed.
"""

import dataclasses
import hashlib
import json
import mimetypes
import os
import re
import shutil
import uuid
import zipfile
from base64 import b64encode
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from . import integrity
from .transparency import package as transparency_package

RECORDS_NS = "https://kanalregistret.norsjo.se/xml/moderation-records/1"
SCHEMA_FILE = "moderation-records.xsd"
SOFTWARE_NAME = "Kanalregistret"
SOFTWARE_VERSION = "1.0"
CHUNK = 2000

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_TYPE = "Kanalregistret moderation records"

# Characters XML 1.0 cannot hold; a text holding one is written base64-encoded (lossless).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --- small streaming XML helpers ------------------------------------------------------


def _attr(value) -> str:
    # quoteattr escapes &, <, > and quotes; line breaks and tabs would be normalised to spaces
    # by a parser, so they become character references.
    return quoteattr(str(value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text_element(name: str, value, indent: str = "") -> str:
    """Return ``<name>value</name>``; a value XML cannot hold is base64-encoded, and said so."""
    if value is None:
        return ""
    value = str(value)
    if _NOT_XML.search(value):
        encoded = b64encode(value.encode("utf-8")).decode("ascii")
        return f'{indent}<{name} encoding="base64">{encoded}</{name}>\n'
    # A carriage return would be read back as a line feed: keep it as a character reference.
    return f"{indent}<{name}>{escape(value).replace(chr(13), '&#13;')}</{name}>\n"


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


class _HashingWriter:
    """A text file that counts and hashes what is written to it."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._handle.write(data)
        self._digest.update(data)
        self.size += len(data)

    def close(self) -> str:
        self._handle.close()
        return self._digest.hexdigest()


@dataclass
class PackageFile:
    path: str  # relative to the package root, with forward slashes
    size: int
    sha256: str
    mimetype: str
    created: datetime


@dataclass
class PackageSummary:
    path: Path
    objid: str
    records: int = 0
    confidential: int = 0
    disposed: int = 0
    screenshots: int = 0
    files: list[PackageFile] = field(default_factory=list)


# --- records ---------------------------------------------------------------------------


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
        "comment_published_at": _iso(record.comment_published_at),
        "removed_at": _iso(record.removed_at),
        "logged_by": {"id": record.logged_by_id, "username": record.logged_by.get_username()},
        "logged_at": _iso(record.logged_at),
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
            "disposed_at": _iso(disposal.disposed_at),
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


def _record_xml(doc: dict) -> str:
    i1, i2, i3 = "  ", "    ", "      "
    parts = [
        f"{i1}<record id={_attr(doc['id'])} sequence={_attr(doc['sequence'])}"
        f" confidential={_attr(str(doc['effective']['confidential']).lower())}"
        f" disposed={_attr(str(doc['disposal'] is not None).lower())}>\n",
        f"{i2}<channel id={_attr(doc['channel']['id'])}>\n",
        _text_element("name", doc["channel"]["name"], i3),
        _text_element("unit", doc["channel"]["unit"], i3),
        _text_element("platform", doc["channel"]["platform"], i3),
        f"{i2}</channel>\n",
        f"{i2}<category code={_attr(doc['category'])}>{escape(doc['category_label'])}</category>\n",
        f"{i2}<legallyRequired>{str(doc['legally_required']).lower()}</legallyRequired>\n",
    ]
    effective = doc["effective"]
    if (effective["category"], effective["legally_required"]) != (doc["category"], doc["legally_required"]):
        parts.append(
            f"{i2}<reclassified category={_attr(effective['category'])}"
            f" legallyRequired={_attr(str(effective['legally_required']).lower())}/>\n"
        )
    parts += [
        f"{i2}<action>{escape(doc['action'])}</action>\n",
    ]
    if doc["comment_published_at"]:
        parts.append(f"{i2}<commentPublishedAt>{doc['comment_published_at']}</commentPublishedAt>\n")
    parts += [
        f"{i2}<removedAt>{doc['removed_at']}</removedAt>\n",
        f"{i2}<loggedBy id={_attr(doc['logged_by']['id'])}>{escape(doc['logged_by']['username'])}</loggedBy>\n",
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
            parts.append(_text_element(xml_name, content[key], i3))
        parts.append(f"{i2}</content>\n")
    if doc["attachments"]:
        parts.append(f"{i2}<screenshots>\n")
        for a in doc["attachments"]:
            href = f" href={_attr(a['path'])}" if a["path"] else ""
            parts.append(
                f"{i3}<screenshot position={_attr(a['position'])} contentType={_attr(a['content_type'])}"
                f" size={_attr(a['size'])} sha256={_attr(a['sha256'])}{href}>"
                f"{escape(_NOT_XML.sub(chr(0xFFFD), a['original_name']))}</screenshot>\n"
            )
        parts.append(f"{i2}</screenshots>\n")
    if doc["disposal"] is not None:
        d = doc["disposal"]
        parts.append(
            f"{i2}<disposal disposedAt={_attr(d['disposed_at'])} disposedBy={_attr(d['disposed_by'])}"
            f" decision={_attr(d['decision_reference'])}/>\n"
        )
    integ = doc["integrity"]
    parts.append(
        f"{i2}<integrity contentSha256={_attr(integ['content_sha256'])}"
        f" attachmentsSha256={_attr(integ['attachments_sha256'])}"
        f" previousHash={_attr(integ['previous_hash'])} recordHash={_attr(integ['record_hash'])}/>\n"
    )
    parts.append(f"{i1}</record>\n")
    return "".join(parts)


def _with_parts(records: Iterable) -> Iterable:
    """Attach content, screenshots and disposal to each record, a chunk at a time."""
    from .models import DisposedRecord, RemovedCommentAttachment, RemovedCommentContent

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


# --- the builder ---------------------------------------------------------------------------


def _objid() -> str:
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"norsjo-moderation-{stamp}-{uuid.uuid4().hex[:8]}"


def build_package(
    records,
    out: Path,
    *,
    disposal_log=None,
    description: str = "",
    period: tuple | None = None,
    make_zip: bool = False,
) -> PackageSummary:
    """Write the package for *records* (a queryset) to *out*; return what was written.

    *out* must not exist. It becomes the package folder (its name is the package id,
    ``OBJID``) or, with *make_zip*, a zip file holding that folder.
    """
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists; choose a new path")
    if make_zip:
        if out.suffix.lower() != ".zip":
            out = out.with_name(out.name + ".zip")
        staging = out.with_name(out.name + ".tmp")
        root = staging / (out.stem or _objid())
    else:
        staging = None
        root = out
    objid = root.name
    summary = PackageSummary(path=out, objid=objid)
    created = timezone.now()
    root.mkdir(parents=True)
    try:
        rep = root / "representations" / "rep1"
        data = rep / "data"
        files: list[PackageFile] = []

        def add(relative: str, size: int, digest: str, mimetype: str):
            files.append(PackageFile(relative, size, digest, mimetype, created))

        # Records (XML + JSON) and screenshots, in one pass over the records.
        xml_out = _HashingWriter(data / "records.xml")
        json_out = _HashingWriter(data / "records.json")
        xml_out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        xml_out.write(
            f'<records xmlns="{RECORDS_NS}" xmlns:xsi="{XSI_NS}"'
            f' xsi:schemaLocation="{RECORDS_NS} ../../../schemas/{SCHEMA_FILE}"'
            f" municipality={_attr(settings.MUNICIPALITY_NAME)} exported={_attr(_iso(created))}>\n"
        )
        json_out.write("[")
        premis_events: list[tuple] = []
        first = True
        for record in _with_parts(records.with_classification().order_by("sequence").iterator(chunk_size=CHUNK)):
            paths = {}
            for attachment in record._package_attachments:
                name = f"{record.sequence}-{attachment.position}{attachment.extension}"
                relative = f"representations/rep1/data/screenshots/{name}"
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with default_storage.open(attachment.file.name, "rb") as source, open(target, "wb") as sink:
                    for block in iter(lambda source=source: source.read(1024 * 1024), b""):
                        digest.update(block)
                        sink.write(block)
                        size += len(block)
                add(relative, size, digest.hexdigest(), attachment.content_type)
                paths[attachment.pk] = relative.removeprefix("representations/rep1/data/")
                summary.screenshots += 1
            doc = record_document(record, attachment_paths=paths)
            xml_out.write(_record_xml(doc))
            json_out.write(("\n" if first else ",\n") + json.dumps(doc, ensure_ascii=False, sort_keys=True))
            first = False
            summary.records += 1
            summary.confidential += int(record.classification.confidential)
            premis_events.append(
                (
                    "creation" if not record.addendum_to_id else "modification",
                    record.logged_at,
                    f"record {record.sequence} logged"
                    + (f" as an addendum to record id {record.addendum_to_id}" if record.addendum_to_id else ""),
                    record.logged_by.get_username(),
                    record.sequence,
                )
            )
            if record._package_disposal is not None:
                summary.disposed += 1
                d = record._package_disposal
                premis_events.append(
                    (
                        "deletion",
                        d.disposed_at,
                        f"content, author data and screenshots of record {record.sequence} disposed of"
                        f" under decision {d.decision_reference}",
                        d.disposed_by.get_username(),
                        record.sequence,
                    )
                )
        xml_out.write("</records>\n")
        json_out.write("\n]\n")
        add("representations/rep1/data/records.xml", xml_out.size, xml_out.close(), "application/xml")
        add("representations/rep1/data/records.json", json_out.size, json_out.close(), "application/json")

        # The disposal log of the period (4:7) and the chain head.
        for relative, size, digest, mimetype in _write_disposal_log(data, disposal_log or []):
            add(relative, size, digest, mimetype)
        for relative, size, digest, mimetype in _write_chain_head(data):
            add(relative, size, digest, mimetype)
        # The signed checkpoint, its key and an inclusion proof per record (issue 12).
        for relative, size, digest, mimetype in transparency_package.write(root, records):
            add(relative, size, digest, mimetype)

        # Schema and documentation.
        schema_source = Path(__file__).parent / "schemas" / SCHEMA_FILE
        add(*_copy(schema_source, root, f"schemas/{SCHEMA_FILE}"), "application/xml")
        verifier = Path(__file__).parent / "verify_package_standalone.py"
        add(*_copy(verifier, root, "documentation/verify_package.py"), "text/x-python")
        add(*_write_text(root, "documentation/README.txt", _readme(summary, description, period)), "text/plain")

        # Metadata: descriptive (Dublin Core) and preservation (PREMIS).
        dc = _write_text(root, "metadata/descriptive/description.xml", _dublin_core(summary, description, period))
        premis = _write_text(root, "metadata/preservation/premis.xml", _premis(premis_events, created))

        rep_files = [f for f in files if f.path.startswith("representations/rep1/")]
        rep_premis = PackageFile(
            *_write_text(root, "representations/rep1/metadata/preservation/premis.xml", _premis([], created)),
            "application/xml",
            created,
        )
        files.append(rep_premis)
        rep_mets = _rep_mets(objid, rep_files, created, premis=rep_premis)
        rep_mets_file = _write_text(root, "representations/rep1/METS.xml", rep_mets)
        files.append(PackageFile(*rep_mets_file, "application/xml", created))

        mets = _root_mets(
            objid,
            files,
            dc=PackageFile(*dc, "application/xml", created),
            premis=PackageFile(*premis, "application/xml", created),
            created=created,
        )
        (root / "METS.xml").write_text(mets, encoding="utf-8")
        summary.files = files
        if make_zip:
            _zip(root, out)
            shutil.rmtree(staging)
    except BaseException:
        shutil.rmtree(staging or root, ignore_errors=True)
        raise
    return summary


def _copy(source: Path, root: Path, relative: str) -> tuple[str, int, str]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return relative, target.stat().st_size, file_sha256(target)


def _write_text(root: Path, relative: str, text: str) -> tuple[str, int, str]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    target.write_bytes(data)
    return relative, len(data), hashlib.sha256(data).hexdigest()


def _write_disposal_log(data: Path, entries) -> list[tuple]:
    """Write the disposal log (XML and JSON) and return the files written."""
    xml_out = _HashingWriter(data / "disposal-log.xml")
    json_out = _HashingWriter(data / "disposal-log.json")
    xml_out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    xml_out.write(f'<disposalLog xmlns="{RECORDS_NS}">\n')
    json_out.write("[")
    first = True
    for entry in entries:
        xml_out.write(
            f"  <disposal recordId={_attr(entry['record_id'])} sequence={_attr(entry['sequence'])}"
            f" channelId={_attr(entry['channel_id'])} category={_attr(entry['category'])}"
            f" removedAt={_attr(entry['removed_at'])} loggedAt={_attr(entry['logged_at'])}"
            f" disposedAt={_attr(entry['disposed_at'])} disposedBy={_attr(entry['disposed_by'])}"
            f" decision={_attr(entry['decision_reference'])} recordHash={_attr(entry['record_hash'])}/>\n"
        )
        json_out.write(("\n" if first else ",\n") + json.dumps(entry, ensure_ascii=False, sort_keys=True))
        first = False
    xml_out.write("</disposalLog>\n")
    json_out.write("\n]\n")
    return [
        ("representations/rep1/data/disposal-log.xml", xml_out.size, xml_out.close(), "application/xml"),
        ("representations/rep1/data/disposal-log.json", json_out.size, json_out.close(), "application/json"),
    ]


def _write_chain_head(data: Path) -> list[tuple]:
    from .models import ChainHead

    head = ChainHead.objects.filter(pk=1).first()
    document = {
        "sequence": head.sequence if head else 0,
        "last_hash": head.last_hash if head else integrity.GENESIS_HASH,
        "genesis_hash": integrity.GENESIS_HASH,
        "algorithm": "SHA-256 over canonical JSON (sorted keys, no whitespace, UTF-8) of each record's hash_input",
        "serialisation_version": integrity.SERIALISATION_VERSION,
        "exported_at": _iso(timezone.now()),
    }
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    relative, size, digest = _write_text(data.parent.parent.parent, "representations/rep1/data/chain-head.json", text)
    return [(relative, size, digest, "application/json")]


def _readme(summary: PackageSummary, description: str, period) -> str:
    period_text = f"{period[0] or '…'} – {period[1] or '…'}" if period else "all"
    return f"""Kanalregistret – moderation records (borttagna kommentarer, riktlinjer 4:10)
{settings.MUNICIPALITY_NAME}

Package id:     {summary.objid}
Records:        {summary.records} (of which {summary.confidential} confidential, {summary.disposed} disposed of)
Screenshots:    {summary.screenshots}
Period:         {period_text}
Selection:      {description or "all records"}

Structure: E-ARK CSIP 2.1.0 / SIP 2.1.0 (Riksarkivet FGS Paketstruktur 2.0).
  METS.xml lists every file with its size and SHA-256 checksum.
  representations/rep1/data/records.xml   the records (schema: schemas/{SCHEMA_FILE})
  representations/rep1/data/records.json  the same records as JSON
  representations/rep1/data/disposal-log.*  disposals (gallring, 4:7) of the records in the package
  representations/rep1/data/chain-head.json  the head of the moderation log's hash chain at export
  representations/rep1/data/transparency/  the log's signed checkpoint, its public key and an
                                          inclusion proof per record (the records are the log's)
  metadata/preservation/premis.xml        PREMIS events: logging, addenda, disposal

CONFIDENTIALITY: records marked confidential="true" (category h, 4:10 h) may hold
information covered by secrecy. Review them (sekretessprövning) before any release.

Verifying offline (Python 3.11, no other software):
  python3 documentation/verify_package.py .
checks every file against METS.xml and recomputes each record's hash from its
"hash_input" in records.json, the links between consecutive records, and the chain head,
and that each record is in the Merkle tree of the signed checkpoint (its inclusion proof).
The checkpoint's Ed25519 signature is checked when the Python package "cryptography" is
installed (pip install cryptography); without it the verifier says so and checks the hashes.
"""


def _dublin_core(summary: PackageSummary, description: str, period) -> str:
    start = period[0] if period else None
    end = period[1] if period else None
    coverage = f"{start or ''}/{end or ''}" if period else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title>{escape(f"Borttagna kommentarer i sociala medier – {settings.MUNICIPALITY_NAME}")}</dc:title>
  <dc:creator>{escape(settings.MUNICIPALITY_NAME)}</dc:creator>
  <dc:subject>Moderation log of the municipality's social-media channels (guidelines 4:10)</dc:subject>
  <dc:description>{escape(description or "All records")}. {summary.records} records, {summary.confidential} confidential, {summary.disposed} disposed of.</dc:description>
  <dc:date>{_iso(timezone.now())}</dc:date>
  <dc:type>Dataset</dc:type>
  <dc:format>application/xml; application/json</dc:format>
  <dc:identifier>{escape(summary.objid)}</dc:identifier>
  <dc:language>sv</dc:language>
  <dc:coverage>{escape(coverage)}</dc:coverage>
  <dc:rights>Public records (allmän handling, 4:6). Records marked confidential need a secrecy review before release.</dc:rights>
</metadata>
"""  # noqa: E501


def _premis(events: list[tuple], created: datetime) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<premis xmlns="{PREMIS_NS}" version="3.0">\n',
    ]
    agents = {username for *_rest, username, _seq in events}
    for n, (event_type, when, detail, username, sequence) in enumerate(events, start=1):
        lines.append(
            "  <event>\n"
            f"    <eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
            f"<eventIdentifierValue>event-{n}</eventIdentifierValue></eventIdentifier>\n"
            f"    <eventType>{event_type}</eventType>\n"
            f"    <eventDateTime>{_iso(when)}</eventDateTime>\n"
            f"    <eventDetailInformation><eventDetail>{escape(detail)}</eventDetail></eventDetailInformation>\n"
            f"    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
            f"    <linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType>"
            f"<linkingAgentIdentifierValue>{escape(username)}</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
            f"    <linkingObjectIdentifier><linkingObjectIdentifierType>record-sequence</linkingObjectIdentifierType>"
            f"<linkingObjectIdentifierValue>{sequence}</linkingObjectIdentifierValue></linkingObjectIdentifier>\n"
            "  </event>\n"
        )
    lines.append(
        "  <event>\n"
        "    <eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
        "<eventIdentifierValue>event-package</eventIdentifierValue></eventIdentifier>\n"
        "    <eventType>message digest calculation</eventType>\n"
        f"    <eventDateTime>{_iso(created)}</eventDateTime>\n"
        "    <eventDetailInformation><eventDetail>SHA-256 of every file, listed in METS.xml</eventDetail>"
        "</eventDetailInformation>\n"
        "    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
        "    <linkingAgentIdentifier><linkingAgentIdentifierType>software</linkingAgentIdentifierType>"
        f"<linkingAgentIdentifierValue>{SOFTWARE_NAME}</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
        "  </event>\n"
    )
    for username in sorted(agents):
        lines.append(
            "  <agent>\n"
            "    <agentIdentifier><agentIdentifierType>local</agentIdentifierType>"
            f"<agentIdentifierValue>{escape(username)}</agentIdentifierValue></agentIdentifier>\n"
            f"    <agentName>{escape(username)}</agentName>\n"
            "    <agentType>person</agentType>\n"
            "  </agent>\n"
        )
    lines.append(
        "  <agent>\n"
        "    <agentIdentifier><agentIdentifierType>software</agentIdentifierType>"
        f"<agentIdentifierValue>{SOFTWARE_NAME}</agentIdentifierValue></agentIdentifier>\n"
        f"    <agentName>{SOFTWARE_NAME} {SOFTWARE_VERSION}</agentName>\n"
        "    <agentType>software</agentType>\n"
        "  </agent>\n"
    )
    lines.append("</premis>\n")
    return "".join(lines)


def _file_xml(file: PackageFile, file_id: str, href: str) -> str:
    return (
        f"      <mets:file ID={_attr(file_id)} MIMETYPE={_attr(file.mimetype)} SIZE={_attr(file.size)}"
        f' CREATED={_attr(_iso(file.created))} CHECKSUM={_attr(file.sha256)} CHECKSUMTYPE="SHA-256">\n'
        f'        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={_attr(href)}/>\n'
        "      </mets:file>\n"
    )


def _mets_open(objid: str, created: datetime, *, label: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<mets:mets xmlns:mets="{METS_NS}" xmlns:csip="{CSIP_NS}" xmlns:sip="{SIP_NS}"'
        f' xmlns:xlink="{XLINK_NS}"'
        f' OBJID={_attr(objid)} LABEL={_attr(label)} TYPE="Datasets"'
        f' csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={_attr(CONTENT_TYPE)}'
        f' PROFILE="{SIP_PROFILE}">\n'
        f"  <mets:metsHdr CREATEDATE={_attr(_iso(created))} LASTMODDATE={_attr(_iso(created))}"
        ' RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">\n'
        '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n'
        f"      <mets:name>{SOFTWARE_NAME}</mets:name>\n"
        f'      <mets:note csip:NOTETYPE="SOFTWARE VERSION">{SOFTWARE_VERSION}</mets:note>\n'
        "    </mets:agent>\n"
        '    <mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">\n'
        f"      <mets:name>{escape(settings.MUNICIPALITY_NAME)}</mets:name>\n"
        "    </mets:agent>\n"
        "  </mets:metsHdr>\n"
    )


def _group_attrs() -> str:
    return f'csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={_attr(CONTENT_TYPE)}'


def _rep_mets(objid: str, files: list[PackageFile], created: datetime, *, premis: PackageFile) -> str:
    """Return the representation's METS: its data files, paths relative to the representation."""
    parts = [_mets_open("rep1", created, label=f"{objid} rep1")]
    relative = dataclasses.replace(premis, path=premis.path.removeprefix("representations/rep1/"))
    parts.append('  <mets:amdSec>\n    <mets:digiprovMD ID="rep1-digiprov-premis" STATUS="CURRENT">\n')
    parts.append("  " + _md_ref(relative, "PREMIS"))
    parts.append("    </mets:digiprovMD>\n  </mets:amdSec>\n")
    parts.append('  <mets:fileSec ID="rep1-fileSec">\n')
    parts.append(f'    <mets:fileGrp ID="rep1-data" USE="Data" {_group_attrs()}>\n')
    for n, f in enumerate(files, start=1):
        parts.append(_file_xml(f, f"rep1-file-{n}", f.path.removeprefix("representations/rep1/")))
    parts.append("    </mets:fileGrp>\n  </mets:fileSec>\n")
    parts.append('  <mets:structMap ID="rep1-structMap" TYPE="PHYSICAL" LABEL="CSIP">\n')
    parts.append('    <mets:div ID="rep1-div" LABEL="rep1">\n')
    parts.append('      <mets:div ID="rep1-data-div" LABEL="Data">\n')
    parts.append('        <mets:fptr FILEID="rep1-data"/>\n')
    parts.append("      </mets:div>\n    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
    return "".join(parts)


def _md_ref(file: PackageFile, mdtype: str) -> str:
    return (
        f'    <mets:mdRef LOCTYPE="URL" MDTYPE="{mdtype}" MIMETYPE={_attr(file.mimetype)} SIZE={_attr(file.size)}'
        f' CREATED={_attr(_iso(file.created))} CHECKSUM={_attr(file.sha256)} CHECKSUMTYPE="SHA-256"'
        f' xlink:type="simple" xlink:href={_attr(file.path)}/>\n'
    )


def _root_mets(objid: str, files: list[PackageFile], *, dc: PackageFile, premis: PackageFile, created) -> str:
    iso = _attr(_iso(created))
    parts = [_mets_open(objid, created, label=f"Kanalregistret moderation records {objid}")]
    parts.append(f'  <mets:dmdSec ID="dmd-description" CREATED={iso} STATUS="CURRENT">\n')
    parts.append(_md_ref(dc, "DC"))
    parts.append("  </mets:dmdSec>\n")
    parts.append('  <mets:amdSec>\n    <mets:digiprovMD ID="digiprov-premis" STATUS="CURRENT">\n')
    parts.append("  " + _md_ref(premis, "PREMIS"))
    parts.append("    </mets:digiprovMD>\n  </mets:amdSec>\n")
    groups = {
        "Documentation": ("grp-documentation", [f for f in files if f.path.startswith("documentation/")]),
        "Schemas": ("grp-schemas", [f for f in files if f.path.startswith("schemas/")]),
        "Representations/rep1": ("grp-rep1", [f for f in files if f.path.startswith("representations/rep1/")]),
    }
    parts.append('  <mets:fileSec ID="fileSec">\n')
    n = 0
    for use, (group_id, members) in groups.items():
        parts.append(f'    <mets:fileGrp ID="{group_id}" USE="{use}" {_group_attrs()}>\n')
        for f in members:
            n += 1
            parts.append(_file_xml(f, f"file-{n}", f.path))
        parts.append("    </mets:fileGrp>\n")
    parts.append("  </mets:fileSec>\n")
    parts.append('  <mets:structMap ID="structMap" TYPE="PHYSICAL" LABEL="CSIP">\n')
    parts.append(f'    <mets:div ID="div-root" LABEL={_attr(objid)}>\n')
    parts.append(
        '      <mets:div ID="div-metadata" LABEL="Metadata" DMDID="dmd-description" ADMID="digiprov-premis"/>\n'
    )
    parts.append('      <mets:div ID="div-documentation" LABEL="Documentation">\n')
    parts.append('        <mets:fptr FILEID="grp-documentation"/>\n      </mets:div>\n')
    parts.append('      <mets:div ID="div-schemas" LABEL="Schemas">\n')
    parts.append('        <mets:fptr FILEID="grp-schemas"/>\n      </mets:div>\n')
    parts.append('      <mets:div ID="div-representations" LABEL="Representations">\n')
    parts.append('        <mets:fptr FILEID="grp-rep1"/>\n')
    parts.append('        <mets:div ID="div-rep1" LABEL="Representations/rep1">\n')
    parts.append(
        '          <mets:mptr LOCTYPE="URL" xlink:type="simple" xlink:title="grp-rep1"'
        ' xlink:href="representations/rep1/METS.xml"/>\n'
    )
    parts.append("        </mets:div>\n      </mets:div>\n")
    parts.append("    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
    return "".join(parts)


def _zip(root: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for dirpath, _dirnames, filenames in os.walk(root):
            for name in sorted(filenames):
                full = Path(dirpath) / name
                archive.write(full, arcname=str(Path(root.name) / full.relative_to(root)))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def guess_mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def verify_package(path: Path) -> list[str]:
    """Verify an unpacked package (or its zip): return every problem found, nothing when intact."""
    from . import verify_package_standalone

    return verify_package_standalone.verify(Path(path))
