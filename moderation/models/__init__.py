"""The moderation app's models: the log of removed comments and the archive that keeps it.

- ``log.py``: the records (4:10) and what hangs on them: content, screenshots, reads, the
  disposal tombstone and the head of the hash chain.
- ``archive.py``: disposal decisions and their retention periods, holds, disposal runs and
  requests for public records (4:7, 4:6).
- ``alerts.py``: what follows a removal required by law: the police report, the alert handled.
- ``transparency.py``: the log's Merkle tree, its signed checkpoint, witness and verification
  runs (issue 12).
"""

from .alerts import LegalAlertHandled, PoliceReport
from .archive import DisclosureItem, DisclosureRequest, DisposalDecision, DisposalRun, Hold, RetentionPeriod
from .log import (
    LEGALLY_REQUIRED_CATEGORIES,
    Action,
    AppendOnlyModel,
    Category,
    ChainHead,
    DisposedRecord,
    RecordRead,
    RemovedComment,
    RemovedCommentAttachment,
    RemovedCommentContent,
    attachment_path,
    is_legally_required,
)
from .transparency import TreeHead, TreeNode, WitnessRun

__all__ = [
    "LEGALLY_REQUIRED_CATEGORIES",
    "Action",
    "AppendOnlyModel",
    "Category",
    "ChainHead",
    "DisclosureItem",
    "DisclosureRequest",
    "DisposalDecision",
    "DisposalRun",
    "DisposedRecord",
    "Hold",
    "LegalAlertHandled",
    "PoliceReport",
    "RecordRead",
    "RemovedComment",
    "RemovedCommentAttachment",
    "RemovedCommentContent",
    "RetentionPeriod",
    "TreeHead",
    "TreeNode",
    "WitnessRun",
    "attachment_path",
    "is_legally_required",
]
