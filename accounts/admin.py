from django.contrib import admin
from django.contrib.auth import get_user_model

from .models import ExternalIdentity
from .services import external_identity_link, external_identity_unlink


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Link an existing local account to a person at the identity provider, or undo a link.

    Single sign-on refuses to take over an account that has a password; its refusal in the
    security log (auth.sso_refused) names the issuer and subject to enter here.
    """

    list_display = ["user", "issuer", "subject", "created_at"]
    list_filter = ["issuer"]
    search_fields = ["user__username", "subject"]
    fields = ["user", "issuer", "subject"]

    def has_change_permission(self, request, obj=None):
        return False  # a link is removed and made anew, never edited

    def get_actions(self, request):
        return {}  # removing links one at a time, each in the security log

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Administrators sign in locally only (accounts.services.external_identity_link).
            kwargs["queryset"] = get_user_model().objects.filter(is_superuser=False, is_staff=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        linked = external_identity_link(
            user=obj.user, issuer=obj.issuer, subject=obj.subject, actor=request.user, request=request
        )
        obj.pk, obj.created_at = linked.pk, linked.created_at

    def delete_model(self, request, obj):
        external_identity_unlink(identity=obj, actor=request.user, request=request)
