"""The archival package carries the checkpoint, the key and an inclusion proof per record;
its own verifier checks them offline, and a package forged with every hash recomputed fails."""

import hashlib
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from lxml import etree

from moderation.exports import package
from moderation.exports.package import verify_package_standalone
from moderation.models import RemovedComment
from moderation.transparency import tree
from norsjo.files import sha256_file

pytestmark = pytest.mark.django_db

DATA = "representations/rep1/data"


@pytest.fixture
def built(log_removal, tmp_path):
    for i in range(5):
        log_removal(text=f"kommentar {i}")
    return package.build_package(RemovedComment.objects.filter(sequence__gte=2), tmp_path / "pkg").path


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _relist(root, relative):
    """Update both METS files for a changed file (and the root's entry for the representation's), as a forger would."""
    for mets, target in (
        (root / "representations/rep1/METS.xml", root / relative),
        (root / "METS.xml", root / relative),
        (root / "METS.xml", root / "representations/rep1/METS.xml"),
    ):
        doc = etree.parse(str(mets))
        for node in doc.iter("{http://www.loc.gov/METS/}file"):
            href = node.find("{http://www.loc.gov/METS/}FLocat").get("{http://www.w3.org/1999/xlink}href")
            if (mets.parent / href).resolve() == target.resolve():
                node.set("CHECKSUM", sha256_file(target))
                node.set("SIZE", str(target.stat().st_size))
        doc.write(str(mets), xml_declaration=True, encoding="UTF-8")


def test_the_package_proves_its_records_are_in_the_signed_log(built, tmp_path):
    notes = []
    assert package.verify_package(built) == []
    assert verify_package_standalone.verify(built, notes) == []
    assert "4 record(s) proved to be in the signed checkpoint" in " ".join(notes)
    lines = (built / DATA / "transparency/inclusion-proofs.jsonl").read_text().splitlines()
    assert [json.loads(line)["sequence"] for line in lines] == [2, 3, 4, 5]
    # the package's checkpoint is one verify_moderation_log accepts later
    call_command(
        "verify_moderation_log", "--skip-files", checkpoint=[str(built / DATA / "transparency/checkpoint.txt")]
    )


def test_a_forged_package_with_every_hash_recomputed_fails(built):
    """Change a record, recompute its hash, the chain after it, the chain head and METS: the
    inclusion proof against the signed checkpoint still fails."""
    records = built / DATA / "records.json"
    docs = [json.loads(line.rstrip(",")) for line in records.read_text().splitlines() if line not in ("[", "]", "")]
    previous = None
    for doc in docs:
        if doc["sequence"] == 3:
            doc["category"] = doc["hash_input"]["category"] = "g"
        if previous is not None:
            doc["integrity"]["previous_hash"] = doc["hash_input"]["previous_hash"] = previous
        doc["integrity"]["record_hash"] = hashlib.sha256(_canonical(doc["hash_input"])).hexdigest()
        previous = doc["integrity"]["record_hash"]
    records.write_text(
        "[" + ",\n".join("\n" + json.dumps(d, ensure_ascii=False, sort_keys=True) for d in docs) + "\n]\n"
    )
    head = built / DATA / "chain-head.json"
    head.write_text(json.dumps({**json.loads(head.read_text()), "last_hash": previous}))
    _relist(built, f"{DATA}/records.json")
    _relist(built, f"{DATA}/chain-head.json")
    problems = package.verify_package(built)
    assert problems and all("not in the log's Merkle tree" in p for p in problems), problems
    assert {p.split(" ")[1] for p in problems} == {"#3", "#4", "#5"}


def test_a_forged_checkpoint_fails(built):
    checkpoint = built / DATA / "transparency/checkpoint.txt"
    checkpoint.write_text(checkpoint.read_text().replace("\n5\n", "\n6\n"))
    _relist(built, f"{DATA}/transparency/checkpoint.txt")
    assert package.verify_package(built) == ["transparency: checkpoint.txt: the signature does not verify"]


def test_the_verifier_runs_offline_and_without_cryptography_says_so(built):
    script = built / "documentation/verify_package.py"
    result = subprocess.run([sys.executable, "-I", str(script), str(built)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOT checked" not in result.stdout
    hide = (
        "import runpy, sys; sys.modules['cryptography'] = None; "
        f"sys.argv = ['verify_package.py', {str(built)!r}]; runpy.run_path({str(script)!r}, run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-I", "-c", hide], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "signature was NOT checked" in result.stdout and "4 record(s) proved" in result.stdout
    proofs = built / DATA / "transparency/inclusion-proofs.jsonl"
    proofs.write_text(
        proofs.read_text().replace('"leaf_index": 2', '"leaf_index": 2 ', 1).replace('"proof": ["', '"proof": ["A', 1)
    )
    _relist(built, f"{DATA}/transparency/inclusion-proofs.jsonl")
    result = subprocess.run([sys.executable, "-I", "-c", hide], capture_output=True, text=True)
    assert result.returncode == 1 and "record #2" in result.stdout


def test_a_record_logged_during_the_export_is_noted_not_failed(log_removal, tmp_path, monkeypatch):
    log_removal()
    log_removal()
    real = tree.latest_checkpoint
    early = real()
    monkeypatch.setattr(tree, "latest_checkpoint", lambda: early)
    log_removal()
    path = package.build_package(RemovedComment.objects.all(), tmp_path / "pkg").path
    monkeypatch.setattr(tree, "latest_checkpoint", real)
    notes = []
    assert verify_package_standalone.verify(path, notes) == []
    assert any("logged after the checkpoint" in n for n in notes)
