"""Screenshot documentation of a channel (4:8)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..querysets import DocumentationQuerySet
from .channels import Channel


class Documentation(models.Model):
    """Screenshots of a channel saved once a year or before a big change (4:8)."""

    class Reason(models.TextChoices):
        YEARLY = "yearly", _("yearly documentation")
        BEFORE_CHANGE = "before_change", _("before a change")
        BEFORE_CLOSING = "before_closing", _("before closing")

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="documentation", verbose_name=_("channel")
    )
    documented_on = models.DateField(_("date of the screenshots"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.YEARLY)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects = DocumentationQuerySet.as_manager()

    class Meta:
        verbose_name = _("documentation")
        verbose_name_plural = _("documentation")
        ordering = ["-documented_on", "-pk"]
        indexes = [models.Index(fields=["channel", "-documented_on"])]

    def __str__(self):
        return f"{self.channel} {self.documented_on:%Y-%m-%d}"


def _documentation_path(instance, filename):
    # The stored name never comes from the uploader: a random name with the checked extension.
    extension = DocumentationFile.EXTENSIONS[instance.content_type][0]
    return f"documentation/{instance.documentation.channel_id}/{uuid.uuid4().hex}{extension}"


class DocumentationFile(models.Model):
    """One screenshot file (PNG, JPEG or PDF) kept under MEDIA_ROOT, never at a public URL."""

    # Content type -> accepted extensions (the first is used for the stored name).
    EXTENSIONS = {
        "image/png": (".png",),
        "image/jpeg": (".jpg", ".jpeg"),
        "application/pdf": (".pdf",),
    }

    documentation = models.ForeignKey(
        Documentation, on_delete=models.PROTECT, related_name="files", verbose_name=_("documentation")
    )
    file = models.FileField(_("file"), upload_to=_documentation_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)

    class Meta:
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/png", "image/jpeg", "application/pdf"]),
                name="documentationfile_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("registry:documentation_file", kwargs={"pk": self.pk})
