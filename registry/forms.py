from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.people import display_name
from norsjo.forms import ModelChoiceField, ModelMultipleChoiceField

from . import permissions, selectors
from .models import Channel, Documentation, ImpostorReport, Mandate, Platform, PoliticianLink, Unit
from .models.account_security import NO_PASSWORD
from .models.impostor_reports import REPORT_CONTACT_MAX, REPORT_NOTE_MAX, REPORT_URL_MAX
from .platforms import MAX_URL_LENGTH, check_platform, recognise
from .services.errors import ERRORS
from .services.mandates import ERROR_FIELDS as MANDATE_ERROR_FIELDS
from .uploads import check_upload


class ChannelForm(forms.Form):
    """Propose or register a channel; the platform and handle are read from the address."""

    url = forms.CharField(
        label=_("Address"),
        max_length=MAX_URL_LENGTH,
        help_text=_("Paste the channel's address; the platform and handle are filled in from it."),
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    platform = ModelChoiceField(
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
    unit = ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="slug", empty_label=_("Choose a unit")
    )
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
        if recognition and data.get("platform"):
            try:
                check_platform(recognition, data["platform"].slug)
            except ValidationError as error:
                self.add_error("platform", error)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("url", "platform", "name", "handle", "unit", "purpose", "audience", "contact_email")
        }


class ChannelFilterForm(forms.Form):
    """The register list's filters; the platform and the unit by slug (cleaned to a slug, or "")."""

    # A model choice field's own message: an unknown slug reads as it did when these were model choices.
    UNKNOWN = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    platform = forms.ChoiceField(label=_("Platform"), required=False, error_messages=UNKNOWN)
    unit = forms.ChoiceField(label=_("Unit"), required=False, error_messages=UNKNOWN)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All but rejected"))] + list(Channel.Status.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both lists of choices from one query (the form validates against them, with no query of its own).
        platforms, units = selectors.channel_filter_choices()
        self.fields["platform"].choices = [("", _("All")), *platforms]
        self.fields["unit"].choices = [("", _("All")), *units]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("decision", "Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("decision", "Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EmployeeChoiceField(ModelChoiceField):
    def label_from_instance(self, user):
        return display_name(user)


class ChannelChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, channel):
        return f"{channel.name} ({channel.platform}) – {channel.unit}"


class MandateGrantForm(forms.Form):
    """Grant a mandate to an employee on one or more channels of the manager's units (4:2)."""

    employee = EmployeeChoiceField(label=_("Employee"), queryset=None, empty_label=_("Choose an employee"))
    channels = ChannelChoiceField(
        label=_("Channels"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The active and paused channels of the units you manage. One mandate is granted per channel."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Mandate.Role.choices, initial=Mandate.Role.WRITER)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
    )
    scope = forms.CharField(
        label=_("Reason and scope"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the employee is to do on the channel, and why."),
    )

    def __init__(self, *args, actor, employees, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["employee"].queryset = employees
        self.fields["channels"].queryset = channels
        if not permissions.is_manager(actor):
            self.fields["employee"].empty_label = _("Choose a manager of the unit")
            self.fields["channels"].help_text = _(
                "The web team grants a unit's manager a mandate on the unit's channels; "
                "the unit's staff get theirs from their manager."
            )
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + timedelta(days=settings.MANDATE_DEFAULT_DAYS - 1)
        self.fields["valid_until"].help_text = _("Every mandate ends; it can be renewed. At most %(days)s days.") % {
            "days": settings.MANDATE_MAX_DAYS
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", ValidationError(_("The end date cannot be before the start date."), code="period_order")
            )
        employee = data.get("employee")
        channels = (data.get("channels") or ()) if employee else ()
        for channel in channels:
            # The service asks the same question; asking here keeps the person's input on the form.
            refusal = permissions.mandate_grant_refusal(self.actor, channel, employee)
            if refusal is not None:
                field = MANDATE_ERROR_FIELDS.get(refusal, "channels")
                self.add_error(field, ValidationError(ERRORS[refusal], code=refusal))
                break
        return data


class MandateRenewForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the default validity."),
    )


class AcknowledgeForm(forms.Form):
    # 4:2 — it must be clear that the person acts as an employee and not as a private person.
    confirm = forms.BooleanField(
        label=_("I have read the guidelines, and on this channel I act as an employee, not as a private person."),
        required=True,
        error_messages={"required": _("Confirm that you act as an employee and not as a private person.")},
    )


class UnitFilterForm(forms.Form):
    unit = ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, to_field_name="slug", empty_label=_("All")
    )


# -- The web team's duties: politicians' links, documentation, the yearly review -------------


class PoliticianLinkForm(forms.Form):
    """Register or change a politician's link and the decision behind it (4:5)."""

    politician = forms.CharField(label=_("Politician"), max_length=200, help_text=_("The politician's name."))
    party = forms.CharField(label=_("Party"), max_length=100, required=False)
    url = forms.CharField(
        label=_("Address"),
        max_length=MAX_URL_LENGTH,
        help_text=_("The blog's or party website's address."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PoliticianLink.Kind.choices)
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("The person responsible for the municipality's website who decided, name and title."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference number"), max_length=60, required=False)

    def clean_url(self):
        url = self.cleaned_data["url"]
        recognise(url)  # raises a ValidationError with a clear message
        return url


class PoliticianLinkCreateForm(PoliticianLinkForm):
    publish = forms.BooleanField(
        label=_("Publish on the public list now"),
        required=False,
        help_text=_("Shown with the notice that the views are the politician's own, not the municipality's."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); *check* validates each by content."""

    def __init__(self, *args, accept: str = "", check=None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        self.check = check
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            single(None, initial)  # "required" when the field is
            return []
        cleaned = [single(item, initial) for item in files]
        errors = []
        for uploaded in cleaned if self.check else ():
            try:
                self.check(uploaded)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned


class DocumentationForm(forms.Form):
    """Save screenshots of a channel (4:8)."""

    files = MultipleFileField(
        label=_("Screenshots"),
        help_text=_("One or more PNG, JPEG or PDF files, at most %(max)s each."),
        accept=".png,.jpg,.jpeg,.pdf",
        check=check_upload,
    )
    documented_on = forms.DateField(label=_("Date of the screenshots"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=pgettext_lazy("documentation", "Reason"), choices=Documentation.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["files"]
        field.help_text = field.help_text % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)}


class ChannelReviewForm(forms.Form):
    """The unit's yearly review of a channel."""

    still_needed = forms.TypedChoiceField(
        label=_("Is the channel still needed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    purpose_ok = forms.TypedChoiceField(
        label=_("Are the purpose and audience still right?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    writers_ok = forms.TypedChoiceField(
        label=_("Are the appointed writers still the right ones?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when an answer is no: what is not right and what will be done."),
    )

    # The platform account's security (asked every year); never a password.
    administrators = ModelMultipleChoiceField(
        label=_("Who holds administrator rights on the platform itself?"),
        queryset=Mandate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only people with an active mandate as account administrator on this channel can be chosen; there "
            "should be at least two. Anyone else with administrator rights on the platform should lose them."
        ),
    )
    two_factor = forms.TypedChoiceField(
        label=_("Is two-factor authentication on for the account?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=NO_PASSWORD,
    )
    recovery_address = forms.EmailField(
        label=_("The account's recovery address"),
        max_length=254,
        help_text=_("A functional mailbox of the unit (e.g. kultur@...), never a person's own address."),
    )

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Mandate.objects.active()
            .filter(channel=channel, role=Mandate.Role.ACCOUNT_ADMIN)
            .values_list("employee_id", flat=True)
        )
        field = self.fields["administrators"]
        field.queryset = get_user_model().objects.filter(pk__in=people).order_by("last_name", "first_name", "username")
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean(self):
        data = super().clean()
        answers = [data.get(name) for name in ("still_needed", "purpose_ok", "writers_ok")]
        if False in answers and not data.get("note", "").strip():
            self.add_error("note", _("Write a note on what is not right and what will be done."))
        return data


class ImpostorReportForm(forms.Form):
    """The public's report of an account that pretends to be the municipality's (no sign-in)."""

    url = forms.CharField(
        label=_("Address of the account"),
        max_length=REPORT_URL_MAX,
        error_messages={"required": ERRORS["report_url_required"]},
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label=_("What did you see? (optional)"),
        max_length=REPORT_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example what the account posted or asked for. At most 2,000 characters."),
    )
    contact = forms.CharField(
        label=_("Your e-mail or telephone number (optional)"),
        max_length=REPORT_CONTACT_MAX,
        required=False,
        help_text=_("Only if you want us to be able to ask you something. We do not publish it."),
    )
    # A honeypot: hidden from people (and from assistive technology); a robot fills it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class ImpostorReportSettleForm(forms.Form):
    """The web team settles an impostor report."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ImpostorReport.Outcome.REPORTED, ImpostorReport.Outcome.REPORTED.label),
            (ImpostorReport.Outcome.NOT_IMPOSTOR, ImpostorReport.Outcome.NOT_IMPOSTOR.label),
            (ImpostorReport.Outcome.DUPLICATE, ImpostorReport.Outcome.DUPLICATE.label),
        ],
        widget=forms.RadioSelect,
    )
    duplicate_of = ModelChoiceField(
        label=_("Duplicate of"),
        queryset=ImpostorReport.objects.none(),
        required=False,
        help_text=_("Only for a duplicate: the earlier report of the same address."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the platform's case number, or why the account is not an impostor."),
    )

    def __init__(self, *args, duplicates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate_of"]
        field.queryset = duplicates
        field.label_from_instance = lambda report: (
            _("Report of %(date)s (%(outcome)s)")
            % {
                "date": timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M"),
                "outcome": report.get_outcome_display(),
            }
        )
