"""The guidelines versions: each text the application shows or an employee accepts is recorded (4:2)."""

from .. import guidelines
from ..models import GuidelineVersion


def guideline_version_current() -> GuidelineVersion:
    """Return the version of the guidelines text the application now shows, recording it when new."""
    text = guidelines.read_text()
    version, _created = GuidelineVersion.objects.get_or_create(sha256=guidelines.digest(text), defaults={"text": text})
    return version
