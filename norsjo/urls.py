from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import oidc
from moderation.urls import public_patterns as moderation_log_patterns
from registry.urls import channel_patterns, mandate_patterns, public_patterns
from registry.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("theme.css", home.theme_css, name="theme_css"),
    path("kanaler/", include((channel_patterns, "registry"))),
    path("uppdrag/", include((mandate_patterns, "mandates"))),
    path("moderering/", include("moderation.urls")),
    path("inkommet/", include("inquiries.urls")),
    path("grafisk-profil/", include("branding.urls")),
    path("jobb/", include("jobs.urls")),
    # The moderation log's public proofs (docs/moderation.md, the contract of issue 12).
    path("api/v1/moderation-log/", include((moderation_log_patterns, "moderation_log"))),
    path("", include((public_patterns, "public"))),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", oidc.SignOutView.as_view(), name="logout"),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Single sign-on (OpenID Connect); 404 unless configured (accounts.oidc).
    path("oidc/authenticate/", oidc.authentication_init, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.authentication_callback, name="oidc_authentication_callback"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "norsjo.views.permission_denied"
handler500 = "norsjo.views.server_error"
