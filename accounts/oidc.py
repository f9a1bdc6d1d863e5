"""Single sign-on with OpenID Connect (Entra ID, ADFS, ...) through mozilla-django-oidc.

On when ``OIDC_RP_CLIENT_ID`` is set (settings); the URLs answer 404 otherwise. A person is
matched to an account by their binding (the ID token's issuer and the stable subject claim,
``OIDC_SUBJECT_CLAIM``), never by a user name: ``accounts.services.sso_account_for`` is the one
rule. A new person gets an account named after ``OIDC_USERNAME_CLAIM``; at every sign-in their membership
of the web team and archivist groups follows the identity provider's groups
(``OIDC_GROUPS_CLAIM`` against ``OIDC_WEB_TEAM_GROUPS`` / ``OIDC_ARCHIVIST_GROUPS``). Managers
and writers follow from the register's own data. Administrators (superusers and staff) sign in
with their local accounts only, so the identity provider can never make anyone an administrator.
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from norsjo.security_log import security_event
from registry.permissions import ARCHIVIST_GROUP, WEB_TEAM_GROUP

from .services import SignInRefused, external_identity_link, sso_account_for


def _role_groups() -> dict[str, list[str]]:
    """Return the local group -> the identity provider's groups that grant it (only those configured)."""
    mapping = {WEB_TEAM_GROUP: settings.OIDC_WEB_TEAM_GROUPS, ARCHIVIST_GROUP: settings.OIDC_ARCHIVIST_GROUPS}
    return {group: idp_groups for group, idp_groups in mapping.items() if idp_groups}


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    def _username(self, claims) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()

    def verify_claims(self, claims) -> bool:
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        """Match nobody by claims (the library's default matches by e-mail): see get_or_create_user."""
        return self.UserModel.objects.none()

    def describe_user_by_claims(self, claims):
        return f"username {self._username(claims)}"

    def _identity(self, payload, claims) -> tuple[str, str]:
        """Return the person's (issuer, subject) from the verified ID token."""
        # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
        if "sub" in claims and str(claims["sub"]) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo response is about another subject than the ID token.")
        issuer = str(payload.get("iss") or "")
        subject = str(payload.get(settings.OIDC_SUBJECT_CLAIM) or claims.get(settings.OIDC_SUBJECT_CLAIM) or "")
        if not issuer or not subject:
            raise SuspiciousOperation(f"The identity provider sent no iss or {settings.OIDC_SUBJECT_CLAIM} claim.")
        return issuer, subject

    @transaction.atomic
    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation(f"The identity provider sent no {settings.OIDC_USERNAME_CLAIM} claim.")
        issuer, subject = self._identity(payload, claims)
        username = self._username(claims)
        try:
            user = sso_account_for(issuer=issuer, subject=subject, username=username, request=self.request)
        except SignInRefused as refusal:
            self._refuse(refusal.code, username=username, issuer=issuer, subject=subject)
            messages.error(self.request, refusal.message)
            return None
        if user is not None:
            user = self.update_user(user, claims)
        elif settings.OIDC_CREATE_USER:
            user = self.create_user(claims)
            external_identity_link(user=user, issuer=issuer, subject=subject, request=self.request)
        else:
            self._refuse("unknown", username=username, issuer=issuer, subject=subject)
            return None
        self.sync_roles(user, claims)
        return user

    def _refuse(self, reason: str, **identity) -> None:
        # The issuer and subject are what an administrator enters to link an existing account.
        security_event("auth.sso_refused", self.request, level=logging.WARNING, reason=reason, **identity)

    def create_user(self, claims):
        user = self.UserModel(username=self._username(claims))
        user.set_unusable_password()  # signs in through the identity provider only
        self._copy_profile(user, claims)
        user.save()
        return user

    def update_user(self, user, claims):
        self._copy_profile(user, claims)
        user.save(update_fields=["email", "first_name", "last_name"])
        return user

    def _copy_profile(self, user, claims):
        user.email = claims.get("email", user.email) or ""
        user.first_name = (claims.get("given_name") or user.first_name or "")[:150]
        user.last_name = (claims.get("family_name") or user.last_name or "")[:150]

    def sync_roles(self, user, claims):
        """Make the web team and archivist memberships follow the identity provider's groups."""
        idp_groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(idp_groups, str):
            idp_groups = [idp_groups]
        idp_groups = {str(group) for group in idp_groups}
        for name, granting in _role_groups().items():
            group, _ = Group.objects.get_or_create(name=name)
            if idp_groups & set(granting):
                user.groups.add(group)
            else:
                user.groups.remove(group)


def _only_when_enabled(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


class SignOutView(LogoutView):
    """Sign out locally (the session is flushed); after single sign-on, at the identity provider too.

    Without the second step the provider's own session would sign the person straight back in,
    which on a shared computer means the next person is signed in as them.
    """

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT_ENDPOINT:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
                }
            )
            return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
        return response


authentication_init = _only_when_enabled(oidc_views.OIDCAuthenticationRequestView.as_view())
authentication_callback = _only_when_enabled(oidc_views.OIDCAuthenticationCallbackView.as_view())
