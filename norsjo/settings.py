"""Settings for Kanalregistret, read from the environment (12-factor).

Every value that differs between a laptop and production comes from an environment
variable, read with django-environ; a ``.env`` file beside ``manage.py`` is read when
present. See ``.env.example`` for the full list.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(see .env.example); only DEBUG=true runs with a throwaway development key."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The municipality this installation serves; shown in the header, the public list and the API.
MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="Norsjö kommun")
MUNICIPALITY_WEBSITE = env.str("MUNICIPALITY_WEBSITE", default="https://www.norsjo.se")
# The moderation log's signed checkpoints (docs/moderation.md, "A log that proves itself";
# docs/deploy.md, "The signing key"). The origin names the log in every checkpoint and is the
# key's name. The key lives in a file outside the database; only DEBUG runs without one
# (a development key is then created in var/, which git ignores).
MODERATION_LOG_ORIGIN = env.str(
    "MODERATION_LOG_ORIGIN", default=f"{MUNICIPALITY_WEBSITE.split('://')[-1].strip('/')}/moderation-log"
)
MODERATION_LOG_SIGNING_KEY_FILE = env.str("MODERATION_LOG_SIGNING_KEY_FILE", default="")
MODERATION_LOG_DEVELOPMENT_KEY = False
if not MODERATION_LOG_SIGNING_KEY_FILE:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MODERATION_LOG_SIGNING_KEY_FILE is not set. Create a key with "
            "`python manage.py create_moderation_log_key` and name its file in the environment "
            "(docs/deploy.md); only DEBUG=true runs with a development key."
        )
    MODERATION_LOG_SIGNING_KEY_FILE = str(BASE_DIR / "var" / "moderation-log-dev.key")
    MODERATION_LOG_DEVELOPMENT_KEY = True
# Publish the checkpoint, consistency proofs and the public key to anyone (on by default).
MODERATION_LOG_PUBLISH = env.bool("MODERATION_LOG_PUBLISH", default=True)
# Brand colours (CSS colour values); the defaults pass WCAG AA contrast with white text.
BRAND_PRIMARY_COLOR = env.str("BRAND_PRIMARY_COLOR", default="#00546e")
BRAND_PRIMARY_DARK_COLOR = env.str("BRAND_PRIMARY_DARK_COLOR", default="#003a4d")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, for FORM_RENDERER below.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "norsjo",
    "accounts",
    "registry",
    "moderation",
    "inquiries",
    "branding",
    "jobs",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "norsjo.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every signed-in page (and every page that needs sign-in) is "Cache-Control: private,
    # no-store"; outside the session and authentication middleware, so that it sees their answers.
    "norsjo.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "norsjo.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permission answers remembered for the request (registry.permissions.remember_per_request).
    "registry.middleware.PermissionMemoMiddleware",
    # Ends a signed-in session SESSION_ABSOLUTE_SECONDS after sign-in, however active.
    "norsjo.middleware.SessionLifetimeMiddleware",
    # A view that fails because the database is unreachable answers 503 with a clear page.
    "norsjo.middleware.DatabaseUnavailableMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "norsjo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registry.context_processors.site",
                "norsjo.context_processors.sso",
            ],
            # The filter naming a person ({{ user|person }}) is used on nearly every page.
            "builtins": ["accounts.templatetags.people"],
        },
    },
]

WSGI_APPLICATION = "norsjo.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the moderation log's effective classification (moderation/classification.py) has
    # correlated subqueries that run only for the few records with addenda, but the planner
    # prices them per row, and compiling the query then costs ~1 s: docs/performance.md.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1: at least 12 characters. (The demo accounts' fixed password is set
    # without validation by load_demo_data and is for demonstrations only.)
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: lock the username (per address) after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address, for the lockout above, the security log and the rate limit: the
# number of reverse proxies in front of the application that each append the address they
# were connected from to X-Forwarded-For (1 behind the nginx of docs/deploy.md; 0: none, use
# the connection's address). norsjo.security_log.client_ip reads it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0)
AXES_CLIENT_IP_CALLABLE = "norsjo.security_log.client_ip"
# Per-client rate limits of the public endpoints (norsjo.ratelimit), per scope: "N/s", "N/m" or
# "N/h"; empty or 0 for none. Counted in the database, so all gunicorn workers share them.
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMIT_RATES = {
    # The public list, its embeddable fragment and the list API.
    "public": env.str("RATELIMIT_PUBLIC", default="300/m"),
    # "Is this really you?", the page and the API: each answer compares addresses.
    "verify": env.str("RATELIMIT_VERIFY", default="30/m"),
    # Reports of impostor accounts from the public (each one is stored): submissions only.
    "report": env.str("RATELIMIT_REPORT", default="10/h"),
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Never served from a public URL: uploaded files go out through permission-checked views.
MEDIA_URL = "/media-not-served/"

# Hashed, compressed static files in production; plain files on a laptop and in tests.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Background jobs (jobs/): django-tasks with its database backend; `manage.py db_worker` runs them
# (docs/archive.md, "Background jobs"; docs/deploy.md, the worker's systemd unit).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Widgets render through the project's template engine, so that templates/django/forms/widgets/
# may replace one of Django's: select.html writes its options in one template rather than
# including one per <option> (docs/performance.md, "Pages (issue 15)").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ... from EMAIL_URL
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kanalregistret@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The municipality's registrar (registrator): inquiries (section 5) are e-mailed here unless
# their unit has an address of its own (Unit.registrar_email).
REGISTRAR_EMAIL = env.str("REGISTRAR_EMAIL", default="registrator@localhost")
# The address people use to reach the application; links in e-mailed reminders start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Upload limits: screenshots are at most this many bytes each.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# The public list (4:4) re-reads its validators (ETag, Last-Modified) at most this often per
# process, in seconds; a change shows within that time. 0 reads them on every request.
PUBLIC_LIST_STATE_SECONDS = env.float("PUBLIC_LIST_STATE_SECONDS", default=1.0)
# How long a worker keeps the graphic profile before reading it again (branding.selectors).
BRANDING_CACHE_SECONDS = env.float("BRANDING_CACHE_SECONDS", default=1.0)

# Mandates (4:2): the default and the longest validity a manager may grant, in days.
MANDATE_DEFAULT_DAYS = env.int("MANDATE_DEFAULT_DAYS", default=365)
MANDATE_MAX_DAYS = env.int("MANDATE_MAX_DAYS", default=366)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# No script reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
# Secure by default: with DEBUG off every plain-http request is redirected to https (behind
# nginx set BEHIND_TLS_PROXY=true too, or the redirect never ends). The test suite turns it off
# in tests/environment.py, since Django's test client speaks plain http.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Monitoring and the load balancer ask /healthz directly, without TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# Sub-domains of the application's own host name (kanalregistret.norsjo.se) only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # The browsers' preload list takes only registrable domains (norsjo.se), so preloading is a
    # decision for the municipality's whole domain, not for this application: off unless asked.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after 30 minutes without a request and at most 10 hours after sign-in however
# active (norsjo.middleware.SessionLifetimeMiddleware renews an active session once a minute).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "norsjo.views.csrf_failure"


def _origins(name: str) -> list[str]:
    """Read a list of web origins (scheme://host[:port]) and refuse anything else."""
    origins = env.list(name, default=[])
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            raise ImproperlyConfigured(f"{name}: {origin!r} is not an origin such as https://www.norsjo.se")
    return origins


# The embeddable public fragment is the only page other sites may frame or fetch, and only these.
EMBED_ALLOWED_ORIGINS = _origins("EMBED_ALLOWED_ORIGINS")

# Single sign-on with OpenID Connect (Entra ID, ADFS, ...): on when OIDC_RP_CLIENT_ID is set.
# Local accounts keep working beside it (administrators sign in with them).
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# The provider's end_session_endpoint: signing out here signs out there too (accounts.oidc.SignOutView).
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
# Kept in the session only as the id_token_hint for that sign-out.
OIDC_STORE_ID_TOKEN = True
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
# The claim that identifies the person for good: an account is bound to the ID token's issuer
# and this claim at the first sign-in and found by that binding only (accounts.ExternalIdentity).
# "sub" by default; "oid" for Entra ID (the same for the person in every application).
OIDC_SUBJECT_CLAIM = env.str("OIDC_SUBJECT_CLAIM", default="sub")
# Which claim names a new account (a user name at the provider may change) and which lists the groups.
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# The identity provider's group names or ids that make a person web team or archivist.
OIDC_WEB_TEAM_GROUPS = env.list("OIDC_WEB_TEAM_GROUPS", default=[])
OIDC_ARCHIVIST_GROUPS = env.list("OIDC_ARCHIVIST_GROUPS", default=[])
OIDC_REGISTRAR_GROUPS = env.list("OIDC_REGISTRAR_GROUPS", default=[])
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# Back to the sign-in page, which says that single sign-on did not succeed.
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/?sso=failed"
OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.MunicipalOIDCBackend")

# Browsers apply form-action to the redirects after a form is posted: signing out (a POST)
# continues at the identity provider.
_form_action = [SELF]
for _endpoint in (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_LOGOUT_ENDPOINT):
    if _endpoint:
        _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))
        if _origin not in _form_action:
            _form_action.append(_origin)

# Content Security Policy (django-csp 4 format): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws some icons as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": _form_action,
        "frame-src": [NONE],
        # Only the embeddable fragment relaxes this (norsjo.embed.embeddable).
        "frame-ancestors": [NONE],
    },
}

# Log lines are JSON in production (one object a line, with the request id), plain on a laptop.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "norsjo.log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "norsjo.log.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Security events (norsjo.security_log): always kept, whatever LOG_LEVEL says.
        "norsjo.security": {"level": "INFO"},
    },
}

# Where `manage.py backup` writes by default (docs/deploy.md, "Backups").
BACKUP_DIR = env.str("BACKUP_DIR", default="")
