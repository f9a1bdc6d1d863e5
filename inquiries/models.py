"""Inquiries (section 5): a question meant for the municipality, received on a private account or a channel.

Each is an incoming public record: numbered per year without gaps (``INK 2026/0001``),
never changed (corrections and the registrar's notes are addenda), and kept with text
snapshots of the unit, channel and platform as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from norsjo.append_only import AppendOnlyModel, AppendOnlyQuerySet

APPEND_ONLY = "Inquiries are append-only public records: corrections are addenda."
NEVER_DELETED = "Inquiries are public records: they are disposed of only under a disposal decision."

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


class InquiryQuerySet(RecordQuerySet):
    def search(self, text: str):
        """Return the inquiries whose number, question, asker, place, unit or channel holds *text*."""
        text = text.strip()
        if not text:
            return self
        query = (
            Q(question__icontains=text)
            | Q(asked_by__icontains=text)
            | Q(place__icontains=text)
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
    question = models.TextField(_("what was asked"), help_text=_("The question exactly as it was written."))
    asked_by = models.CharField(
        _("asked by"), max_length=500, help_text=_("The name or account as the person gave it.")
    )
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
    place = models.CharField(
        _("where"), max_length=500, blank=True, help_text=_("E.g. a private Facebook page, with its address.")
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
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_path, max_length=300, blank=True)
    screenshot_name = models.CharField(_("original file name"), max_length=255, blank=True)
    screenshot_type = models.CharField(_("content type"), max_length=50, blank=True)
    screenshot_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    screenshot_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="inquiry_number_unique"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="inquiry_serial_positive"),
            models.CheckConstraint(condition=~Q(question=""), name="inquiry_question_required"),
            models.CheckConstraint(condition=~Q(asked_by=""), name="inquiry_asked_by_required"),
            models.CheckConstraint(
                condition=(Q(source="channel") & Q(channel__isnull=False))
                | (Q(source="private") & Q(channel__isnull=True) & Q(platform__isnull=False)),
                name="inquiry_where_complete",
            ),
            models.CheckConstraint(
                condition=Q(screenshot="", screenshot_type="")
                | (~Q(screenshot="") & Q(screenshot_type__in=SCREENSHOT_TYPES)),
                name="inquiry_screenshot_typed",
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
    text = models.TextField(_("correction or note"))
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
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="inquiryaddendum_text_required")]

    def __str__(self):
        return f"{self.inquiry.number}: {self.text[:60]}"
