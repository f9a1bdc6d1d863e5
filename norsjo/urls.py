from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from norsjo import oidc
from registry import views as registry_views

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("healthz", registry_views.healthz, name="healthz"),
    path("theme.css", registry_views.theme_css, name="theme_css"),
    path("kanaler/", include("registry.urls")),
    path("uppdrag/", include("registry.mandate_urls")),
    path("moderering/", include("moderation.urls")),
    path("api/v1/moderation-log/", include("moderation.transparency.urls_public")),
    path("", include("registry.urls_public")),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", oidc.SignOutView.as_view(), name="logout"),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Single sign-on (OpenID Connect); 404 unless configured (norsjo.oidc).
    path("oidc/authenticate/", oidc.authentication_init, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.authentication_callback, name="oidc_authentication_callback"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "norsjo.views.permission_denied"
handler500 = "norsjo.views.server_error"
