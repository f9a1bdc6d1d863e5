"""What follows a removal required by law (lag (1998:112) 5 §; reasons b–e): a police report, a hold.

The alert on the start pages is derived from data (``moderation.selectors.alerts``): a record
whose effective classification is required by law stays open until its group has a
``PoliceReport`` and an active hold covers it, or until the web team or an archivist records
that it is handled (``LegalAlertHandled``). Both rows are written once and never changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from norsjo import append_only


class PoliceReport(append_only.AppendOnlyModel):
    """A police report's reference, recorded as an addendum to the record (4:6: the record never changes)."""

    record = models.ForeignKey(
        "moderation.RemovedComment",
        on_delete=models.PROTECT,
        related_name="police_reports",
        verbose_name=_("record"),
        help_text=_("The original record of the group."),
    )
    addendum = models.OneToOneField(
        "moderation.RemovedComment",
        on_delete=models.PROTECT,
        related_name="police_report",
        verbose_name=_("addendum"),
    )
    reference = models.CharField(_("police report reference"), max_length=100)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    reported_at = models.DateTimeField(_("recorded at"))

    objects = append_only.AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("police report")
        verbose_name_plural = _("police reports")
        ordering = ["-reported_at", "-id"]

    def __str__(self):
        return self.reference


class LegalAlertHandled(append_only.AppendOnlyModel):
    """The web team's or an archivist's statement that a removal required by law needs nothing more."""

    record = models.OneToOneField(
        "moderation.RemovedComment",
        on_delete=models.PROTECT,
        related_name="legal_alert_handled",
        verbose_name=_("record"),
    )
    note = models.TextField(_("note"), max_length=2000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    handled_at = models.DateTimeField(_("handled at"))

    objects = append_only.AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("handled alert")
        verbose_name_plural = _("handled alerts")

    def __str__(self):
        return f"#{self.record_id}"
