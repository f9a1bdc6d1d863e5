"""Small streaming XML helpers of the archival package, and its namespaces."""

import re
from base64 import b64encode
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

RECORDS_NS = "https://kanalregistret.norsjo.se/xml/moderation-records/1"
SCHEMA_FILE = "moderation-records.xsd"
SOFTWARE_NAME = "Kanalregistret"
SOFTWARE_VERSION = "1.0"

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_TYPE = "Kanalregistret moderation records"

# Characters XML 1.0 cannot hold; a text holding one is written base64-encoded (lossless).
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def attr(value) -> str:
    # quoteattr escapes &, <, > and quotes; line breaks and tabs would be normalised to spaces
    # by a parser, so they become character references.
    return quoteattr(str(value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def text_element(name: str, value, indent: str = "") -> str:
    """Return ``<name>value</name>``; a value XML cannot hold is base64-encoded, and said so."""
    if value is None:
        return ""
    value = str(value)
    if NOT_XML.search(value):
        encoded = b64encode(value.encode("utf-8")).decode("ascii")
        return f'{indent}<{name} encoding="base64">{encoded}</{name}>\n'
    # A carriage return would be read back as a line feed: keep it as a character reference.
    return f"{indent}<{name}>{escape(value).replace(chr(13), '&#13;')}</{name}>\n"


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()
