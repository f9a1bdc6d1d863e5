"""The demo's graphic profile: Norsjö's name and colours (the defaults) and a small SVG logo."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from .models import Branding
from .services import branding_update

# A plain SVG: drawing only (branding.logos accepts it).
DEMO_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
    b'<circle cx="32" cy="32" r="30" fill="#00546e"/>'
    b'<path d="M14 44 L26 20 L34 36 L40 26 L50 44 Z" fill="#ffffff"/></svg>'
)


def load(users: dict) -> bool:
    """Save the graphic profile once, as the web team; return whether it was created."""
    if Branding.objects.exists():
        return False
    branding_update(
        actor=users["webb"],
        municipality_name=settings.MUNICIPALITY_NAME,
        website=settings.MUNICIPALITY_WEBSITE,
        primary_color=settings.BRAND_PRIMARY_COLOR,
        primary_dark_color=settings.BRAND_PRIMARY_DARK_COLOR,
        logo=SimpleUploadedFile("norsjo.svg", DEMO_LOGO),
    )
    return True
