"""Inquiries (section 5): a question meant for the municipality, received on a private account or a channel.

Each is an incoming public record: numbered per year without gaps (``INK 2026/0001``),
never changed (corrections and the registrar's notes are addenda), and kept with text
snapshots of the unit, channel and platform as they were.

What may be disposed of under a disposal decision (4:7) lives apart from the tombstone that
is kept: ``InquiryContent`` (the question, the asker, where, the screenshot) and
``InquiryAddendumContent`` (an addendum's text). ``moderation.services.disposal`` deletes them
after writing a ``DisposedInquiry``; the database triggers refuse it otherwise.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from norsjo.append_only import AppendOnlyModel, AppendOnlyQuerySet

APPEND_ONLY = "Inquiries are append-only public records: corrections are addenda."
NEVER_DELETED = "Inquiries are public records: they are disposed of only under a disposal decision."
DISPOSAL_ONLY = "An inquiry's content is deleted only by moderation.services.disposal.disposal_apply."

SCREENSHOT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


class RecordQuerySet(AppendOnlyQuerySet):
    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED


class DisposableQuerySet(RecordQuerySet):
    delete_message = DISPOSAL_ONLY


class InquiryQuerySet(RecordQuerySet):
    def search(self, text: str):
        """Return the inquiries whose number, question, asker, place, unit or channel holds *text*."""
        text = text.strip()
        if not text:
            return self
        query = (
            Q(content__question__icontains=text)
            | Q(content__asked_by__icontains=text)
            | Q(content__place__icontains=text)
            | Q(unit_name__icontains=text)
            | Q(channel_name__icontains=text)
        )
        year, _slash, serial = text.upper().removeprefix("INK").strip().partition("/")
        if year.isdigit() and serial.isdigit():
            query |= Q(year=int(year), serial=int(serial))
        return self.filter(query)


class Source(models.TextChoices):
    PRIVATE = "private", _("a private account")
    CHANNEL = "channel", _("one of the municipality's channels")


def screenshot_path(instance, filename):
    # Never the uploaded name (kept in screenshot_name): the file gets a neutral one.
    return (
        f"inquiries/{instance.screenshot_sha256[:2]}/{instance.screenshot_sha256}{EXTENSIONS[instance.screenshot_type]}"
    )


class InquirySequence(models.Model):
    """The last number given in a year: locked while an inquiry is numbered, so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_serial = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("inquiry number series")
        verbose_name_plural = _("inquiry number series")

    def __str__(self):
        return f"INK {self.year}: {self.last_serial}"


class Inquiry(AppendOnlyModel):
    """An inquiry received by an employee and registered as an incoming public record."""

    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED

    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("number in the year"))
    source = models.CharField(_("received on"), max_length=10, choices=Source.choices)
    channel = models.ForeignKey(
        "registry.Channel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("channel"),
    )
    platform = models.ForeignKey(
        "registry.Platform",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("platform"),
    )
    received_at = models.DateTimeField(_("received at"))
    unit = models.ForeignKey("registry.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    # Snapshots: the record reads as it was registered, whatever the register later changes.
    unit_name = models.CharField(_("unit"), max_length=200)
    channel_name = models.CharField(_("channel"), max_length=300, blank=True)
    platform_name = models.CharField(_("platform"), max_length=60, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_by_name = models.CharField(_("registered by"), max_length=300)
    registered_at = models.DateTimeField(_("registered at"))
    sent_to = models.EmailField(_("sent to"), help_text=_("The registrar's address the inquiry was e-mailed to."))

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="inquiry_number_unique"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="inquiry_serial_positive"),
            models.CheckConstraint(
                condition=(Q(source="channel") & Q(channel__isnull=False))
                | (Q(source="private") & Q(channel__isnull=True) & Q(platform__isnull=False)),
                name="inquiry_where_complete",
            ),
        ]
        indexes = [models.Index(fields=["registered_by", "-registered_at"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("inquiries:inquiry_detail", kwargs={"pk": self.pk})

    @property
    def number(self) -> str:
        """The reference number (diarienummer) as people read it: ``INK 2026/0001``."""
        return format_number(self.year, self.serial)

    @property
    def where(self) -> str:
        if self.source == Source.CHANNEL:
            return f"{self.channel_name} ({self.platform_name})"
        return ", ".join(part for part in (self.platform_name, self.place) if part)

    # The disposable part (InquiryContent) and the disposal, read through the tombstone;
    # select_related("content", "disposal") in lists.
    @cached_property
    def content_or_none(self) -> "InquiryContent | None":
        """Return the question, asker and screenshot; None once the inquiry has been disposed of."""
        try:
            return self.content
        except InquiryContent.DoesNotExist:
            return None

    @cached_property
    def disposal_or_none(self) -> "DisposedInquiry | None":
        try:
            return self.disposal
        except DisposedInquiry.DoesNotExist:
            return None

    @property
    def question(self) -> str:
        return self.content_or_none.question if self.content_or_none else ""

    @property
    def asked_by(self) -> str:
        return self.content_or_none.asked_by if self.content_or_none else ""

    @property
    def place(self) -> str:
        return self.content_or_none.place if self.content_or_none else ""

    @property
    def screenshot(self):
        return self.content_or_none.screenshot if self.content_or_none else None

    @property
    def screenshot_name(self) -> str:
        return self.content_or_none.screenshot_name if self.content_or_none else ""

    @property
    def screenshot_type(self) -> str:
        return self.content_or_none.screenshot_type if self.content_or_none else ""

    @property
    def screenshot_size(self) -> int | None:
        return self.content_or_none.screenshot_size if self.content_or_none else None

    @property
    def screenshot_sha256(self) -> str:
        return self.content_or_none.screenshot_sha256 if self.content_or_none else ""

    @property
    def screenshot_is_image(self) -> bool:
        return self.screenshot_type.startswith("image/")


def format_number(year: int, serial: int) -> str:
    return f"INK {year}/{serial:04d}"


class InquiryAddendum(AppendOnlyModel):
    """A correction or a note added to an inquiry (by the employee or the registrar); the inquiry stays as it was."""

    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("inquiry"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_by_name = models.CharField(_("added by"), max_length=300)
    added_at = models.DateTimeField(_("added at"))

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["inquiry", "added_at", "id"]

    def __str__(self):
        return f"{self.inquiry.number}: {self.added_by_name} {self.added_at:%Y-%m-%d}"

    @property
    def text(self) -> str:
        """The correction or note; empty once the inquiry has been disposed of."""
        try:
            return self.content.text
        except InquiryAddendumContent.DoesNotExist:
            return ""


class InquiryContent(AppendOnlyModel):
    """What was asked, by whom, where, and the screenshot: the part of an inquiry disposal destroys (4:7)."""

    append_only_message = APPEND_ONLY
    delete_message = DISPOSAL_ONLY

    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.PROTECT, primary_key=True, related_name="content", verbose_name=_("inquiry")
    )
    question = models.TextField(_("what was asked"), help_text=_("The question exactly as it was written."))
    asked_by = models.CharField(
        _("asked by"), max_length=500, help_text=_("The name or account as the person gave it.")
    )
    place = models.CharField(
        _("where"), max_length=500, blank=True, help_text=_("E.g. a private Facebook page, with its address.")
    )
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_path, max_length=300, blank=True)
    screenshot_name = models.CharField(_("original file name"), max_length=255, blank=True)
    screenshot_type = models.CharField(_("content type"), max_length=50, blank=True)
    screenshot_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    screenshot_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)

    objects = DisposableQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry's content")
        verbose_name_plural = _("inquiries' content")
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="inquiry_question_required"),
            models.CheckConstraint(condition=~Q(asked_by=""), name="inquiry_asked_by_required"),
            models.CheckConstraint(
                condition=Q(screenshot="", screenshot_type="")
                | (~Q(screenshot="") & Q(screenshot_type__in=SCREENSHOT_TYPES)),
                name="inquiry_screenshot_typed",
            ),
        ]

    def __str__(self):
        return f"content of inquiry {self.inquiry_id}"


class InquiryAddendumContent(AppendOnlyModel):
    """An addendum's text: it may name people too, so it is disposed of with its inquiry."""

    append_only_message = APPEND_ONLY
    delete_message = DISPOSAL_ONLY

    addendum = models.OneToOneField(
        InquiryAddendum, on_delete=models.PROTECT, primary_key=True, related_name="content", verbose_name=_("addendum")
    )
    text = models.TextField(_("correction or note"))

    objects = DisposableQuerySet.as_manager()

    class Meta:
        verbose_name = _("addendum's text")
        verbose_name_plural = _("addenda's text")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="inquiryaddendum_text_required")]

    def __str__(self):
        return f"text of addendum {self.addendum_id}"


class DisposedInquiry(AppendOnlyModel):
    """The disposal (gallring, 4:7) of one inquiry's content, screenshot and addenda's text.

    Written first, in the same transaction as the deletes: the database triggers refuse
    deleting an inquiry's content without this row. The inquiry (number, unit, dates, the
    registrar's address, who registered it) and its addenda's authors and times stay.
    """

    append_only_message = APPEND_ONLY
    delete_message = NEVER_DELETED

    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.PROTECT, primary_key=True, related_name="disposal", verbose_name=_("inquiry")
    )
    disposed_at = models.DateTimeField(_("disposed at"))
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("disposed by")
    )
    decision_reference = models.CharField(
        _("disposal decision"), max_length=100, help_text=_("The reference number (diarienummer) of the decision.")
    )
    decision = models.ForeignKey(
        "moderation.DisposalDecision",
        on_delete=models.PROTECT,
        related_name="disposed_inquiries",
        verbose_name=_("decision"),
    )
    run = models.ForeignKey(
        "moderation.DisposalRun",
        on_delete=models.PROTECT,
        related_name="disposed_inquiries",
        verbose_name=_("disposal run"),
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposed inquiry")
        verbose_name_plural = _("disposed inquiries")
        constraints = [
            models.CheckConstraint(condition=~Q(decision_reference=""), name="disposedinquiry_has_reference")
        ]

    def __str__(self):
        return f"{self.inquiry_id} ({self.decision_reference})"
