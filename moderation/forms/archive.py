"""Forms of the archivist's screens: exports, disposal decisions, holds, requests for public records."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inquiries.models import Inquiry
from norsjo.forms import ModelChoiceField
from registry.models import Channel

from ..models import Category, DisclosureItem, Hold, RemovedComment
from ..models.archive import INQUIRY_RETENTION, INQUIRY_RETENTION_LABEL
from .log import VerbatimCharField, VerbatimTextForm

FORMATS = [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("jsonl", "JSON Lines")]
DELIMITERS = [("semicolon", _("semicolon (Swedish Excel)")), ("comma", _("comma"))]
MAX_RECORD_NUMBERS = 5000


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="csv")
    delimiter = forms.ChoiceField(label=_("CSV separator"), choices=DELIMITERS, initial="semicolon", required=False)
    token = forms.RegexField(regex=r"^[a-z0-9]{1,32}$", required=False, widget=forms.HiddenInput)


def parse_record_numbers(text: str) -> list[int]:
    """Return the record numbers in *text*: "12, 15 230-240" -> [12, 15, 230, ..., 240]."""
    numbers: list[int] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"#?(\d{1,12})(?:-#?(\d{1,12}))?", part)
        if match is None:
            raise forms.ValidationError(
                _("“%(part)s” is not a record number."), code="bad_number", params={"part": part}
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or last - first >= MAX_RECORD_NUMBERS:
            raise forms.ValidationError(_("“%(part)s” is not a usable range."), code="bad_range", params={"part": part})
        numbers.extend(range(first, last + 1))
        if len(numbers) > MAX_RECORD_NUMBERS:
            raise forms.ValidationError(
                _("Choose at most %(limit)s records at a time."), code="too_many", params={"limit": MAX_RECORD_NUMBERS}
            )
    return sorted(set(numbers))


def chosen_records(request) -> str:
    """Return the record numbers chosen with the log's check boxes (``?records=12&records=15``) as typed text.

    The form then treats them as if typed ("12, 15"): one path for both, and the archivist
    sees and may change the numbers before saving.
    """
    values = [value for value in request.GET.getlist("records") if value.strip()]
    return ", ".join(values)[:2000]


class RecordNumbersField(forms.CharField):
    """Record numbers (the "No." of the moderation log), as a list of records that exist."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        numbers = parse_record_numbers(value)
        records = list(RemovedComment.objects.filter(sequence__in=numbers).order_by("sequence"))
        missing = sorted(set(numbers) - {r.sequence for r in records})
        if missing:
            raise forms.ValidationError(
                _("There are no records with the numbers %(numbers)s."),
                code="unknown_records",
                params={"numbers": ", ".join(str(n) for n in missing[:20])},
            )
        return records


def parse_inquiry_numbers(text: str) -> list[tuple[int, int]]:
    """Return the (year, serial) of the inquiry numbers in *text*: "INK 2026/0001, 2026/12"."""
    numbers = []
    for part in re.split(r"[,;\n]+", text.strip()):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(?:INK\s*)?(\d{4})\s*/\s*(\d{1,9})", part, flags=re.IGNORECASE)
        if match is None:
            raise forms.ValidationError(
                _("“%(part)s” is not an inquiry number (like INK 2026/0001)."),
                code="bad_inquiry_number",
                params={"part": part[:40]},
            )
        numbers.append((int(match.group(1)), int(match.group(2))))
        if len(numbers) > MAX_RECORD_NUMBERS:
            raise forms.ValidationError(
                _("Choose at most %(limit)s records at a time."), code="too_many", params={"limit": MAX_RECORD_NUMBERS}
            )
    return sorted(set(numbers))


class InquiryNumbersField(forms.CharField):
    """Inquiry numbers (``INK 2026/0001``), as a list of inquiries that exist."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        numbers = parse_inquiry_numbers(value)
        found = {}
        for year in sorted({year for year, _serial in numbers}):
            serials = [serial for y, serial in numbers if y == year]
            for inquiry in Inquiry.objects.filter(year=year, serial__in=serials):
                found[(inquiry.year, inquiry.serial)] = inquiry
        missing = [f"INK {year}/{serial:04d}" for year, serial in numbers if (year, serial) not in found]
        if missing:
            raise forms.ValidationError(
                _("There are no inquiries with the numbers %(numbers)s."),
                code="unknown_inquiries",
                params={"numbers": ", ".join(missing[:20])},
            )
        return [found[number] for number in numbers]


class DecisionForm(forms.Form):
    reference = forms.CharField(label=_("Reference number (diarienummer)"), max_length=100)
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=200)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    in_force_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    in_force_until = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the decision is in force until further notice."),
    )
    scope = forms.CharField(label=_("What it covers"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Category.choices:
            self.fields[f"months_{code}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=1200,
                help_text=_("Months; empty if the decision does not cover this reason."),
            )
        self.fields[f"months_{INQUIRY_RETENTION}"] = forms.IntegerField(
            label=INQUIRY_RETENTION_LABEL,
            required=False,
            min_value=0,
            max_value=1200,
            help_text=_(
                "Months, counted from the day the inquiry was registered; empty if the decision does not cover them."
            ),
        )

    def retention_fields(self):
        """The removal reasons' retention fields (the inquiries' has a fieldset of its own)."""
        return [self[f"months_{code}"] for code in Category.values]

    @staticmethod
    def retention_codes() -> list[str]:
        return [*Category.values, INQUIRY_RETENTION]

    def clean(self):
        data = super().clean()
        start, end = data.get("in_force_from"), data.get("in_force_until")
        if start and end and end < start:
            self.add_error("in_force_until", forms.ValidationError(_("The end comes before the start."), code="order"))
        if not any(data.get(f"months_{code}") is not None for code in self.retention_codes()):
            raise forms.ValidationError(_("Give a retention period for at least one reason."), code="no_retention")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "deciding_body": data["deciding_body"],
            "decided_on": data["decided_on"],
            "in_force_from": data["in_force_from"],
            "in_force_until": data["in_force_until"],
            "scope": data["scope"],
            "retention": {code: data.get(f"months_{code}") for code in self.retention_codes()},
        }


class DecisionEndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day in force"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Records can be disposed of under this decision up to and including this day."),
    )


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is held"), choices=Hold.Kind.choices, widget=forms.RadioSelect)
    records = RecordNumbersField(
        label=_("Record numbers"),
        required=False,
        help_text=_("For chosen records: their numbers in the log, e.g. “12, 15, 230-240”."),
    )
    inquiries = InquiryNumbersField(
        label=_("Inquiry numbers"),
        required=False,
        max_length=4000,
        help_text=_("For chosen inquiries: their numbers, e.g. “INK 2026/0001, INK 2026/0002”."),
    )
    channel = ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.select_related("platform").order_by("name", "platform__name"),
        required=False,
        empty_label=_("Choose a channel"),
    )
    period_from = forms.DateField(
        label=_("Removed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_until = forms.DateField(
        label=_("Removed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=pgettext_lazy("hold", "Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. a pending request for public records, a police report, a complaint."),
    )
    reference = forms.CharField(label=_("Reference number"), max_length=100, required=False)


class HoldLiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the hold is lifted"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisclosureForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    requester = forms.CharField(
        label=_("Requester"),
        max_length=200,
        required=False,
        help_text=_("Optional: anyone may ask for public records without saying who they are."),
    )
    description = forms.CharField(
        label=_("What was asked for"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    records = RecordNumbersField(
        label=_("Record numbers"), help_text=_("Their numbers in the moderation log, e.g. “12, 15, 230-240”.")
    )


class ReviewForm(VerbatimTextForm):
    decision = forms.ChoiceField(
        label=_("Review decision"), choices=DisclosureItem.Decision.choices, widget=forms.RadioSelect
    )
    # The comment as released: kept verbatim like the comment itself.
    redacted_text = VerbatimCharField(
        label=_("Text as released"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For release in part: the comment with the secret parts replaced by [–]."),
    )
    redaction_note = forms.CharField(
        label=_("Grounds and redactions"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was masked or withheld, and the provision of the Public Access and Secrecy Act applied."),
    )


class ReadLogForm(forms.Form):
    """The read log's search: a record number and/or a person."""

    record = forms.IntegerField(label=_("Record number"), required=False, min_value=1, max_value=10**12)
    person = forms.CharField(label=_("Person (name or user name)"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def search(self) -> dict:
        """Return the selector's keyword arguments; nothing when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {"record_number": self.cleaned_data["record"], "person": self.cleaned_data["person"].strip()}
