"""The package's descriptive and preservation metadata (Dublin Core, PREMIS) and its README."""

from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from .files import PackageSummary
from .markup import PREMIS_NS, SCHEMA_FILE, SOFTWARE_NAME, SOFTWARE_VERSION, iso


def readme(summary: PackageSummary, description: str, period) -> str:
    period_text = f"{period[0] or '…'} – {period[1] or '…'}" if period else "all"
    return f"""Kanalregistret – moderation records (borttagna kommentarer, riktlinjer 4:10)
{settings.MUNICIPALITY_NAME}

Package id:     {summary.objid}
Records:        {summary.records} (of which {summary.confidential} confidential, {summary.disposed} disposed of)
Screenshots:    {summary.screenshots}
Period:         {period_text}
Selection:      {description or "all records"}

Structure: E-ARK CSIP 2.1.0 / SIP 2.1.0 (Riksarkivet FGS Paketstruktur 2.0).
  METS.xml lists every file with its size and SHA-256 checksum.
  representations/rep1/data/records.xml   the records (schema: schemas/{SCHEMA_FILE})
  representations/rep1/data/records.json  the same records as JSON
  representations/rep1/data/disposal-log.*  disposals (gallring, 4:7) of the records in the package
  representations/rep1/data/chain-head.json  the head of the moderation log's hash chain at export
  representations/rep1/data/transparency/  the log's signed checkpoint, its public key and an
                                          inclusion proof per record (the records are the log's)
  metadata/preservation/premis.xml        PREMIS events: logging, addenda, disposal

CONFIDENTIALITY: records marked confidential="true" (category h, 4:10 h) may hold
information covered by secrecy. Review them (sekretessprövning) before any release.

Verifying offline (Python 3.11, no other software):
  python3 documentation/verify_package.py .
checks every file against METS.xml and recomputes each record's hash from its
"hash_input" in records.json, the links between consecutive records, and the chain head,
and that each record is in the Merkle tree of the signed checkpoint (its inclusion proof).
The checkpoint's Ed25519 signature is checked when the Python package "cryptography" is
installed (pip install cryptography); without it the verifier says so and checks the hashes.
"""


def dublin_core(summary: PackageSummary, description: str, period) -> str:
    start = period[0] if period else None
    end = period[1] if period else None
    coverage = f"{start or ''}/{end or ''}" if period else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title>{escape(f"Borttagna kommentarer i sociala medier – {settings.MUNICIPALITY_NAME}")}</dc:title>
  <dc:creator>{escape(settings.MUNICIPALITY_NAME)}</dc:creator>
  <dc:subject>Moderation log of the municipality's social-media channels (guidelines 4:10)</dc:subject>
  <dc:description>{escape(description or "All records")}. {summary.records} records, {summary.confidential} confidential, {summary.disposed} disposed of.</dc:description>
  <dc:date>{iso(timezone.now())}</dc:date>
  <dc:type>Dataset</dc:type>
  <dc:format>application/xml; application/json</dc:format>
  <dc:identifier>{escape(summary.objid)}</dc:identifier>
  <dc:language>sv</dc:language>
  <dc:coverage>{escape(coverage)}</dc:coverage>
  <dc:rights>Public records (allmän handling, 4:6). Records marked confidential need a secrecy review before release.</dc:rights>
</metadata>
"""  # noqa: E501


def premis_xml(events: list[tuple], created: datetime) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<premis xmlns="{PREMIS_NS}" version="3.0">\n',
    ]
    agents = {username for *_rest, username, _seq in events}
    for n, (event_type, when, detail, username, sequence) in enumerate(events, start=1):
        lines.append(
            "  <event>\n"
            f"    <eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
            f"<eventIdentifierValue>event-{n}</eventIdentifierValue></eventIdentifier>\n"
            f"    <eventType>{event_type}</eventType>\n"
            f"    <eventDateTime>{iso(when)}</eventDateTime>\n"
            f"    <eventDetailInformation><eventDetail>{escape(detail)}</eventDetail></eventDetailInformation>\n"
            f"    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
            f"    <linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType>"
            f"<linkingAgentIdentifierValue>{escape(username)}</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
            f"    <linkingObjectIdentifier><linkingObjectIdentifierType>record-sequence</linkingObjectIdentifierType>"
            f"<linkingObjectIdentifierValue>{sequence}</linkingObjectIdentifierValue></linkingObjectIdentifier>\n"
            "  </event>\n"
        )
    lines.append(
        "  <event>\n"
        "    <eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
        "<eventIdentifierValue>event-package</eventIdentifierValue></eventIdentifier>\n"
        "    <eventType>message digest calculation</eventType>\n"
        f"    <eventDateTime>{iso(created)}</eventDateTime>\n"
        "    <eventDetailInformation><eventDetail>SHA-256 of every file, listed in METS.xml</eventDetail>"
        "</eventDetailInformation>\n"
        "    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
        "    <linkingAgentIdentifier><linkingAgentIdentifierType>software</linkingAgentIdentifierType>"
        f"<linkingAgentIdentifierValue>{SOFTWARE_NAME}</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
        "  </event>\n"
    )
    for username in sorted(agents):
        lines.append(
            "  <agent>\n"
            "    <agentIdentifier><agentIdentifierType>local</agentIdentifierType>"
            f"<agentIdentifierValue>{escape(username)}</agentIdentifierValue></agentIdentifier>\n"
            f"    <agentName>{escape(username)}</agentName>\n"
            "    <agentType>person</agentType>\n"
            "  </agent>\n"
        )
    lines.append(
        "  <agent>\n"
        "    <agentIdentifier><agentIdentifierType>software</agentIdentifierType>"
        f"<agentIdentifierValue>{SOFTWARE_NAME}</agentIdentifierValue></agentIdentifier>\n"
        f"    <agentName>{SOFTWARE_NAME} {SOFTWARE_VERSION}</agentName>\n"
        "    <agentType>software</agentType>\n"
        "  </agent>\n"
    )
    lines.append("</premis>\n")
    return "".join(lines)
