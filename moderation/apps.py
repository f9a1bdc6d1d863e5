from django.apps import AppConfig


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moderation"

    def ready(self):
        # Imported here, not at the top: the app registry is not ready when apps.py is imported.
        from django.core import checks

        from registry.history import register_actions

        from . import history
        from .transparency.keys import check_signing_key

        checks.register(check_signing_key, "moderation")

        register_actions(history.ACTION_LABELS, change_fields=history.CHANGE_FIELDS)
