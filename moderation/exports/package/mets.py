"""The package's METS files (E-ARK CSIP 2.1.0 / SIP 2.1.0): the root's and the representation's."""

import dataclasses
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings

from .files import PackageFile
from .markup import (
    CONTENT_TYPE,
    CSIP_NS,
    METS_NS,
    SIP_NS,
    SIP_PROFILE,
    SOFTWARE_NAME,
    SOFTWARE_VERSION,
    XLINK_NS,
    attr,
    iso,
)


def _file_xml(file: PackageFile, file_id: str, href: str) -> str:
    return (
        f"      <mets:file ID={attr(file_id)} MIMETYPE={attr(file.mimetype)} SIZE={attr(file.size)}"
        f' CREATED={attr(iso(file.created))} CHECKSUM={attr(file.sha256)} CHECKSUMTYPE="SHA-256">\n'
        f'        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={attr(href)}/>\n'
        "      </mets:file>\n"
    )


def _mets_open(objid: str, created: datetime, *, label: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<mets:mets xmlns:mets="{METS_NS}" xmlns:csip="{CSIP_NS}" xmlns:sip="{SIP_NS}"'
        f' xmlns:xlink="{XLINK_NS}"'
        f' OBJID={attr(objid)} LABEL={attr(label)} TYPE="Datasets"'
        f' csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={attr(CONTENT_TYPE)}'
        f' PROFILE="{SIP_PROFILE}">\n'
        f"  <mets:metsHdr CREATEDATE={attr(iso(created))} LASTMODDATE={attr(iso(created))}"
        ' RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">\n'
        '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n'
        f"      <mets:name>{SOFTWARE_NAME}</mets:name>\n"
        f'      <mets:note csip:NOTETYPE="SOFTWARE VERSION">{SOFTWARE_VERSION}</mets:note>\n'
        "    </mets:agent>\n"
        '    <mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">\n'
        f"      <mets:name>{escape(settings.MUNICIPALITY_NAME)}</mets:name>\n"
        "    </mets:agent>\n"
        "  </mets:metsHdr>\n"
    )


def _group_attrs() -> str:
    return f'csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={attr(CONTENT_TYPE)}'


def rep_mets(objid: str, files: list[PackageFile], created: datetime, *, premis: PackageFile) -> str:
    """Return the representation's METS: its data files, paths relative to the representation."""
    parts = [_mets_open("rep1", created, label=f"{objid} rep1")]
    relative = dataclasses.replace(premis, path=premis.path.removeprefix("representations/rep1/"))
    parts.append('  <mets:amdSec>\n    <mets:digiprovMD ID="rep1-digiprov-premis" STATUS="CURRENT">\n')
    parts.append("  " + _md_ref(relative, "PREMIS"))
    parts.append("    </mets:digiprovMD>\n  </mets:amdSec>\n")
    parts.append('  <mets:fileSec ID="rep1-fileSec">\n')
    parts.append(f'    <mets:fileGrp ID="rep1-data" USE="Data" {_group_attrs()}>\n')
    for n, f in enumerate(files, start=1):
        parts.append(_file_xml(f, f"rep1-file-{n}", f.path.removeprefix("representations/rep1/")))
    parts.append("    </mets:fileGrp>\n  </mets:fileSec>\n")
    parts.append('  <mets:structMap ID="rep1-structMap" TYPE="PHYSICAL" LABEL="CSIP">\n')
    parts.append('    <mets:div ID="rep1-div" LABEL="rep1">\n')
    parts.append('      <mets:div ID="rep1-data-div" LABEL="Data">\n')
    parts.append('        <mets:fptr FILEID="rep1-data"/>\n')
    parts.append("      </mets:div>\n    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
    return "".join(parts)


def _md_ref(file: PackageFile, mdtype: str) -> str:
    return (
        f'    <mets:mdRef LOCTYPE="URL" MDTYPE="{mdtype}" MIMETYPE={attr(file.mimetype)} SIZE={attr(file.size)}'
        f' CREATED={attr(iso(file.created))} CHECKSUM={attr(file.sha256)} CHECKSUMTYPE="SHA-256"'
        f' xlink:type="simple" xlink:href={attr(file.path)}/>\n'
    )


def root_mets(objid: str, files: list[PackageFile], *, dc: PackageFile, premis: PackageFile, created) -> str:
    created_attr = attr(iso(created))
    parts = [_mets_open(objid, created, label=f"Kanalregistret moderation records {objid}")]
    parts.append(f'  <mets:dmdSec ID="dmd-description" CREATED={created_attr} STATUS="CURRENT">\n')
    parts.append(_md_ref(dc, "DC"))
    parts.append("  </mets:dmdSec>\n")
    parts.append('  <mets:amdSec>\n    <mets:digiprovMD ID="digiprov-premis" STATUS="CURRENT">\n')
    parts.append("  " + _md_ref(premis, "PREMIS"))
    parts.append("    </mets:digiprovMD>\n  </mets:amdSec>\n")
    groups = {
        "Documentation": ("grp-documentation", [f for f in files if f.path.startswith("documentation/")]),
        "Schemas": ("grp-schemas", [f for f in files if f.path.startswith("schemas/")]),
        "Representations/rep1": ("grp-rep1", [f for f in files if f.path.startswith("representations/rep1/")]),
    }
    parts.append('  <mets:fileSec ID="fileSec">\n')
    n = 0
    for use, (group_id, members) in groups.items():
        parts.append(f'    <mets:fileGrp ID="{group_id}" USE="{use}" {_group_attrs()}>\n')
        for f in members:
            n += 1
            parts.append(_file_xml(f, f"file-{n}", f.path))
        parts.append("    </mets:fileGrp>\n")
    parts.append("  </mets:fileSec>\n")
    parts.append('  <mets:structMap ID="structMap" TYPE="PHYSICAL" LABEL="CSIP">\n')
    parts.append(f'    <mets:div ID="div-root" LABEL={attr(objid)}>\n')
    parts.append(
        '      <mets:div ID="div-metadata" LABEL="Metadata" DMDID="dmd-description" ADMID="digiprov-premis"/>\n'
    )
    parts.append('      <mets:div ID="div-documentation" LABEL="Documentation">\n')
    parts.append('        <mets:fptr FILEID="grp-documentation"/>\n      </mets:div>\n')
    parts.append('      <mets:div ID="div-schemas" LABEL="Schemas">\n')
    parts.append('        <mets:fptr FILEID="grp-schemas"/>\n      </mets:div>\n')
    parts.append('      <mets:div ID="div-representations" LABEL="Representations">\n')
    parts.append('        <mets:fptr FILEID="grp-rep1"/>\n')
    parts.append('        <mets:div ID="div-rep1" LABEL="Representations/rep1">\n')
    parts.append(
        '          <mets:mptr LOCTYPE="URL" xlink:type="simple" xlink:title="grp-rep1"'
        ' xlink:href="representations/rep1/METS.xml"/>\n'
    )
    parts.append("        </mets:div>\n      </mets:div>\n")
    parts.append("    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
    return "".join(parts)
