"""The municipality's graphic profile (4:1): its name, website, colours and logo, set once in the app.

One row (``pk=1``). An empty field means the deployment's default from the settings
(``MUNICIPALITY_NAME``, ``MUNICIPALITY_WEBSITE``, ``BRAND_PRIMARY_COLOR``,
``BRAND_PRIMARY_DARK_COLOR``); ``branding.selectors.current_brand`` resolves them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Branding(models.Model):
    municipality_name = models.CharField(
        _("municipality's name"), max_length=100, blank=True, help_text=_("Empty: the deployment's default.")
    )
    website = models.URLField(_("municipality's website"), max_length=300, blank=True)
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        help_text=_("Buttons and links, as #rrggbb; at least 4.5:1 contrast against white text (WCAG AA)."),
    )
    primary_dark_color = models.CharField(
        _("dark colour"),
        max_length=7,
        blank=True,
        help_text=_("The page header, as #rrggbb; at least 4.5:1 contrast against white text (WCAG AA)."),
    )
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(_("logo's file type"), max_length=20, blank=True)
    logo_sha256 = models.CharField(_("logo's checksum"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("graphic profile")
        verbose_name_plural = _("graphic profiles")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="branding_singleton"),
            models.CheckConstraint(
                condition=Q(logo_type__in=["", "image/png", "image/svg+xml"]), name="branding_logo_type"
            ),
        ]

    def __str__(self):
        return str(_("graphic profile"))
