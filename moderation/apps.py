from django.apps import AppConfig
from django.core import checks

from .transparency.keys import check_signing_key


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moderation"

    def ready(self):
        # Imported here, not at the top: the app registry is not ready when apps.py is imported.
        from registry.history import register_actions

        from . import history
        from .exports import jobs
        from .transparency import jobs as transparency_jobs

        # The moderation log's signing key must be there (issue 12; moderation.E001).
        checks.register(check_signing_key, "moderation")
        register_actions(history.ACTION_LABELS, change_fields=history.CHANGE_FIELDS)
        jobs.register_kinds()
        transparency_jobs.register_kinds()
