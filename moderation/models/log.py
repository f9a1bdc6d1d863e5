"""The moderation log (4:10): removed comments kept as public records (4:6).

A ``RemovedComment`` is the record: who removed which comment on which channel, when, how
and why. It is never changed once written. The comment itself (text and author) lives in
``RemovedCommentContent`` and screenshots in ``RemovedCommentAttachment``: these are the
only rows the disposal service may delete (4:7), after writing a ``DisposedRecord``; the
record stays as a tombstone whose hash still verifies. See docs/moderation.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from norsjo import append_only
from norsjo.paths import path_for_pk

from .. import classification as classification_rules
from ..querysets import (
    APPEND_ONLY,
    DISPOSAL_ONLY,
    AppendOnlyQuerySet,
    DisposableQuerySet,
    RemovedCommentQuerySet,
)


class AppendOnlyModel(append_only.AppendOnlyModel):
    """A row written once: saving it again or deleting it raises (4:6).

    Only ``moderation.services.disposal`` deletes content and screenshots, row by row under a
    recorded disposal decision (4:7), after the database triggers have seen the disposal row.
    """

    append_only_message = APPEND_ONLY
    delete_message = DISPOSAL_ONLY

    class Meta:
        abstract = True


class Category(models.TextChoices):
    """The reasons of 4:10 a–h, plus "other" (PRODUCT.md)."""

    DEFAMATION = "a", _("a. defamation, personal attacks or insults")
    AGITATION = "b", _("b. agitation against a population group, sexist remarks or other harassment")
    VIOLENCE_PORNOGRAPHY = "c", _("c. unlawful depictions of violence or pornography")
    INCITEMENT = "d", _("d. incitement to crime")
    COPYRIGHT = "e", _("e. unlawful use of copyright-protected material")
    PROFANITY = "f", _("f. profanity or obscene words")
    ADVERTISING = "g", _("g. commercial messages or advertising")
    CONFIDENTIAL = "h", _("h. confidential information")
    OTHER = "other", _("otherwise contrary to law, directives or guidelines")

    @classmethod
    def label_of(cls, code: str) -> str:
        """Return the label of the reason *code* (the code itself only when it is unknown)."""
        return str(dict(cls.choices).get(code, code))

    @classmethod
    def short_label_of(cls, code: str) -> str:
        """Return a word or two for the reason *code*, for narrow columns; the full label elsewhere."""
        return str(CATEGORY_SHORT_LABELS.get(code, cls.label_of(code)))


# A word or two per reason, where a column has no room for the whole label (the statistics).
CATEGORY_SHORT_LABELS = {
    "a": _("Defamation"),
    "b": _("Agitation"),
    "c": _("Violence, pornography"),
    "d": _("Incitement to crime"),
    "e": _("Copyright"),
    "f": _("Profanity"),
    "g": _("Advertising"),
    "h": _("Confidential"),
    "other": _("Other"),
}


# Lag (1998:112) om ansvar för elektroniska anslagstavlor, 5 §: the provider must remove
# messages that obviously are uppvigling (incitement, BrB 16:5), hets mot folkgrupp
# (16:8), barnpornografibrott (16:10 a), olaga våldsskildring (16:10 c), or that
# obviously infringe copyright. Hence b, c, d and e; see docs/moderation.md.
LEGALLY_REQUIRED_CATEGORIES = frozenset({"b", "c", "d", "e"})


def is_legally_required(category: str) -> bool:
    return category in LEGALLY_REQUIRED_CATEGORIES


class Action(models.TextChoices):
    UNPUBLISHED = "unpublished", _("unpublished")
    DELETED = "deleted", _("deleted")


class RemovedComment(AppendOnlyModel):
    """One logged removal (4:10): a public record (4:6), append-only, in a hash chain."""

    sequence = models.PositiveBigIntegerField(
        _("number in the log"), unique=True, editable=False, help_text=_("Position in the hash chain, from 1.")
    )
    channel = models.ForeignKey(
        "registry.Channel", on_delete=models.PROTECT, related_name="removed_comments", verbose_name=_("channel")
    )
    # Snapshots: the names as they were when the removal was logged.
    channel_name = models.CharField(_("channel name"), max_length=200)
    unit_name = models.CharField(_("unit name"), max_length=200)
    platform_name = models.CharField(_("platform name"), max_length=60)
    category = models.CharField(_("reason"), max_length=10, choices=Category.choices)
    legally_required = models.BooleanField(
        _("removal required by law"),
        help_text=_(
            "Required by lag (1998:112) 5 §, as decided when the removal was logged; otherwise by the guidelines only."
        ),
    )
    confidential = models.BooleanField(
        _("confidential"), help_text=_("Category h: content shown only to archivists and to the person who logged it.")
    )
    action = models.CharField(_("removed by"), max_length=12, choices=Action.choices)
    comment_published_at = models.DateTimeField(_("comment published at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"), db_index=True)
    addendum_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addenda",
        verbose_name=_("addendum to"),
        help_text=_("Corrections and additions are new records linked to the original."),
    )
    content_sha256 = models.CharField(_("content checksum"), max_length=64)
    attachments_sha256 = models.CharField(
        _("attachments checksum"), max_length=64, help_text=_("SHA-256 of the attachments' checksums, in order.")
    )
    previous_hash = models.CharField(_("previous record's hash"), max_length=64)
    record_hash = models.CharField(_("record hash"), max_length=64, unique=True)

    objects = RemovedCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("removed comment")
        verbose_name_plural = _("removed comments")
        ordering = ["-id"]
        constraints = [
            # 4:10 h: a record of confidential information is itself confidential.
            models.CheckConstraint(
                condition=Q(category="h", confidential=True) | (~Q(category="h") & Q(confidential=False)),
                name="removedcomment_h_confidential",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="removedcomment_sequence_positive"),
            models.CheckConstraint(
                condition=Q(comment_published_at__isnull=True) | Q(comment_published_at__lte=models.F("removed_at")),
                name="removedcomment_published_before_removed",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "-id"]),
            models.Index(fields=["category", "-id"]),
            models.Index(fields=["logged_by", "-id"]),
            models.Index(fields=["removed_at"]),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.channel_name} ({self.get_category_display()})"

    def get_absolute_url(self):
        return path_for_pk("moderation:record_detail", self.pk)

    @property
    def is_addendum(self) -> bool:
        return self.addendum_to_id is not None

    @cached_property
    def classification(self) -> classification_rules.Classification:
        """Return the effective classification: this record, its original and all addenda, most protective winning.

        Read from ``RemovedComment.objects.with_classification()``'s annotations when present
        (lists), else from one query over the record's group.
        """
        own = (self.category, self.legally_required)
        if hasattr(self, "effective_category") and hasattr(self, "effective_legally_required"):
            return classification_rules.from_annotations(own, self.effective_category, self.effective_legally_required)
        root = self.addendum_to_id or self.pk
        others = (
            type(self)
            ._base_manager.filter(Q(pk=root) | Q(addendum_to_id=root))
            .exclude(pk=self.pk)
            .values_list("category", "legally_required")
        )
        return classification_rules.classify([own, *others])

    def get_effective_category_display(self) -> str:
        return Category(self.classification.category).label


class RemovedCommentContent(AppendOnlyModel):
    """The removed comment itself and its author (4:10: saved before deletion)."""

    record = models.OneToOneField(
        RemovedComment, on_delete=models.PROTECT, primary_key=True, related_name="content", verbose_name=_("record")
    )
    text = models.TextField(_("comment text"), blank=True, help_text=_("Exactly as it was published."))
    author_name = models.CharField(_("author's display name"), max_length=500, blank=True)
    author_handle = models.CharField(_("author's account id or handle"), max_length=500, blank=True)
    author_url = models.URLField(_("author's profile address"), max_length=2000, blank=True)
    comment_url = models.URLField(_("comment address"), max_length=2000, blank=True)
    post_url = models.URLField(_("post address"), max_length=2000, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    objects = DisposableQuerySet.as_manager()

    class Meta:
        verbose_name = _("removed comment's content")
        verbose_name_plural = _("removed comments' content")

    def __str__(self):
        return f"content of #{self.record_id}"


def attachment_path(instance, filename):
    # Never the uploaded name: it is kept in original_name, the file gets a neutral one.
    return f"moderation/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class RemovedCommentAttachment(AppendOnlyModel):
    """A screenshot of the removed comment: an image or a PDF, checked by content."""

    record = models.ForeignKey(
        RemovedComment, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("record")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)

    objects = DisposableQuerySet.as_manager()

    EXTENSIONS = {
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/gif": ".gif",
        "image/webp": ".webp",
        "application/pdf": ".pdf",
    }

    class Meta:
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "position"], name="attachment_position_unique"),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]),
                name="attachment_content_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DisposedRecord(AppendOnlyModel):
    """The disposal (gallring, 4:7) of one record's content and attachments.

    Written by the disposal service first, in the same transaction as the
    deletes: the database triggers refuse deleting content or attachments of a record
    without this row. The record itself stays as a tombstone.
    """

    record = models.OneToOneField(
        RemovedComment, on_delete=models.PROTECT, primary_key=True, related_name="disposal", verbose_name=_("record")
    )
    disposed_at = models.DateTimeField(_("disposed at"))
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("disposed by")
    )
    decision_reference = models.CharField(
        _("disposal decision"), max_length=100, help_text=_("The reference number (diarienummer) of the decision.")
    )
    # The decision and the run it was disposed of under; the reference stays as text too, so the
    # tombstone reads on its own.
    decision = models.ForeignKey(
        "moderation.DisposalDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposed_records",
        verbose_name=_("decision"),
    )
    run = models.ForeignKey(
        "moderation.DisposalRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposed_records",
        verbose_name=_("disposal run"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposed record")
        verbose_name_plural = _("disposed records")
        constraints = [models.CheckConstraint(condition=~Q(decision_reference=""), name="disposal_has_reference")]

    def __str__(self):
        return f"#{self.record_id} ({self.decision_reference})"


class RecordRead(AppendOnlyModel):
    """Someone read a record's content or an attachment: these hold third parties' personal data."""

    class What(models.TextChoices):
        CONTENT = "content", _("content")
        ATTACHMENT = "attachment", _("screenshot")
        EXPORT = "export", _("export")

    record = models.ForeignKey(RemovedComment, on_delete=models.PROTECT, related_name="reads", verbose_name=_("record"))
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True, help_text=_("E.g. which screenshot."))
    address = models.GenericIPAddressField(
        _("from address"),
        null=True,
        blank=True,
        help_text=_("The reader's address as the security log saw it (norsjo.security_log.client_ip)."),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("read of a record")
        verbose_name_plural = _("reads of records")
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["record", "-read_at"]), models.Index(fields=["reader", "-read_at"])]

    def __str__(self):
        return f"{self.reader} {self.what} #{self.record_id}"


class ChainHead(models.Model):
    """The single row holding the end of the hash chain; locked to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="chainhead_single_row")]

    def __str__(self):
        return f"{self.sequence} {self.last_hash[:12]}"
