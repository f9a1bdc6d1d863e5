"""The log's proofs in an archival package: the checkpoint, the public key and an inclusion
proof per record, so that the package proves, offline, that its records are the log's.

    representations/rep1/data/transparency/checkpoint.txt      the signed checkpoint (C2SP)
    representations/rep1/data/transparency/key.txt             its verifier key
    representations/rep1/data/transparency/inclusion-proofs.jsonl
        one line per record: {"sequence", "record_hash", "leaf_index", "tree_size", "proof": [base64]}

The checkpoint is taken before the records are read, so every record it covers gets a proof
(a record logged while the package is written is after it and has none). The package's
verifier (documentation/verify_package.py) checks them; checkpoint.txt can also be given to
``verify_moderation_log --checkpoint`` later.
"""

import hashlib
import json
from pathlib import Path

from ...transparency import keys, merkle, tree
from ...transparency.note import Checkpoint, parse_note

DIRECTORY = "representations/rep1/data/transparency"
CHUNK = 1000


def _write(root: Path, relative: str, data: bytes, mimetype: str) -> tuple[str, int, str, str]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative, len(data), hashlib.sha256(data).hexdigest(), mimetype


def write(root: Path, records) -> list[tuple[str, int, str, str]]:
    """Write the transparency files for *records* (a queryset) under *root*; return (path, size, sha256, type)."""
    note = tree.latest_checkpoint()
    checkpoint = Checkpoint.parse_text(parse_note(note)[0])
    files = [
        _write(root, f"{DIRECTORY}/checkpoint.txt", note.encode(), "text/plain"),
        _write(root, f"{DIRECTORY}/key.txt", f"{keys.verifier()}\n".encode(), "text/plain"),
    ]
    relative = f"{DIRECTORY}/inclusion-proofs.jsonl"
    target = root / relative
    digest, size = hashlib.sha256(), 0
    rows = records.filter(sequence__lte=checkpoint.size).order_by("sequence").values_list("sequence", "record_hash")
    with open(target, "wb") as out:
        chunk: list[tuple[int, str]] = []
        for row in rows.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                size += _proofs(out, digest, chunk, checkpoint.size)
                chunk = []
        size += _proofs(out, digest, chunk, checkpoint.size)
    files.append((relative, size, digest.hexdigest(), "application/jsonl"))
    return files


def _proofs(out, digest, chunk: list[tuple[int, str]], tree_size: int) -> int:
    """Write the proofs of a chunk of records, fetching the nodes they need in one query."""
    ranges = {sequence: merkle.inclusion_ranges(sequence - 1, tree_size) for sequence, _hash in chunk}
    nodes = tree.nodes(set().union(*(merkle.proof_nodes(r) for r in ranges.values())) if ranges else set())
    written = 0
    for sequence, record_hash in chunk:
        line = json.dumps(
            {
                "sequence": sequence,
                "record_hash": record_hash,
                "leaf_index": sequence - 1,
                "tree_size": tree_size,
                "proof": tree.encode(merkle.proof(ranges[sequence], nodes)),
            },
            sort_keys=True,
        ).encode()
        line += b"\n"
        out.write(line)
        digest.update(line)
        written += len(line)
    return written
