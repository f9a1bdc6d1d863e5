"""The files of an archival package: what was written (path, size, checksum) and how."""

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from norsjo.files import sha256_file


class HashingWriter:
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


def copy_file(source: Path, root: Path, relative: str) -> tuple[str, int, str]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return relative, target.stat().st_size, sha256_file(target)


def write_text(root: Path, relative: str, text: str) -> tuple[str, int, str]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    target.write_bytes(data)
    return relative, len(data), hashlib.sha256(data).hexdigest()
