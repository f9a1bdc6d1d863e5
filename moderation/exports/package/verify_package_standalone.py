#!/usr/bin/env python3
"""Verify a Kanalregistret archival package offline, with nothing but Python 3.11.

    python3 verify_package.py PACKAGE_FOLDER_OR_ZIP

Checks that every file listed in METS.xml (and in the representation's METS.xml) exists
with the listed size and SHA-256 checksum, that no file is unlisted, and, from
records.json, that each record's hash recomputes from its ``hash_input``, that the fields
shown match the fields hashed, that content still present matches its checksum, that
consecutive records link (each record's previous hash is the hash of the one before), and
that the last record matches the chain head. Exits 0 when intact, 1 naming each problem.

The log's proofs (transparency/): the checkpoint is a C2SP signed note whose Ed25519
signature by the key in key.txt is checked when the Python package ``cryptography`` is
installed (without it the verifier says so and checks everything else); each record's
inclusion proof (RFC 6962/9162) must lead from its record hash to the checkpoint's root.

This file is shipped in every package as documentation/verify_package.py and is the same
code the application uses (moderation.exports.package.verify_package). It must run where
only the package is: it imports nothing of the project or of Django, so it keeps its own
``canonical`` and ``sha256_file`` (the same rules as ``moderation.integrity.canonical`` and
``norsjo.files.sha256_file``).
"""

import base64
import binascii
import hashlib
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

try:  # only for the checkpoint's signature; everything else needs the standard library only
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - exercised by a test that hides the package
    Ed25519PublicKey = None

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


# --- the log's proofs: RFC 6962/9162 inclusion, C2SP signed-note checkpoint -------------------


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]):
    """RFC 9162 section 2.1.3.2; None when the proof is malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if len(p) != 32 or sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def _b64(text: str) -> bytes:
    value = base64.b64decode(text.encode("ascii"), validate=True)
    if base64.b64encode(value).decode() != text:
        raise ValueError("not canonical base64")
    return value


def read_checkpoint(note: str, vkey: str):
    """Return (origin, size, root, signature_checked) of a checkpoint signed by *vkey*; raise ValueError."""
    name, key_id_hex, encoded = vkey.strip().split("+", 2)
    raw = _b64(encoded)
    if len(raw) != 33 or raw[0] != 1:
        raise ValueError("key.txt is not an Ed25519 verifier key")
    key_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if key_id.hex() != key_id_hex:
        raise ValueError("key.txt: the key id does not match the key")
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise ValueError("checkpoint.txt is not a signed note")
    text, block = note[: split + 1], note[split + 2 :]
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[1].isdigit() or (lines[1] != "0" and lines[1].startswith("0")):
        raise ValueError("checkpoint.txt is not a checkpoint")
    origin, size, root = lines[0], int(lines[1]), _b64(lines[2])
    if len(root) != 32:
        raise ValueError("checkpoint.txt: the root hash is not 32 bytes")
    signatures = []
    for line in block[:-1].split("\n"):
        if not line.startswith("\u2014 ") or len(line.split(" ")) != 3:
            raise ValueError("checkpoint.txt: a signature line is malformed")
        _dash, signer, signature = line.split(" ")
        signature = _b64(signature)
        if signer == name and signature[:4] == key_id:
            signatures.append(signature[4:])
    if not signatures:
        raise ValueError("checkpoint.txt is not signed by the key in key.txt")
    if Ed25519PublicKey is None:
        return origin, size, root, False
    public = Ed25519PublicKey.from_public_bytes(raw[1:])
    for signature in signatures:
        try:
            public.verify(signature, text.encode())
        except InvalidSignature as error:
            raise ValueError("checkpoint.txt: the signature does not verify") from error
    return origin, size, root, True


def _check_transparency(data: Path, problems: list[str], notes: list[str]) -> None:
    folder = data / "transparency"
    if not folder.is_dir():
        notes.append("no transparency/ folder: the package was made before the log had signed checkpoints")
        return
    try:
        note = (folder / "checkpoint.txt").read_text(encoding="utf-8")
        vkey = (folder / "key.txt").read_text(encoding="ascii")
        origin, size, root, signed = read_checkpoint(note, vkey)
    except (OSError, UnicodeDecodeError, ValueError, binascii.Error) as error:
        problems.append(f"transparency: {error}")
        return
    if not signed:
        notes.append(
            "the checkpoint's Ed25519 signature was NOT checked: install the Python package "
            "'cryptography' to check it; the record hashes and inclusion proofs were checked"
        )
    proofs = _records(folder / "inclusion-proofs.jsonl") if (folder / "inclusion-proofs.jsonl").is_file() else iter(())
    pending = next(proofs, None)
    proved = 0
    records_path = data / "records.json"
    for doc in _records(records_path) if records_path.is_file() else ():
        sequence, record_hash = doc["sequence"], doc["integrity"]["record_hash"]
        name = f"record #{sequence} (id {doc.get('id')})"
        while pending is not None and pending.get("sequence", 0) < sequence:
            pending = next(proofs, None)
        if sequence > size:
            notes.append(f"{name} was logged after the checkpoint (size {size}) and has no inclusion proof")
            continue
        if pending is None or pending.get("sequence") != sequence:
            problems.append(f"{name}: no inclusion proof")
            continue
        try:
            path = [_b64(p) for p in pending["proof"]]
            leaf = hashlib.sha256(b"\x00" + bytes.fromhex(record_hash)).digest()
            ok = (
                pending["record_hash"] == record_hash
                and pending["tree_size"] == size
                and root_from_inclusion(sequence - 1, size, leaf, path) == root
            )
        except (KeyError, TypeError, ValueError, binascii.Error):
            ok = False
        if not ok:
            problems.append(f"{name}: not in the log's Merkle tree of the checkpoint ({origin}, size {size})")
        else:
            proved += 1
    notes.append(f"{proved} record(s) proved to be in the signed checkpoint of {origin} (size {size})")


def verify(path: Path, notes: list[str] | None = None) -> list[str]:
    """Return every problem found in the package at *path* (a folder or a zip); *notes* gets remarks."""
    notes = [] if notes is None else notes
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)
            folders = [p for p in Path(tmp).iterdir() if p.is_dir()]
            if len(folders) != 1:
                return ["the zip must hold exactly one package folder"]
            return verify(folders[0], notes)
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
    _check_transparency(root / "representations" / "rep1" / "data", problems, notes)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0])
        print("usage: verify_package.py PACKAGE_FOLDER_OR_ZIP")
        return 2
    notes: list[str] = []
    problems = verify(Path(argv[1]), notes)
    for note in notes:
        print(f"NOTE {note}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    if problems:
        return 1
    print("OK: every file matches METS.xml, every record hash recomputes and every record is in the signed log.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
