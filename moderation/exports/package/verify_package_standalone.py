#!/usr/bin/env python3
"""Verify a Kanalregistret archival package offline, with nothing but Python 3.11.

    python3 verify_package.py PACKAGE_FOLDER_OR_ZIP

Checks that every file listed in METS.xml (and in the representation's METS.xml) exists
with the listed size and SHA-256 checksum, that no file is unlisted, and, from
records.json, that each record's hash recomputes from its ``hash_input``, that the fields
shown match the fields hashed, that content still present matches its checksum, that
consecutive records link (each record's previous hash is the hash of the one before), and
that the last record matches the chain head. Exits 0 when intact, 1 naming each problem.

This file is shipped in every package as documentation/verify_package.py and is the same
code the application uses (moderation.exports.package.verify_package). It must run where
only the package is: it imports nothing of the project or of Django, so it keeps its own
``canonical`` and ``sha256_file`` (the same rules as ``moderation.integrity.canonical`` and
``norsjo.files.sha256_file``).
"""

import hashlib
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"
CONTENT_FIELDS = ("text", "author_name", "author_handle", "author_url", "comment_url", "post_url", "explanation")
# Fields shown in a record that are also hashed: a change to one of them must be noticed.
SHOWN_AND_HASHED = {
    "sequence": lambda d: d["sequence"],
    "channel_id": lambda d: d["channel"]["id"],
    "channel_name": lambda d: d["channel"]["name"],
    "unit_name": lambda d: d["channel"]["unit"],
    "platform_name": lambda d: d["channel"]["platform"],
    "category": lambda d: d["category"],
    "legally_required": lambda d: d["legally_required"],
    "confidential": lambda d: d["confidential"],
    "action": lambda d: d["action"],
    "logged_by_id": lambda d: d["logged_by"]["id"],
    "addendum_to_id": lambda d: d["addendum_to"],
    "content_sha256": lambda d: d["integrity"]["content_sha256"],
    "attachments_sha256": lambda d: d["integrity"]["attachments_sha256"],
    "previous_hash": lambda d: d["integrity"]["previous_hash"],
}


# Copies on purpose (see the module docstring): this file runs without the project.
def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _listed(mets_path: Path):
    """Yield (href, size, checksum) for every file and metadata reference in a METS file."""
    for _event, element in ET.iterparse(mets_path):  # noqa: S314 - see import
        if element.tag == f"{METS}file":
            location = element.find(f"{METS}FLocat")
            href = location.get(f"{XLINK}href") if location is not None else None
            yield href, element.get("SIZE"), element.get("CHECKSUM"), element.get("CHECKSUMTYPE")
        elif element.tag == f"{METS}mdRef":
            yield element.get(f"{XLINK}href"), element.get("SIZE"), element.get("CHECKSUM"), element.get("CHECKSUMTYPE")


def _check_files(root: Path, mets_path: Path, base: Path, problems: list[str]) -> set[Path]:
    seen = set()
    for href, size, checksum, checksum_type in _listed(mets_path):
        if not href:
            problems.append(f"{mets_path.relative_to(root)}: a file entry has no location")
            continue
        path = (base / href).resolve()
        if root.resolve() not in path.parents:
            problems.append(f"{href}: points outside the package")
            continue
        seen.add(path)
        if not path.is_file():
            problems.append(f"{href}: listed in {mets_path.relative_to(root)} but missing")
            continue
        if checksum_type != "SHA-256":
            problems.append(f"{href}: checksum type {checksum_type!r} is not SHA-256")
        if size is not None and path.stat().st_size != int(size):
            problems.append(f"{href}: size {path.stat().st_size} does not match {size} in METS")
        if sha256_file(path) != checksum:
            problems.append(f"{href}: checksum does not match METS (the file has been altered)")
    return seen


def _records(path: Path):
    """Yield the records of records.json one at a time (one record per line, as written)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip().rstrip(",")
            if line in ("", "[", "]"):
                continue
            yield json.loads(line)


def _check_records(data: Path, problems: list[str]) -> None:
    records_path = data / "records.json"
    head_path = data / "chain-head.json"
    if not records_path.is_file():
        problems.append("representations/rep1/data/records.json is missing")
        return
    previous = None
    last = None
    for doc in _records(records_path):
        name = f"record #{doc.get('sequence')} (id {doc.get('id')})"
        hash_input = doc["hash_input"]
        if hashlib.sha256(canonical(hash_input)).hexdigest() != doc["integrity"]["record_hash"]:
            problems.append(f"{name}: record hash does not match its fields")
        for key, shown in SHOWN_AND_HASHED.items():
            if key in hash_input and hash_input[key] != shown(doc):
                problems.append(f"{name}: {key} shown differs from {key} hashed")
        content = doc.get("content")
        if content is not None:
            data_ = {key: content.get(key) for key in CONTENT_FIELDS}
            data_["v"] = hash_input.get("v", 1)
            if hashlib.sha256(canonical(data_)).hexdigest() != doc["integrity"]["content_sha256"]:
                problems.append(f"{name}: content does not match its checksum")
        if (
            previous is not None
            and doc["sequence"] == previous["sequence"] + 1
            and doc["integrity"]["previous_hash"] != previous["integrity"]["record_hash"]
        ):
            problems.append(f"{name}: does not link to the record before it")
        previous = doc
        last = doc
    if head_path.is_file() and last is not None:
        try:
            head = json.loads(head_path.read_text(encoding="utf-8"))
            head_sequence, head_hash = int(head["sequence"]), head["last_hash"]
        except (ValueError, KeyError, TypeError):
            problems.append("chain-head.json cannot be read")
            return
        if last["sequence"] == head_sequence and last["integrity"]["record_hash"] != head_hash:
            problems.append("the last record does not match the chain head")
        if last["sequence"] > head_sequence:
            problems.append("the package holds records beyond the chain head")


def verify(path: Path) -> list[str]:
    """Return every problem found in the package at *path* (a folder or a zip)."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)
            folders = [p for p in Path(tmp).iterdir() if p.is_dir()]
            if len(folders) != 1:
                return ["the zip must hold exactly one package folder"]
            return verify(folders[0])
    root = path
    problems: list[str] = []
    mets = root / "METS.xml"
    if not mets.is_file():
        return ["METS.xml is missing at the package root"]
    try:
        listed = _check_files(root, mets, root, problems)
        rep_mets = root / "representations" / "rep1" / "METS.xml"
        if rep_mets.is_file():
            listed |= _check_files(root, rep_mets, rep_mets.parent, problems)
    except ET.ParseError as error:
        return [f"METS is not well-formed XML: {error}"]
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if file.resolve() not in listed and file != mets:
            problems.append(f"{file.relative_to(root)}: present but not listed in METS.xml")
    _check_records(root / "representations" / "rep1" / "data", problems)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0])
        print("usage: verify_package.py PACKAGE_FOLDER_OR_ZIP")
        return 2
    problems = verify(Path(argv[1]))
    for problem in problems:
        print(f"PROBLEM {problem}")
    if problems:
        return 1
    print("OK: every file matches METS.xml and every record hash recomputes.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
