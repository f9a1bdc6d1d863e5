"""Forms of the moderation log: logging a removal, an addendum, the list's filters; texts kept verbatim."""

from django import forms
from django.core import signing
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.people import display_name
from norsjo.forms import ModelChoiceField
from norsjo.prepared import PreparedQuery
from registry.forms import MultipleFileField
from registry.models import Channel, Unit

from ..identity_numbers import contains_identity_number
from ..models import LEGALLY_REQUIRED_CATEGORIES, Action, Category
from ..selectors.log import Filters, filter_choice_rows, labelled_filter_choices, people_who_logged
from ..services.log import MAX_ATTACHMENTS, refuse_nul

DATETIME_WIDGET_FORMAT = "%Y-%m-%dT%H:%M"


SCREENSHOT_TYPES = "image/png,image/jpeg,image/gif,image/webp,application/pdf"  # checked by content in the service

# --- texts kept verbatim: NUL characters (docs/moderation.md, "NUL characters") -------------------

NUL_MARKER = "\u2400"  # ␀ SYMBOL FOR NULL: how a re-shown form shows each U+0000
REPLACEMENT = "\ufffd"  # what a browser makes of a U+0000 in HTML
NUL_GUARD_SALT = "moderation.forms.nul-guard"
NUL_ERRORS = {
    "nul_marker": _(
        "The text still holds ␀ (or �) where the pasted text had a NUL character. Remove each of them or "
        "replace it with what it stood for, and note in the explanation where it was."
    ),
}


class VerbatimFieldMixin:
    """A text field kept exactly as given: U+0000 refused by ``services.log.refuse_nul`` and re-shown as ␀.

    Django's own check (``ProhibitNullCharactersValidator``) gives a generic message, and a form
    re-shown with the character in it reaches the browser as U+FFFD, which a resubmission
    would store without a word.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        if isinstance(value, str):
            refuse_nul(value)  # first: the only error of such a value
        return super().clean(value)

    def prepare_value(self, value):
        value = super().prepare_value(value)
        return value.replace("\x00", NUL_MARKER) if isinstance(value, str) else value


class VerbatimCharField(VerbatimFieldMixin, forms.CharField):
    pass


class VerbatimURLField(VerbatimFieldMixin, forms.URLField):
    pass


class VerbatimTextForm(forms.Form):
    """A form whose verbatim fields refuse a resubmission that still holds the ␀ shown for a NUL.

    When a field arrives with U+0000, the form remembers (in the signed hidden field
    ``nul_guard``) how many ␀ and � the pasted text itself held. Until the person has removed
    or replaced every ␀ the form added (and any � a browser made of a NUL), a submission is
    refused with ``nul_marker``: no record ever holds a placeholder nobody chose.
    """

    # A plain Field: no validator of its own can put an invisible error on a hidden input.
    nul_guard = forms.Field(required=False, widget=forms.HiddenInput)

    def _verbatim_fields(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, VerbatimFieldMixin)]

    def _guard(self) -> dict[str, list[int]]:
        token = self.data.get(self.add_prefix("nul_guard")) or ""
        try:
            guard = signing.loads(token, salt=NUL_GUARD_SALT) if token else {}
        except (signing.BadSignature, ValueError, TypeError):
            return {}
        fields = set(self._verbatim_fields())
        if not isinstance(guard, dict):
            return {}
        return {
            name: counts
            for name, counts in guard.items()
            if name in fields and isinstance(counts, list) and len(counts) == 2 and all(type(n) is int for n in counts)
        }

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("nul_guard", None)
        guard = self._guard()
        pasted = {}
        for name in self._verbatim_fields():
            raw = self.data.get(self.add_prefix(name))
            if isinstance(raw, str) and "\x00" in raw:
                # Refused by the field; what the pasted text itself held is allowed back.
                pasted[name] = [raw.count(NUL_MARKER), raw.count(REPLACEMENT)]
            elif name in guard and isinstance(cleaned.get(name), str):
                markers, replacements = guard[name]
                value = cleaned[name]
                if value.count(NUL_MARKER) > markers or value.count(REPLACEMENT) > replacements:
                    self.add_error(name, forms.ValidationError(NUL_ERRORS["nul_marker"], code="nul_marker"))
        if pasted:
            # The re-shown form carries the guard; bound data is the only thing a form re-shows.
            data = self.data.copy()
            data[self.add_prefix("nul_guard")] = signing.dumps(guard | pasted, salt=NUL_GUARD_SALT)
            self.data = data
        return cleaned


def category_choices():
    """Each reason with whether removal is required by law or by the guidelines only."""
    law = _("required by law")
    guidelines = _("guidelines only")
    return [
        (value, f"{label} ({law if value in LEGALLY_REQUIRED_CATEGORIES else guidelines})")
        for value, label in Category.choices
    ]


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_WIDGET_FORMAT)


class RemovalForm(VerbatimTextForm):
    """Log a removed comment (4:10): built to be completed in under a minute."""

    text = VerbatimCharField(
        label=_("The comment's text"),
        required=False,
        strip=False,  # stored exactly as given
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Paste the text exactly as it was published; it is stored and shown as given."),
    )
    author_name = VerbatimCharField(label=_("Author's display name"), max_length=500, required=False)
    author_handle = VerbatimCharField(label=_("Author's account id or handle"), max_length=500, required=False)
    author_url = VerbatimURLField(
        label=_("Author's profile address"), max_length=2000, required=False, assume_scheme="https"
    )
    comment_url = VerbatimURLField(label=_("Comment address"), max_length=2000, required=False, assume_scheme="https")
    post_url = VerbatimURLField(label=_("Post address"), max_length=2000, required=False, assume_scheme="https")
    comment_published_at = forms.DateTimeField(
        label=_("Published at"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("When the comment was published."),
    )
    removed_at = forms.DateTimeField(label=_("Removed at"), widget=_datetime_widget())
    action = forms.ChoiceField(label=_("How it was removed"), choices=Action.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Reason"), choices=category_choices, widget=forms.RadioSelect)
    explanation = VerbatimCharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “other”."),
    )
    screenshots = MultipleFileField(label=_("Screenshots"), required=False, accept=SCREENSHOT_TYPES)
    # Set when the form was re-shown with the suggestion of reason h: the next submission saves.
    identity_number_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the person's language (a lazy string % args is not lazy).
        self.fields["screenshots"].help_text = _(
            "Optional: up to %(count)s images (PNG, JPEG, GIF, WebP) or PDF documents."
        ) % {"count": MAX_ATTACHMENTS}
        if not self.is_bound:
            self.initial.setdefault("removed_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("action", Action.UNPUBLISHED)

    def clean(self):
        cleaned = super().clean()
        # The suggestion's own button: "use reason h and save" (4:10 h).
        if self.data.get(self.add_prefix("use_suggestion")) == Category.CONFIDENTIAL:
            cleaned["category"] = Category.CONFIDENTIAL
        return cleaned

    def suggests_confidential(self) -> bool:
        """Return whether to re-show the valid form suggesting reason h before saving (4:9, 4:10 h).

        Once only: the text holds a personal identity or coordination number, the reason is not
        h, and the form was not re-shown with the suggestion already. Marks the re-shown form, so
        that the writer's next submission saves whichever reason they keep.
        """
        data = self.cleaned_data
        if data.get("identity_number_seen") or data.get("category") == Category.CONFIDENTIAL:
            return False
        if not contains_identity_number(data.get("text", "")):
            return False
        bound = self.data.copy()
        bound[self.add_prefix("identity_number_seen")] = "True"
        self.data = bound
        return True

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("identity_number_seen", None)
        data["attachments"] = data.pop("screenshots")
        return data


class AddendumForm(VerbatimTextForm):
    explanation = VerbatimCharField(
        label=_("Correction or addition"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is corrected or added, and why. The original record is kept unchanged."),
    )
    category = forms.ChoiceField(
        label=_("Corrected reason"), choices=[("", _("Unchanged"))], required=False, widget=forms.Select
    )
    text = VerbatimCharField(
        label=_("Additional text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. a part of the comment that was missing, pasted exactly."),
    )
    screenshots = MultipleFileField(label=_("Screenshots"), required=False, accept=SCREENSHOT_TYPES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Unchanged")), *category_choices()]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["attachments"] = data.pop("screenshots")
        return data


class PersonChoiceField(ModelChoiceField):
    """Choose a person by name (``accounts.people.display_name``), never by user name."""

    def label_from_instance(self, obj):
        return display_name(obj)


class OfferedChoices(BaseChoiceIterator):
    """A list of (value, label) pairs, read and labelled: Django takes it as it is.

    A plain list given to a choice field is normalised twice, by the field and by its widget,
    pair by pair (``django.utils.choices.normalize_choices``; 500 channels, 1 ms); a choice
    iterator is not.
    """

    def __init__(self, choices: list[tuple[str, str]]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class RecordFilterForm(forms.Form):
    """Search and filters of the list; rendered without crispy-forms to keep the page fast at scale."""

    q = forms.CharField(label=_("Search text and author"), required=False, max_length=200)
    channel = ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.select_related("platform")
        .only("name", "platform__name")
        .order_by("name", "platform__name"),
        required=False,
        empty_label=_("All"),
    )
    unit = ModelChoiceField(label=_("Unit"), queryset=Unit.objects.only("name"), required=False, empty_label=_("All"))
    category = forms.ChoiceField(label=_("Reason"), choices=[("", _("All")), *Category.choices], required=False)
    action = forms.ChoiceField(label=_("How"), choices=[("", _("All")), *Action.choices], required=False)
    removed_from = forms.DateField(
        label=_("Removed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    removed_until = forms.DateField(
        label=_("Removed until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # The people who have logged a removal, by name; the address keeps the user name.
    logged_by = PersonChoiceField(
        label=_("Logged by"),
        queryset=people_who_logged()
        .only("username", "first_name", "last_name")
        .order_by("last_name", "first_name", "username"),
        to_field_name="username",
        required=False,
        empty_label=_("All"),
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def offer_choices(self) -> None:
        """Read the channels, units and people to offer from one query (``selectors.log.filter_choices``).

        For showing the form (moderation/record_list.html); the sets are the fields' own
        querysets, which alone validate a choice. The query has no parameters: compiled once
        per process (``norsjo.prepared``).
        """
        offered = labelled_filter_choices(_OFFERED_CHOICES())
        for name, choices in zip(OFFERED_FIELDS, offered, strict=True):
            self.fields[name].choices = OfferedChoices([("", self.fields[name].empty_label), *choices])

    def filters(self) -> Filters:
        """Return the list's filters (the list and the export read the same ones); none when not valid."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            search=data["q"],
            channel=data["channel"],
            unit_id=data["unit"].pk if data["unit"] else None,
            category=data["category"],
            action=data["action"],
            removed_from=data["removed_from"],
            removed_until=data["removed_until"],
            logged_by=data["logged_by"].get_username() if data["logged_by"] else "",
        )


# The model choice fields whose choices RecordFilterForm.offer_choices reads in one query.
OFFERED_FIELDS = ("channel", "unit", "logged_by")
_OFFERED_CHOICES = PreparedQuery(
    lambda: filter_choice_rows(*(RecordFilterForm.base_fields[name].queryset for name in OFFERED_FIELDS))
)
