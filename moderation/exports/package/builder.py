"""Build the archival information package: E-ARK CSIP 2.1.0 + SIP 2.1.0 (Riksarkivet's FGS Paketstruktur 2.0).

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

import hashlib
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from ... import integrity
from ...models import ChainHead
from .files import HashingWriter, PackageFile, PackageSummary, copy_file, write_text
from .markup import RECORDS_NS, SCHEMA_FILE, XSI_NS, attr, iso
from .metadata import dublin_core, premis_xml, readme
from .mets import rep_mets, root_mets
from .records import CHUNK, record_document, record_xml, with_parts, write_disposal_log
from .transparency import write as write_transparency
from .verify_package_standalone import verify as verify_standalone


def new_objid() -> str:
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
    progress: Callable[[int], None] | None = None,
) -> PackageSummary:
    """Write the package for *records* (a queryset) to *out*; return what was written.

    *out* must not exist. It becomes the package folder (its name is the package id,
    ``OBJID``) or, with *make_zip*, a zip file holding that folder. *progress* is called
    with the number of records written so far, after each record (a background job's progress).
    """
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists; choose a new path")
    if make_zip:
        if out.suffix.lower() != ".zip":
            out = out.with_name(out.name + ".zip")
        staging = out.with_name(out.name + ".tmp")
        root = staging / (out.stem or new_objid())
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
        xml_out = HashingWriter(data / "records.xml")
        json_out = HashingWriter(data / "records.json")
        xml_out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        xml_out.write(
            f'<records xmlns="{RECORDS_NS}" xmlns:xsi="{XSI_NS}"'
            f' xsi:schemaLocation="{RECORDS_NS} ../../../schemas/{SCHEMA_FILE}"'
            f" municipality={attr(settings.MUNICIPALITY_NAME)} exported={attr(iso(created))}>\n"
        )
        json_out.write("[")
        premis_events: list[tuple] = []
        first = True
        for record in with_parts(records.with_classification().order_by("sequence").iterator(chunk_size=CHUNK)):
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
            xml_out.write(record_xml(doc))
            json_out.write(("\n" if first else ",\n") + json.dumps(doc, ensure_ascii=False, sort_keys=True))
            first = False
            summary.records += 1
            if progress is not None:
                progress(summary.records)
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
        for relative, size, digest, mimetype in write_disposal_log(data, disposal_log or []):
            add(relative, size, digest, mimetype)
        for relative, size, digest, mimetype in write_chain_head(data):
            add(relative, size, digest, mimetype)
        # The signed checkpoint, its key and an inclusion proof per record (issue 12).
        for relative, size, digest, mimetype in write_transparency(root, records):
            add(relative, size, digest, mimetype)

        # Schema and documentation.
        schema_source = Path(__file__).parent / "schemas" / SCHEMA_FILE
        add(*copy_file(schema_source, root, f"schemas/{SCHEMA_FILE}"), "application/xml")
        verifier = Path(__file__).parent / "verify_package_standalone.py"
        add(*copy_file(verifier, root, "documentation/verify_package.py"), "text/x-python")
        add(*write_text(root, "documentation/README.txt", readme(summary, description, period)), "text/plain")

        # Metadata: descriptive (Dublin Core) and preservation (PREMIS).
        dc = write_text(root, "metadata/descriptive/description.xml", dublin_core(summary, description, period))
        premis = write_text(root, "metadata/preservation/premis.xml", premis_xml(premis_events, created))

        rep_files = [f for f in files if f.path.startswith("representations/rep1/")]
        rep_premis = PackageFile(
            *write_text(root, "representations/rep1/metadata/preservation/premis.xml", premis_xml([], created)),
            "application/xml",
            created,
        )
        files.append(rep_premis)
        rep_mets_text = rep_mets(objid, rep_files, created, premis=rep_premis)
        rep_mets_file = write_text(root, "representations/rep1/METS.xml", rep_mets_text)
        files.append(PackageFile(*rep_mets_file, "application/xml", created))

        mets = root_mets(
            objid,
            files,
            dc=PackageFile(*dc, "application/xml", created),
            premis=PackageFile(*premis, "application/xml", created),
            created=created,
        )
        (root / "METS.xml").write_text(mets, encoding="utf-8")
        summary.files = files
        if make_zip:
            zip_folder(root, out)
            shutil.rmtree(staging)
    except BaseException:
        shutil.rmtree(staging or root, ignore_errors=True)
        raise
    return summary


def write_chain_head(data: Path) -> list[tuple]:
    head = ChainHead.objects.filter(pk=1).first()
    document = {
        "sequence": head.sequence if head else 0,
        "last_hash": head.last_hash if head else integrity.GENESIS_HASH,
        "genesis_hash": integrity.GENESIS_HASH,
        "algorithm": "SHA-256 over canonical JSON (sorted keys, no whitespace, UTF-8) of each record's hash_input",
        "serialisation_version": integrity.SERIALISATION_VERSION,
        "exported_at": iso(timezone.now()),
    }
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    relative, size, digest = write_text(data.parent.parent.parent, "representations/rep1/data/chain-head.json", text)
    return [(relative, size, digest, "application/json")]


def zip_folder(root: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for dirpath, _dirnames, filenames in os.walk(root):
            for name in sorted(filenames):
                full = Path(dirpath) / name
                archive.write(full, arcname=str(Path(root.name) / full.relative_to(root)))


def verify_package(path: Path) -> list[str]:
    """Verify an unpacked package (or its zip): return every problem found, nothing when intact."""
    return verify_standalone(Path(path))
