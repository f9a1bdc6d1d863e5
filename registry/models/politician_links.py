"""Politicians' links on the public list (4:5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..querysets import PoliticianLinkQuerySet


class PoliticianLink(models.Model):
    """A politician's own blog or party site, linked from the public list by decision (4:5).

    The views there are the politician's own, not the municipality's; the public list says so.
    A link is never deleted: it is withdrawn, and stays with its decision and history.
    """

    class Kind(models.TextChoices):
        BLOG = "blog", _("blog")
        PARTY_SITE = "party_site", _("party website")
        OTHER = "other", _("other")

    politician = models.CharField(_("politician"), max_length=200, help_text=_("The politician's name."))
    party = models.CharField(_("party"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=500, help_text=_("Normalised as channel addresses are."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BLOG)
    decided_by = models.CharField(
        _("decided by"),
        max_length=200,
        help_text=_("Who decided to link (the person responsible for the website), name and title."),
    )
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("reference number"), max_length=60, blank=True, help_text=_("Diarienummer."))
    is_published = models.BooleanField(_("on the public list"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = PoliticianLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("politician's link")
        verbose_name_plural = _("politicians' links")
        ordering = ["politician", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=Q(withdrawn_at__isnull=True), name="politicianlink_url_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(withdrawn_at__isnull=True),
                name="politicianlink_withdrawn_unpublished",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="politicianlink_withdrawal_complete",
            ),
            models.CheckConstraint(condition=~Q(politician=""), name="politicianlink_politician_required"),
            models.CheckConstraint(condition=~Q(decided_by=""), name="politicianlink_decided_by_required"),
        ]

    def __str__(self):
        return f"{self.politician} ({self.party})" if self.party else self.politician

    def get_absolute_url(self):
        return reverse("registry:politician_detail", kwargs={"pk": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
