import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public list caches rendered bodies by ETag; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
