import pytest

from branding.selectors import forget_brand


@pytest.fixture(autouse=True)
def _read_brand(_brand_defaults):
    """These tests read the graphic profile from the database."""
    forget_brand()
