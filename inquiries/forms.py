"""Forms of inquiries: registering one (section 5), an addendum, the registrar's search."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from norsjo.forms import ModelChoiceField

from . import selectors
from .models import Source

DATETIME_WIDGET_FORMAT = "%Y-%m-%dT%H:%M"
SCREENSHOT_ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf"  # checked by content in the service


class ChannelChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.platform}, {obj.unit})"


class InquiryForm(forms.Form):
    """Register an inquiry: what was asked, by whom, where and when, a screenshot, the unit."""

    question = forms.CharField(
        label=_("What was asked"),
        strip=False,  # stored exactly as written
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Paste or write the question exactly as it was written."),
    )
    asked_by = forms.CharField(
        label=_("Asked by"),
        max_length=500,
        help_text=_("The name or account as the person gave it."),
    )
    source = forms.ChoiceField(
        label=_("Where did the question come?"), choices=Source.choices, widget=forms.RadioSelect
    )
    platform = ModelChoiceField(
        label=_("Platform"),
        queryset=selectors.platforms_for_form(),
        required=False,
        help_text=_("For a private account: where you received it."),
    )
    place = forms.CharField(
        label=_("Account or address"),
        max_length=500,
        required=False,
        help_text=_("Optional: e.g. your private Facebook page, or the address of the post."),
    )
    channel = ChannelChoiceField(
        label=_("Channel"),
        queryset=selectors.channels_for_form(),
        required=False,
        help_text=_("For one of the municipality's channels: which one."),
    )
    received_at = forms.DateTimeField(
        label=_("When was it asked?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_WIDGET_FORMAT),
    )
    unit = ModelChoiceField(
        label=_("Unit it concerns"), queryset=selectors.units_for_form(), empty_label=_("Choose a unit")
    )
    screenshot = forms.FileField(
        label=_("Screenshot"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCREENSHOT_ACCEPT}),
        help_text=_("A screenshot of the question (PNG, JPEG, GIF, WebP or PDF). Recommended."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("source", Source.PRIVATE)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction or note"),
        strip=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is corrected or added, and why. The inquiry itself is kept unchanged."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
