"""The archival information package (E-ARK CSIP/SIP 2.1.0, Riksarkivet's FGS Paketstruktur 2.0).

- ``builder.py``: ``build_package`` writes the package, ``verify_package`` checks one;
- ``records.py``: the records (XML, JSON) and the disposal log of the period;
- ``metadata.py``: Dublin Core, PREMIS and the README; ``mets.py``: the METS files;
- ``files.py`` and ``markup.py``: what a package file is, and the small XML helpers;
- ``transparency.py``: the log's signed checkpoint, its key and an inclusion proof per record;
- ``verify_package_standalone.py``: the verifier shipped inside every package (standard
  library only, no Django); ``schemas/``: the schema of records.xml, shipped too.
"""

from .builder import build_package, new_objid, verify_package
from .files import PackageFile, PackageSummary
from .markup import RECORDS_NS

__all__ = ["RECORDS_NS", "PackageFile", "PackageSummary", "build_package", "new_objid", "verify_package"]
