"""Every named URL of the project has rows in a permission matrix."""

from django.urls import get_resolver

from .branding.test_services import MATRIX as BRANDING_MATRIX
from .inquiries.test_views import MATRIX as INQUIRY_MATRIX
from .jobs.test_views import MATRIX as JOB_MATRIX
from .moderation.test_views_alerts import MATRIX as ALERT_MATRIX
from .moderation.test_views_archive import MATRIX as ARCHIVE_MATRIX
from .moderation.test_views_log import MATRIX as MODERATION_MATRIX
from .moderation.test_views_transparency import MATRIX as TRANSPARENCY_MATRIX
from .production.test_views import MATRIX as PROJECT_MATRIX
from .registry.views.test_channels import MATRIX as REGISTRY_MATRIX
from .registry.views.test_documentation import MATRIX as DOCUMENTATION_MATRIX
from .registry.views.test_impostor_reports import MATRIX as IMPOSTOR_REPORT_MATRIX
from .registry.views.test_mandates import MATRIX as MANDATE_MATRIX
from .registry.views.test_politician_links import MATRIX as POLITICIAN_LINK_MATRIX
from .registry.views.test_public import MATRIX as PUBLIC_MATRIX
from .registry.views.test_reviews import MATRIX as REVIEW_MATRIX

# Django's own machinery, tested by Django: the admin and the language switch.
NOT_IN_MATRIX = {"set_language"}


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, ns)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def all_matrices():
    return [
        *REGISTRY_MATRIX,
        *MANDATE_MATRIX,
        *PUBLIC_MATRIX,
        *POLITICIAN_LINK_MATRIX,
        *DOCUMENTATION_MATRIX,
        *REVIEW_MATRIX,
        *IMPOSTOR_REPORT_MATRIX,
        *MODERATION_MATRIX,
        *ARCHIVE_MATRIX,
        *ALERT_MATRIX,
        *BRANDING_MATRIX,
        *TRANSPARENCY_MATRIX,
        *PROJECT_MATRIX,
        *INQUIRY_MATRIX,
        *JOB_MATRIX,
    ]


def test_every_url_is_in_a_permission_matrix():
    covered = {row.name for row in all_matrices()}
    missing = _named_urls() - covered - NOT_IN_MATRIX
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"
