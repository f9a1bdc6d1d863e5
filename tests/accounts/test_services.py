"""Single sign-on finds an account by its binding only (accounts.services.sso_account_for)."""

import pytest
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import ExternalIdentity
from accounts.oidc import MunicipalOIDCBackend
from accounts.services import SignInRefused, external_identity_link, sso_account_for

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"


def _refusal(**kwargs) -> str:
    with pytest.raises(SignInRefused) as excinfo:
        sso_account_for(issuer=ISSUER, **kwargs)
    return excinfo.value.code


def test_sso_account_for_follows_the_binding_whatever_the_user_name():
    user = UserFactory(username="kim.larsson", password=None)
    ExternalIdentity.objects.create(user=user, issuer=ISSUER, subject="oid-1")
    assert sso_account_for(issuer=ISSUER, subject="oid-1", username="kim.berg") == user
    # Another local account named like the new user name changes nothing.
    UserFactory(username="kim.berg")
    assert sso_account_for(issuer=ISSUER, subject="oid-1", username="kim.berg") == user


def test_sso_account_for_a_new_person_is_none():
    assert sso_account_for(issuer=ISSUER, subject="oid-2", username="ny.person") is None
    assert not ExternalIdentity.objects.exists()


def test_sso_account_for_binds_an_unclaimed_account_without_a_password(caplog):
    """Accounts made by single sign-on before bindings existed are bound at their next sign-in."""
    user = UserFactory(username="arne.arkiv", password=None)
    assert sso_account_for(issuer=ISSUER, subject="oid-3", username="Arne.Arkiv") == user
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (user, ISSUER, "oid-3")
    events = [r.security for r in caplog.records if getattr(r, "security", {}).get("event") == "auth.sso_linked"]
    assert events[0]["by"] == "first_sign_in" and events[0]["subject"] == "oid-3"


def test_sso_account_for_refuses_a_local_account_with_a_password():
    user = UserFactory(username="eva")
    assert _refusal(subject="oid-4", username="eva") == "local_account"
    assert not ExternalIdentity.objects.exists()
    assert user.has_usable_password()


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_sso_account_for_refuses_administrators(flags):
    admin = UserFactory(username="it", password=None, **flags)
    assert _refusal(subject="oid-5", username="it") == "administrator"
    # Even a binding made before the account became an administrator does not sign them in.
    ExternalIdentity.objects.create(user=admin, issuer=ISSUER, subject="oid-5")
    assert _refusal(subject="oid-5", username="someone") == "administrator"


def test_sso_account_for_refuses_an_account_bound_to_someone_else():
    former = UserFactory(username="lisa", password=None)
    ExternalIdentity.objects.create(user=former, issuer=ISSUER, subject="oid-former")
    assert _refusal(subject="oid-new", username="lisa") == "linked_to_another"


def test_sso_account_for_another_provider_is_another_person():
    user = UserFactory(username="kim", password=None)
    ExternalIdentity.objects.create(user=user, issuer="https://adfs.norsjo.se/adfs", subject="oid-1")
    assert _refusal(subject="oid-1", username="kim") == "linked_to_another"


def test_external_identity_link_refuses_administrators_and_duplicates():
    admin = UserFactory(username="it", is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError) as excinfo:
        external_identity_link(user=admin, issuer=ISSUER, subject="oid-6")
    assert excinfo.value.error_dict["user"][0].code == "administrator"
    first, second = UserFactory(password=None), UserFactory(password=None)
    external_identity_link(user=first, issuer=ISSUER, subject="oid-6")
    with pytest.raises(ValidationError):  # one person signs in as one account
        external_identity_link(user=second, issuer=ISSUER, subject="oid-6")
    with pytest.raises(ValidationError):  # one account is one person at a provider
        external_identity_link(user=first, issuer=ISSUER, subject="oid-7")


def test_external_identity_constraints_hold_in_the_database():
    user = UserFactory(password=None)
    ExternalIdentity.objects.create(user=user, issuer=ISSUER, subject="oid-8")
    for fields in ({"user": UserFactory(), "subject": "oid-8"}, {"user": user, "subject": "oid-9"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExternalIdentity.objects.create(issuer=ISSUER, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExternalIdentity.objects.create(user=UserFactory(), issuer=ISSUER, subject="")


def test_backend_refuses_userinfo_about_another_subject(settings):
    """OpenID Connect Core 5.3.2: the userinfo's sub must be the ID token's."""
    backend = MunicipalOIDCBackend()
    with pytest.raises(SuspiciousOperation):
        backend._identity({"iss": ISSUER, "sub": "a"}, {"sub": "b", "preferred_username": "x"})
    assert backend._identity({"iss": ISSUER, "sub": "a"}, {"sub": "a"}) == (ISSUER, "a")


def test_backend_reads_the_configured_subject_claim(settings):
    """Entra ID: the oid claim, the same for the person in every application of the tenant."""
    settings.OIDC_SUBJECT_CLAIM = "oid"
    backend = MunicipalOIDCBackend()
    assert backend._identity({"iss": ISSUER, "sub": "pairwise", "oid": "object-id"}, {}) == (ISSUER, "object-id")
    with pytest.raises(SuspiciousOperation):
        backend._identity({"iss": ISSUER, "sub": "pairwise"}, {})
