"""The register of the municipality's official social-media channels, one module per domain."""

from .channels import Channel, ChannelChange, Platform, Unit
from .documentation import Documentation, DocumentationFile, _documentation_path
from .history import HistoryEntry
from .mandates import GuidelineVersion, Mandate
from .politician_links import PoliticianLink
from .reminders import ReminderSent
from .reviews import ChannelReview

__all__ = [
    "Channel",
    "ChannelChange",
    "ChannelReview",
    "Documentation",
    "DocumentationFile",
    "GuidelineVersion",
    "HistoryEntry",
    "Mandate",
    "Platform",
    "PoliticianLink",
    "ReminderSent",
    "Unit",
    "_documentation_path",  # named by migration 0005 (upload_to=registry.models._documentation_path)
]
