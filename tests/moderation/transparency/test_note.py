"""C2SP signed notes and checkpoints: the Go reference vector, and strict parsing."""

import base64

import pytest

from moderation.transparency.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    key_id,
    open_checkpoint,
    open_note,
    parse_note,
)

# The example of golang.org/x/mod/sumdb/note (signed-note's reference implementation).
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann "
    + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_go_reference_vector():
    signer = Signer.parse(GO_SKEY)
    assert str(signer) == GO_SKEY
    assert str(signer.verifier) == GO_VKEY
    assert signer.sign(GO_TEXT) == GO_NOTE  # Ed25519 is deterministic
    text, signed_by = open_note(GO_NOTE, [Verifier.parse(GO_VKEY)])
    assert text == GO_TEXT and [v.name for v in signed_by] == ["PeterNeumann"]


def test_key_id_is_the_first_four_bytes_of_the_hash_of_name_newline_alg_key():
    verifier = Verifier.parse(GO_VKEY)
    assert key_id("PeterNeumann", verifier.raw).hex() == "c74f20a3"


@pytest.fixture
def signer():
    return Signer.generate("example.org/moderation-log")


def test_checkpoint_round_trip(signer):
    checkpoint = Checkpoint("example.org/moderation-log", 12, bytes(range(32)), ("extra line",))
    note = checkpoint.sign(signer)
    lines = note.split("\n")
    assert lines[:4] == ["example.org/moderation-log", "12", base64.b64encode(bytes(range(32))).decode(), "extra line"]
    assert lines[4] == "" and lines[5].startswith("\u2014 example.org/moderation-log ")
    assert open_checkpoint(note, [signer.verifier], origin="example.org/moderation-log") == checkpoint
    with pytest.raises(NoteError) as error:
        open_checkpoint(note, [signer.verifier], origin="other.org/log")
    assert error.value.code == "wrong_origin"


def test_a_changed_text_or_signature_does_not_verify(signer):
    note = Checkpoint("example.org/moderation-log", 12, bytes(32)).sign(signer)
    with pytest.raises(NoteError) as error:
        open_note(note.replace("\n12\n", "\n13\n"), [signer.verifier])
    assert error.value.code == "bad_signature"
    other = Signer.generate("example.org/moderation-log")
    with pytest.raises(NoteError) as error:
        open_note(note, [other.verifier])
    assert error.value.code == "unknown_key"


def test_unknown_signatures_are_ignored_and_cosignatures_accepted(signer):
    other = Signer.generate("witness.example")
    note = Checkpoint("example.org/moderation-log", 1, bytes(32)).sign(signer)
    text, signature = note.split("\n\n")
    cosigned = other.sign(text + "\n").split("\n\n")[1]
    both = f"{text}\n\n{signature}{cosigned}"
    assert open_note(both, [signer.verifier])[1] == [signer.verifier]
    assert len(open_note(both, [signer.verifier, other.verifier])[1]) == 2


@pytest.mark.parametrize(
    "note",
    [
        "origin\n1\nAAAA\n",  # no signature block
        "origin\n1\n\n\u2014 name AAAA\n",  # signature too short
        "origin\n1\n\n- name AAAAAAAAAA==\n",  # hyphen, not an em dash
        "origin\n1\n\n\u2014 name  AAAAAAAAAA==\n",  # two spaces
        "origin\n1\n\n\u2014 na+me AAAAAAAAAA==\n",  # plus in a name
        "origin\n1\n\n\u2014 name AAAAAAAAAA==",  # no final newline
        "origin\n\n1\n\n\u2014 name AAAAAAAAAA==\n",  # blank line in the text
        "orig\x07in\n1\n\n\u2014 name AAAAAAAAAA==\n",  # a control character
        "origin\n1\n\n\u2014 name AAAA AAAAAA==\n",
        "origin\n1\n\n\u2014 name AAAAAAAAAA=\n",  # not canonical base64
    ],
)
def test_malformed_notes_are_refused(note):
    with pytest.raises(NoteError) as error:
        parse_note(note)
    assert error.value.code == "malformed"


@pytest.mark.parametrize(
    "text",
    [
        "origin\n01\n" + base64.b64encode(bytes(32)).decode() + "\n",  # leading zero
        "origin\n-1\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n1\n" + base64.b64encode(bytes(31)).decode() + "\n",  # short hash
        "origin\n1\n",
        "\n1\n" + base64.b64encode(bytes(32)).decode() + "\n",
    ],
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(NoteError):
        Checkpoint.parse_text(text)


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
        "PeterNeumann+c74f20a3+AhpjZHFQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY",  # not Ed25519
        "PeterNeumann+c74f20a3",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_bad_verifier_keys_are_refused(vkey):
    with pytest.raises(NoteError):
        Verifier.parse(vkey)
