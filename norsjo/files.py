"""File checksums: one helper for uploads, stored files and files on disk."""

import hashlib
import os


def sha256_file(source) -> str:
    """Return the SHA-256 (hex) of a path or of a binary file read from its start; a file is left at its start."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    source.seek(0)
    try:
        return hashlib.file_digest(source, "sha256").hexdigest()
    finally:
        source.seek(0)
