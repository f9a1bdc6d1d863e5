from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import security_log, sessions


class NorsjoConfig(AppConfig):
    """The project package: security logging, middleware, session lifetime."""

    name = "norsjo"
    verbose_name = "Kanalregistret"

    def ready(self):
        # Framework receivers are wired here, as django.contrib.auth wires update_last_login.
        # Imported here, not at the top: axes.signals imports axes.models, which needs the app registry.
        from axes.signals import user_locked_out

        user_logged_in.connect(sessions.mark_session_start, dispatch_uid="norsjo.sessions.mark_session_start")
        user_logged_in.connect(security_log.log_logged_in, dispatch_uid="norsjo.security_log.logged_in")
        user_login_failed.connect(security_log.log_login_failed, dispatch_uid="norsjo.security_log.login_failed")
        user_logged_out.connect(security_log.log_logged_out, dispatch_uid="norsjo.security_log.logged_out")
        user_locked_out.connect(security_log.log_locked_out, dispatch_uid="norsjo.security_log.locked_out")
