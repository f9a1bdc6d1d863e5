"""Who signs in as whom through single sign-on: the one matching rule and every write of a binding."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from norsjo.security_log import security_event

from .models import ExternalIdentity

ERRORS = {
    "administrator": _("Administrators sign in with their local account, not through single sign-on."),
    "local_account": _(
        "An account with your user name already exists here and signs in with a password. Sign in "
        "with that password, or ask an administrator to link the account to single sign-on."
    ),
    "linked_to_another": _(
        "Your user name belongs to an account that is linked to another person at the identity "
        "provider. Contact an administrator."
    ),
    "ambiguous": _("More than one account matches your user name. Contact an administrator."),
}


class SignInRefused(Exception):
    """Single sign-on must not sign this person in; *code* names the reason (a key of ERRORS)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.message = ERRORS[code]


def _is_administrator(user) -> bool:
    return user.is_superuser or user.is_staff


@transaction.atomic
def external_identity_link(*, user, issuer: str, subject: str, actor=None, request=None) -> ExternalIdentity:
    """Bind *user* to the person *subject* at the identity provider *issuer*.

    *actor* is the administrator who links an existing account by hand; None when single
    sign-on binds an account at its first sign-in. An administrator's account is never bound:
    the identity provider must not be able to sign anyone in as an administrator.
    """
    if _is_administrator(user):
        raise ValidationError({"user": ValidationError(ERRORS["administrator"], code="administrator")})
    identity = ExternalIdentity(user=user, issuer=issuer, subject=subject)
    identity.full_clean()  # the unique constraints: one account per person, one person per account
    identity.save()
    security_event(
        "auth.sso_linked",
        request,
        user=actor,
        account=user.get_username(),
        issuer=issuer,
        subject=subject,
        by="administrator" if actor is not None else "first_sign_in",
    )
    return identity


def sso_account_for(*, issuer: str, subject: str, username: str, request=None):
    """Return the account the person *subject* at *issuer* signs in as; None for a new person.

    The binding alone decides, never the user name, which the provider may change or give to
    someone else. Without a binding, an existing account of the same user name is bound at this
    first sign-in only when nobody signs in to it otherwise: it is no administrator's, has no
    usable password, and is bound to nobody at any provider (an account made by single
    sign-on before bindings existed, or prepared by an administrator). Anything else raises
    SignInRefused: taking over a local account is an administrator's decision.
    """
    identity = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        if _is_administrator(identity.user):
            raise SignInRefused("administrator")
        return identity.user
    if not username:
        return None
    matches = list(get_user_model().objects.filter(username__iexact=username)[:2])
    if not matches:
        return None
    if len(matches) > 1:
        raise SignInRefused("ambiguous")
    user = matches[0]
    if _is_administrator(user):
        raise SignInRefused("administrator")
    if user.external_identities.exists():  # at any provider: the account is someone's
        raise SignInRefused("linked_to_another")
    if user.has_usable_password():
        raise SignInRefused("local_account")
    external_identity_link(user=user, issuer=issuer, subject=subject, request=request)
    return user


def external_identity_unlink(*, identity: ExternalIdentity, actor, request=None) -> None:
    """Remove a binding (an administrator's decision); the account keeps everything else."""
    security_event(
        "auth.sso_unlinked",
        request,
        level=logging.WARNING,
        user=actor,
        account=identity.user.get_username(),
        issuer=identity.issuer,
        subject=identity.subject,
    )
    identity.delete()
