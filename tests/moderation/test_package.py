"""The archival package (E-ARK CSIP/SIP 2.1.0): valid, complete, verifiable offline."""

import json
import zipfile

import pytest
import time_machine
from django.core.management import call_command
from lxml import etree

from moderation.exports import package
from moderation.models import RemovedComment
from moderation.services import disposal as disposal_services
from norsjo.files import sha256_file

from . import eark
from .conftest import EARLY_ON_11_MARCH, LATE_ON_10_MARCH, ON_10_MARCH_2026, png_upload

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> \u202eevil\u202c \u200b😀 =cmd|'/c calc'!A1 \r\n\x01\x0b end"


@pytest.fixture
def logged(world, log_removal):
    first = log_removal(text="Första kommentaren.", attachments=[png_upload()])
    log_removal(text=HOSTILE, category="b")
    log_removal(text="Hemlig uppgift: personnummer 19121212-1212.", category="h", actor=world.users["web_team"])
    return first


def _build(tmp_path, **kwargs):
    return package.build_package(RemovedComment.objects.all(), tmp_path / "pkg", **kwargs)


def test_package_validates_with_eark_validator(logged, tmp_path):
    """eark-validator (CSIP 2.1.0 + SIP 2.1.0, offline) reports no errors for the package."""
    summary = _build(tmp_path)
    report = eark.validate(summary.path)
    assert eark.errors(report) == []
    assert report.structure.status.value == "WellFormed"
    assert eark.warnings(report) == [], eark.warnings(report)


def test_zipped_package_validates_and_verifies(logged, tmp_path):
    summary = _build(tmp_path, make_zip=True)
    assert summary.path.suffix == ".zip" and zipfile.is_zipfile(summary.path)
    assert eark.errors(eark.validate(summary.path)) == []
    assert package.verify_package(summary.path) == []


def test_package_checksums_verify(logged, tmp_path):
    """Every file is listed in METS with a SHA-256 that matches, and the chain recomputes."""
    summary = _build(tmp_path)
    assert package.verify_package(summary.path) == []
    listed = {f.path for f in summary.files}
    assert "representations/rep1/data/chain-head.json" in listed
    assert any(p.startswith("representations/rep1/data/screenshots/") for p in listed)
    assert summary.records == 3 and summary.confidential == 1 and summary.screenshots == 1


def test_package_tampered_file_is_detected(logged, tmp_path):
    summary = _build(tmp_path)
    shot = next(summary.path.glob("representations/rep1/data/screenshots/*"))
    shot.write_bytes(shot.read_bytes() + b"x")
    problems = package.verify_package(summary.path)
    assert any("screenshots" in p and "altered" in p for p in problems), problems


def test_package_tampered_record_is_detected_even_with_fixed_checksums(logged, tmp_path):
    """A forger who edits records.json and updates METS is still caught by the record hashes."""
    summary = _build(tmp_path)
    records = summary.path / "representations/rep1/data/records.json"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace('"category": "b", "category_label"', '"category": "f", "category_label"'), "utf-8")
    # Re-list the file with its new checksum, as a forger would.
    digest = sha256_file(records)
    for mets in (summary.path / "representations/rep1/METS.xml",):
        tree = etree.parse(str(mets))
        for node in tree.iter("{http://www.loc.gov/METS/}file"):
            href = node.find("{http://www.loc.gov/METS/}FLocat").get("{http://www.w3.org/1999/xlink}href")
            if href.endswith("records.json"):
                node.set("CHECKSUM", digest)
                node.set("SIZE", str(records.stat().st_size))
        tree.write(str(mets), xml_declaration=True, encoding="UTF-8")
    problems = package.verify_package(summary.path)
    forged = RemovedComment.objects.get(category="b")
    expected = f"record #{forged.sequence} (id {forged.pk}): category shown differs from category hashed"
    assert expected in problems, problems


def test_package_unlisted_file_is_detected(logged, tmp_path):
    summary = _build(tmp_path)
    (summary.path / "representations/rep1/data/extra.txt").write_text("smuggled")
    assert any("not listed" in p for p in package.verify_package(summary.path))


def test_package_records_xml_is_valid_against_its_schema_and_lossless(logged, tmp_path):
    """records.xml validates against schemas/moderation-records.xsd; hostile text survives exactly."""
    summary = _build(tmp_path)
    schema = etree.XMLSchema(etree.parse(str(summary.path / "schemas/moderation-records.xsd")))
    for name in ("records.xml", "disposal-log.xml"):
        doc = etree.parse(str(summary.path / "representations/rep1/data" / name))
        assert schema.validate(doc), schema.error_log
    doc = etree.parse(str(summary.path / "representations/rep1/data/records.xml"))
    ns = {"r": package.RECORDS_NS}
    texts = doc.findall(".//r:content/r:text", ns)
    hostile = next(t for t in texts if t.get("encoding") == "base64")
    import base64

    assert base64.b64decode(hostile.text).decode() == HOSTILE
    confidential = doc.findall(".//r:record[@confidential='true']", ns)
    assert len(confidential) == 1
    rows = json.loads((summary.path / "representations/rep1/data/records.json").read_text("utf-8"))
    assert [r["content"]["text"] for r in rows if r["category"] == "b"] == [HOSTILE]


def test_export_records_command_writes_a_valid_package(logged, tmp_path, world):
    out = tmp_path / "arkiv"
    call_command("export_records", "--out", str(out), "--category", "h")
    rows = json.loads((out / "representations/rep1/data/records.json").read_text("utf-8"))
    assert [r["category"] for r in rows] == ["h"] and rows[0]["confidential"] is True
    assert package.verify_package(out) == []
    assert eark.errors(eark.validate(out)) == []


def test_standalone_verifier_runs_without_django(logged, tmp_path):
    """documentation/verify_package.py works with nothing but the Python standard library."""
    import subprocess
    import sys

    summary = _build(tmp_path)
    script = summary.path / "documentation/verify_package.py"
    result = subprocess.run([sys.executable, "-I", str(script), str(summary.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (summary.path / "representations/rep1/data/chain-head.json").write_text("{}")
    result = subprocess.run([sys.executable, "-I", str(script), str(summary.path)], capture_output=True, text=True)
    assert result.returncode == 1 and "chain-head.json" in result.stdout


def test_eark_sip14_cannot_be_satisfied(logged, tmp_path):
    """The one message tolerated (SIP14) is unavoidable: meeting it breaks the METS schema instead.

    The package's software agent carries csip:NOTETYPE (CSIP16). Adding the unprefixed
    NOTETYPE that eark-validator's SIP14 rule tests turns the SIP14 message into a schema
    error, so no schema-valid SIP passes both; SIP14 is the validator's defect.
    """
    summary = _build(tmp_path)
    report = eark.validate(summary.path)
    assert [m.rule_id for m in eark.all_errors(report)] == ["SIP14"]
    mets = summary.path / "METS.xml"
    mets.write_text(
        mets.read_text("utf-8").replace(
            'csip:NOTETYPE="SOFTWARE VERSION"', 'csip:NOTETYPE="SOFTWARE VERSION" NOTETYPE="IDENTIFICATIONCODE"'
        ),
        "utf-8",
    )
    report = eark.validate(summary.path)
    assert [m.rule_id for m in eark.all_errors(report)] == ["XML-1"]


def test_export_package_includes_the_disposal_log(world, logged_at, decision, archivist, tmp_path):
    record = logged_at(LATE_ON_10_MARCH)
    logged_at(EARLY_ON_11_MARCH)
    with time_machine.travel(ON_10_MARCH_2026, tick=False):
        disposal_services.disposal_apply(actor=archivist)
    out = tmp_path / "pkg"
    call_command("export_records", "--out", str(out))
    log = json.loads((out / "representations/rep1/data/disposal-log.json").read_text("utf-8"))
    assert [(e["record_id"], e["decision_reference"]) for e in log] == [(record.pk, "KS 2025/17")]
    rows = json.loads((out / "representations/rep1/data/records.json").read_text("utf-8"))
    assert [r["content"] is None for r in rows] == [True, False]
    assert package.verify_package(out) == []
    premis = (out / "metadata/preservation/premis.xml").read_text("utf-8")
    assert "<eventType>deletion</eventType>" in premis and "KS 2025/17" in premis
