"""C2SP signed notes and tlog checkpoints, Ed25519 only; parsed and verified strictly.

- signed-note (https://c2sp.org/signed-note): a text of UTF-8 lines, each ending in a newline,
  then a blank line, then one or more signature lines ``— <name> <base64(key id || signature)>``.
  The signature covers the text, final newline included. An Ed25519 key's id is the first four
  bytes of SHA-256(name || "\\n" || 0x01 || public key); its verifier key is written
  ``<name>+<key id as 8 hex digits>+<base64(0x01 || public key)>``; its signing key
  ``PRIVATE+KEY+<name>+<key id>+<base64(0x01 || 32-byte seed)>`` (the format of Go's
  golang.org/x/mod/sumdb/note, so the same key files work with its tools).
- tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the text is the origin line, the tree
  size in decimal, the root hash in standard base64, then optional extension lines.

Nothing here touches Django or the database: the package verifier copies the parsing rules.
"""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space
MAX_SIGNATURES = 100
_NAME = re.compile(r"[^\s+]+")  # a key name: no whitespace, no plus sign
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


class NoteError(ValueError):
    """A note, checkpoint or key that is malformed or does not verify; ``code`` says which."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _b64decode(text: str, what: str) -> bytes:
    try:
        value = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise NoteError(f"{what} is not base64", "malformed") from error
    if base64.b64encode(value).decode() != text:  # canonical encoding only
        raise NoteError(f"{what} is not canonical base64", "malformed")
    return value


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'", "malformed")


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey = field(compare=False)

    @classmethod
    def parse(cls, vkey: str) -> "Verifier":
        """Parse ``<name>+<hex key id>+<base64(0x01 || public key)>``."""
        parts = vkey.strip().split("+", 2)  # base64 may hold "+"
        if len(parts) != 3:
            raise NoteError("a verifier key is <name>+<key id>+<key>", "malformed")
        name, hex_id, encoded = parts
        _check_name(name)
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise NoteError("the key id is 8 lower-case hex digits", "malformed")
        raw = _b64decode(encoded, "the verifier key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("only Ed25519 verifier keys are supported", "unsupported_key")
        if key_id(name, raw[1:]).hex() != hex_id:
            raise NoteError("the key id does not match the key", "malformed")
        return cls(name, bytes.fromhex(hex_id), Ed25519PublicKey.from_public_bytes(raw[1:]))

    @property
    def raw(self) -> bytes:
        return _raw_public(self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ALG_ED25519]) + self.raw).decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    private_key: Ed25519PrivateKey = field(compare=False, repr=False)

    @classmethod
    def generate(cls, name: str) -> "Signer":
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, skey: str) -> "Signer":
        """Parse ``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>``."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signing key is PRIVATE+KEY+<name>+<key id>+<key>", "malformed")
        name, hex_id, encoded = parts[2:]
        _check_name(name)
        raw = _b64decode(encoded, "the signing key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("only Ed25519 signing keys are supported", "unsupported_key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.key_id.hex() != hex_id:
            raise NoteError("the key id does not match the key", "malformed")
        return signer

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, _raw_public(self.private_key.public_key()))

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key_id, self.private_key.public_key())

    def __str__(self) -> str:
        seed = self.private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        encoded = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{encoded}"

    def sign(self, text: str) -> str:
        """Return the signed note: *text*, a blank line and this key's signature line."""
        _check_text(text)
        signature = self.private_key.sign(text.encode())
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {base64.b64encode(self.key_id + signature).decode()}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("a note's text ends in a newline and has no blank line", "malformed")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note's text holds no control characters", "malformed")


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


def parse_note(note: str | bytes) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signatures, strictly."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as error:
            raise NoteError("a note is UTF-8", "malformed") from error
    if not note.endswith("\n"):
        raise NoteError("a note ends in a newline", "malformed")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("a note has a blank line before its signatures", "malformed")
    text, block = note[: split + 1], note[split + 2 :]
    _check_text(text)
    signatures = []
    for line in block.removesuffix("\n").split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("a signature line starts with an em dash and a space", "malformed")
        parts = line[len(SIGNATURE_PREFIX) :].split(" ")
        if len(parts) != 2:
            raise NoteError("a signature line is '— <name> <signature>'", "malformed")
        name, encoded = parts
        _check_name(name)
        raw = _b64decode(encoded, "a signature")
        if len(raw) < 5:
            raise NoteError("a signature is too short", "malformed")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise NoteError("a note has between 1 and 100 signatures", "malformed")
    return text, signatures


def open_note(note: str | bytes, verifiers: list[Verifier]) -> tuple[str, list[Verifier]]:
    """Return the note's text and the known keys that signed it; raise unless one did.

    Signatures by unknown keys are ignored (as the spec says); a signature by a known key
    that does not verify is an error, never skipped.
    """
    text, signatures = parse_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    signed_by = []
    for signature in signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            continue
        if not verifier.verify(text.encode(), signature.signature):
            raise NoteError(f"the signature by {signature.name} does not verify", "bad_signature")
        signed_by.append(verifier)
    if not signed_by:
        raise NoteError("the note is not signed by a known key", "unknown_key")
    return text, signed_by


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse_text(cls, text: str) -> "Checkpoint":
        lines = text.removesuffix("\n").split("\n")
        if len(lines) < 3 or not text.endswith("\n"):
            raise NoteError("a checkpoint has an origin, a size and a root hash", "malformed")
        origin, size, root, *extensions = lines
        if not origin or any(not line for line in extensions):
            raise NoteError("a checkpoint has no empty lines", "malformed")
        if not _DECIMAL.fullmatch(size):
            raise NoteError("a checkpoint's size is a decimal number", "malformed")
        digest = _b64decode(root, "the root hash")
        if len(digest) != 32:
            raise NoteError("a checkpoint's root hash is 32 bytes", "malformed")
        return cls(origin, int(size), digest, tuple(extensions))

    def sign(self, signer: Signer) -> str:
        return signer.sign(self.text())


def open_checkpoint(note: str | bytes, verifiers: list[Verifier], *, origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint and return it; *origin*, if given, must match."""
    text, _signed_by = open_note(note, verifiers)
    checkpoint = Checkpoint.parse_text(text)
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is for {checkpoint.origin!r}, not {origin!r}", "wrong_origin")
    return checkpoint
