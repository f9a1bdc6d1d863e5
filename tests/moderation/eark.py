"""Run the E-ARK community's validator (eark-validator) offline.

eark-validator downloads four controlled vocabularies from the DILCIS web site when its
Schematron module is imported, although the same files ship inside the package. This
helper answers those requests from the bundled copies, and refuses every other request,
so the validation never depends on the network.
"""

import io
import urllib.request
from email.message import Message
from importlib.resources import files
from urllib.error import URLError
from urllib.response import addinfourl

VOCABULARY_PREFIX = "https://earkcsip.dilcis.eu/schema/"


class _BundledVocabularies(urllib.request.BaseHandler):
    handler_order = 100  # before the default HTTP(S) handlers

    def _answer(self, request):
        url = request.full_url
        if not url.startswith(VOCABULARY_PREFIX):
            raise URLError(f"offline: refusing {url}")
        name = url.removeprefix(VOCABULARY_PREFIX)
        data = files("eark_validator.ipxml.resources.vocabs").joinpath(name).read_bytes()
        headers = Message()
        headers["Content-Type"] = "application/xml"
        response = addinfourl(io.BytesIO(data), headers, url, 200)
        response.msg = "OK"
        return response

    def https_open(self, request):
        return self._answer(request)

    def http_open(self, request):
        return self._answer(request)


def validate(path):
    """Return eark-validator's report for the package at *path* (a folder or a zip)."""
    previous = urllib.request._opener
    urllib.request.install_opener(urllib.request.build_opener(_BundledVocabularies()))
    try:
        from eark_validator.packages import PackageValidator
        from eark_validator.specifications.specification import SpecificationVersion

        return PackageValidator(path, SpecificationVersion.V2_1_0).validation_report
    finally:
        urllib.request.install_opener(previous)


# eark-validator 1.1.3's SIP Schematron (SIP/mets_metsHdr_rules.xml) asserts SIP14 on the
# note of *every* agent with ROLE="CREATOR" and tests an unprefixed @NOTETYPE. CSIP12-16
# require exactly such an agent (the software, with one note carrying csip:NOTETYPE), and
# the METS schema forbids an unprefixed NOTETYPE (test_eark_sip14_cannot_be_satisfied
# proves it). In the SIP 2.1.0 specification SIP14 concerns the organisation agent, with
# csip:NOTETYPE. So every schema-valid SIP gets this one message; it is the validator's
# defect, and it is the only message tolerated, on exactly that element.
KNOWN_DEFECT_RULE = "SIP14"
KNOWN_DEFECT_LOCATION = "/mets:mets/mets:metsHdr/mets:agent[@ROLE = 'CREATOR']/mets:note"


def _is_known_defect(message) -> bool:
    return message.rule_id == KNOWN_DEFECT_RULE and message.location.startswith(KNOWN_DEFECT_LOCATION)


def all_errors(report) -> list:
    """Return every message of severity ERROR in *report* (structure, schema, Schematron)."""
    found = [m for m in report.structure.messages if m.severity.value == "Error"]
    if report.metadata is not None:
        for results in (report.metadata.schema_results, report.metadata.schematron_results):
            found += [m for m in results.messages if m.severity.value == "Error"]
    return found


def errors(report) -> list[str]:
    """Return the errors in *report*, less the validator's one documented defect (SIP14)."""
    return [f"{m.rule_id} at {m.location}: {m.message[:300]}" for m in all_errors(report) if not _is_known_defect(m)]


def warnings(report) -> list[str]:
    found = [f"structure {m.rule_id}" for m in report.structure.messages if m.severity.value == "Warn"]
    if report.metadata is not None:
        for results in (report.metadata.schema_results, report.metadata.schematron_results):
            found += [f"{m.rule_id}" for m in results.messages if m.severity.value == "Warn"]
    return found
