from django.conf import settings


def sso(request):
    """Tell the sign-in page whether single sign-on is offered."""
    return {"OIDC_ENABLED": settings.OIDC_ENABLED}
