"""A local account's binding to a person at an OpenID Connect identity provider."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """The person at an identity provider (issuer + stable subject) who signs in as an account.

    Single sign-on finds the account by this binding only: a user name at the provider may
    change (Entra ID's preferred_username does), the subject never does.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("account"),
    )
    issuer = models.CharField(
        _("identity provider"),
        max_length=255,
        help_text=_("The identity provider's issuer (the iss claim of its ID tokens)."),
    )
    subject = models.CharField(
        _("subject"),
        max_length=255,
        help_text=_("The identity provider's permanent identifier of the person (the sub or oid claim)."),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            # One person at a provider signs in as one account ...
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique_subject"),
            # ... and an account is one person at a provider.
            models.UniqueConstraint(fields=["user", "issuer"], name="external_identity_one_per_provider"),
            models.CheckConstraint(condition=~Q(issuer="") & ~Q(subject=""), name="external_identity_not_blank"),
        ]

    def __str__(self):
        return f"{self.user} ({self.issuer})"
