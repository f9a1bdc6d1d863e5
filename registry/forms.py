from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Channel, Platform, Unit
from .platforms import MAX_URL_LENGTH, recognise


class ChannelForm(forms.Form):
    """Propose or register a channel; the platform and handle are read from the address."""

    url = forms.CharField(
        label=_("Address"),
        max_length=MAX_URL_LENGTH,
        help_text=_("Paste the channel's address; the platform and handle are filled in from it."),
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.all(),
        required=False,
        empty_label=_("Recognise from the address"),
        to_field_name="slug",
    )
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("The account's name as shown on the platform."))
    handle = forms.CharField(
        label=_("Handle"), max_length=200, required=False, help_text=_("Filled in from the address when empty.")
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), to_field_name="slug")
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the channel exists: what it gives the residents (guidelines section 2)."),
    )
    audience = forms.CharField(
        label=_("Audience"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Whom the channel is for."),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1 and not self.is_bound:
            self.fields["unit"].initial = units.first().slug

    def clean_url(self):
        url = self.cleaned_data["url"]
        self.recognition = recognise(url)  # raises a ValidationError with a clear message
        return url

    def clean(self):
        data = super().clean()
        recognition = getattr(self, "recognition", None)
        if recognition and not data.get("platform"):
            data["platform"] = Platform.objects.filter(slug=recognition.platform).first()
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("url", "platform", "name", "handle", "unit", "purpose", "audience", "contact_email")
        }


class ChannelFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, to_field_name="slug", empty_label=_("All")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, to_field_name="slug", empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All but rejected"))] + list(Channel.Status.choices)
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it concerns when known."""
    field = {"duplicate": "url", "invalid_url": "url", "too_long": "url"}.get(error.code)
    form.add_error(field if field in form.fields else None, error)
