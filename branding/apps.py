from django.apps import AppConfig


class BrandingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "branding"
    verbose_name = "graphic profile"

    def ready(self):
        # Imported here, not at the top: the app registry is not ready when apps.py is imported.
        from registry.history import register_actions

        from .services import ACTION_LABELS

        register_actions(ACTION_LABELS)
