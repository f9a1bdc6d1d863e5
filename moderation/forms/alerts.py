"""Forms of the alert of a removal required by law: the police report's reference, marking it handled."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .log import VerbatimCharField, VerbatimTextForm


class PoliceReportForm(VerbatimTextForm):
    reference = VerbatimCharField(
        label=_("Police report reference"),
        max_length=100,
        help_text=_("The reference the police gave the report, e.g. 5000-K123456-26."),
    )
    note = VerbatimCharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who reported it and when. Never the comment's content."),
    )


class LegalAlertHandledForm(forms.Form):
    note = forms.CharField(
        label=_("Why nothing more is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Reported by the platform; the police decided not to investigate.”"),
    )
