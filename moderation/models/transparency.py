"""The moderation log's Merkle tree, its signed checkpoint and witness results.

Imported by ``moderation.models``. See docs/moderation.md, "A log that proves itself".
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A node's key packs (level, index) into one integer: index * 64 + level (level < 64).
LEVELS = 64


class TreeNode(models.Model):
    """A complete subtree of the log's Merkle tree, stored once when its last leaf arrives.

    Level 0 is the leaf hash of record number ``index + 1``; level L covers 2**L records.
    Never updated or deleted (disposal keeps the record's row, so its leaf stays).
    """

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("tree node")
        verbose_name_plural = _("tree nodes")

    def __str__(self):
        return f"({self.level}, {self.index})"

    @staticmethod
    def key_of(level: int, index: int) -> int:
        return index * LEVELS + level

    @property
    def level(self) -> int:
        return self.key % LEVELS

    @property
    def index(self) -> int:
        return self.key // LEVELS


class TreeHead(models.Model):
    """One row: the tree's size, right edge and root, and the checkpoint signed at the last append.

    Written in the same transaction as each record, under the chain head's lock.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.PositiveBigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")  # the frontier's hashes, 32 bytes each, left to right
    root = models.BinaryField(max_length=32, default=b"")
    checkpoint = models.TextField(blank=True)  # the signed note, exactly as published
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tree head")
        verbose_name_plural = _("tree head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="treehead_single_row")]

    def __str__(self):
        return str(self.size)


class WitnessRun(models.Model):
    """The result of one run of ``witness_moderation_log`` (kept for the archivists' pages)."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=500, blank=True)  # empty: this installation's database
    ok = models.BooleanField(_("consistent"))
    code = models.CharField(max_length=40)
    message = models.TextField(blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    checkpoint = models.TextField(blank=True)
    agree_until = models.PositiveBigIntegerField(null=True, blank=True)
    differs_at = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("witness run")
        verbose_name_plural = _("witness runs")
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.code}"
