"""The archive's actions in the registry's change history: their labels and how their keys read.

Registered from ``ModerationConfig.ready()`` through ``registry.history.register_actions``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.history import ChangeField, count, period_text

from .models import Category

ACTION_LABELS = {
    "hold.placed": _("Hold placed"),
    "hold.lifted": _("Hold lifted"),
    "disposal.executed": _("Disposal executed"),
    "decision.registered": _("Disposal decision registered"),
    "decision.ended": _("Disposal decision ended"),
    "disclosure.created": _("Request for public records registered"),
    "disclosure.reviewed": _("Confidentiality review recorded"),
    "disclosure.printed": _("Copy made"),
}


def _retention_text(value) -> str:
    """Show a decision's retention, recorded as {category: months}, with the reasons' labels."""
    if not isinstance(value, dict):
        return str(value or "")
    labels = dict(Category.choices)
    return "; ".join(
        f"{labels.get(category, category)}: "
        + ngettext("%(counter)s month", "%(counter)s months", months) % {"counter": months}
        for category, months in value.items()
    )


# How the history shows what these services record (registry.history.describe_changes).
CHANGE_FIELDS = {
    ("decision.registered", "retention"): ChangeField(
        label=_("retention periods"), format=_retention_text, single=True
    ),
    ("hold.placed", "records"): ChangeField(field="moderation.Hold.records", format=count, single=True),
    ("hold.placed", "period"): ChangeField(label=_("period"), format=period_text, single=True),
    ("disposal.executed", "records"): ChangeField(field="moderation.DisposalRun.record_count", single=True),
    ("disposal.executed", "files"): ChangeField(field="moderation.DisposalRun.file_count", single=True),
    ("disclosure.created", "records"): ChangeField(label=_("records"), format=count, single=True),
    ("disclosure.reviewed", "record"): ChangeField(field="moderation.DisclosureItem.record", single=True),
    ("disclosure.reviewed", "decision"): ChangeField(field="moderation.DisclosureItem.decision", single=True),
    ("disclosure.printed", "records"): ChangeField(label=_("records"), format=count, single=True),
}
