from django.apps import AppConfig


class NorsjoConfig(AppConfig):
    """The project package: security logging, middleware, single sign-on."""

    name = "norsjo"
    verbose_name = "Kanalregistret"

    def ready(self):
        from . import security_log

        security_log.connect_auth_signals()
