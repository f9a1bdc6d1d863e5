from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Branding


class BrandingForm(forms.ModelForm):
    """The graphic profile; the service checks the colours' contrast and the logo."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
        help_text=_(
            "PNG, or SVG without scripts or links to other files; at most 512 kB. Shown on a white background."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    website = forms.URLField(label=_("Municipality's website"), required=False, max_length=300, assume_scheme="https")

    class Meta:
        model = Branding
        fields = ["municipality_name", "website", "primary_color", "primary_dark_color"]
        widgets = {
            "primary_color": forms.TextInput(attrs={"placeholder": "#00546e", "pattern": "#[0-9a-fA-F]{6}"}),
            "primary_dark_color": forms.TextInput(attrs={"placeholder": "#003a4d", "pattern": "#[0-9a-fA-F]{6}"}),
        }

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
