import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public list caches rendered bodies by ETag; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_validators(settings):
    """Read the public list's validators on every request, so a change shows at once."""
    settings.PUBLIC_LIST_STATE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded screenshots go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
