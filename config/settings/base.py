"""Settings shared by every environment.

Every value that differs between machines comes from the environment (django-environ);
`.env.example` lists each variable with a comment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local `.env` file is read when present; real environments set variables directly.
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_celery_results",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Project apps, in dependency order: briefings -> outreach -> contacts -> trade -> core.
    "core",
    "trade",
    "contacts",
    "outreach",
    "briefings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's own language and time zone, over what LocaleMiddleware chose.
    "core.middleware.UserPreferenceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestIdMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    # Before the second-factor step: a user with no role has nothing to set up a second factor for.
    "core.middleware.NoRoleMiddleware",
    "core.middleware.TwoFactorMiddleware",
    "core.middleware.AuditContextMiddleware",
    # Last: turns a lockout detected during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise (PostgreSQL in production and CI).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'envoy.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured("The DATABASE_URL environment variable is malformed: unknown database scheme.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing, and take the
    # write lock at the start of each transaction so two writers cannot deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if not env.bool("DATABASE_JIT", default=False):
        # PostgreSQL's JIT compiles any query whose *estimated* cost is high: on ranking queries over
        # every person that took longer (1.4 s) than running them (0.5 s). Web queries are short.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes) runs before the password check; see docs/security.md.
AUTHENTICATION_BACKENDS = [
    "core.auth_backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Two-factor authentication (TOTP): required for the Admin role, available to every user.
OTP_TOTP_ISSUER = "Envoy CRM"
# Admins manage devices (delete a lost one) but can never read another user's secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGES = [("en", _("English")), ("fr", _("French"))]
# The language of a visitor who has chosen none and whose browser asks for neither, and of the
# management commands' output (an admin in a French-speaking office sets fr).
LANGUAGE_CODE = env("DJANGO_LANGUAGE_CODE", default="en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(f"DJANGO_LANGUAGE_CODE must be one of en, fr (not {LANGUAGE_CODE!r}).")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Media (generated packets, uploads) is never served by URL: views stream it after a permission check.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Envoy CRM <envoy-crm@localhost>")

SESSION_COOKIE_HTTPONLY = True
# Absolute lifetime from login (enforced by core.middleware.SessionTimeoutMiddleware, and the cookie
# expires then too) and idle timeout (no request for that long ends the session).
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sent by core.middleware.ContentSecurityPolicyMiddleware. No inline scripts or styles anywhere;
# `data:` images are for icons inside vendored stylesheets (Swagger UI).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Cache ----------------------------------------------------------------------------------
# Figures cached under version keys (core.caching: coverage, chapter years, rankings). One process's
# memory unless CACHE_URL says otherwise; production points it at Redis so that every web host and
# worker reads and fills the same entries. The prefix keeps them apart from anything else in that Redis.
# An empty CACHE_URL (as in a copied .env with the line left blank) means the default, like DATABASE_URL.
CACHE_URL = env.str("CACHE_URL", default="") or "locmemcache://"
CACHES = {"default": {**env.cache_url_config(CACHE_URL), "KEY_PREFIX": "envoy"}}

# --- Celery -------------------------------------------------------------------------------
# Default broker needs no server: kombu's filesystem transport under var/broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # visibility_timeout: how long a message taken by a worker that died stays hidden before another
    # worker gets it (acks_late). It must exceed the longest task; tests of worker death shorten it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "socket_connect_timeout": 2,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Seconds a request may wait to reach the broker when publishing after commit (one attempt, no
# retries); an unreachable broker leaves the outbox row pending for the beat sweep.
OUTBOX_PUBLISH_CONNECT_TIMEOUT = env.float("OUTBOX_PUBLISH_CONNECT_TIMEOUT", default=0.5)

# --- Django REST Framework ----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.error_envelope_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "2000/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}


def api_renderers(*, browsable: bool) -> list[str]:
    """JSON always; DRF's browsable HTML API only where `browsable` (see API_BROWSABLE)."""
    renderers = ["rest_framework.renderers.JSONRenderer"]
    if browsable:
        renderers.append("rest_framework.renderers.BrowsableAPIRenderer")
    return renderers


# The browsable API draws HTML edit forms from the serializers: a development aid, served only when
# DJANGO_API_BROWSABLE is on (default: DEBUG). Production never serves it (production.py), and where it
# is served its forms show confidential fields under the same rule as the JSON.
API_BROWSABLE = env.bool("DJANGO_API_BROWSABLE", default=DEBUG)
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = api_renderers(browsable=API_BROWSABLE)
SPECTACULAR_SETTINGS = {
    "TITLE": "Envoy CRM API",
    "DESCRIPTION": "Stakeholders, trade exposure, outreach and briefing packets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI answer to the same role rule as every API view (a role-less token: 403).
    "SERVE_PERMISSIONS": ["core.permissions.RolePermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's initializer is served as a script file (SpectacularSwaggerSplitView): no inline JS.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    # One schema name for a choice set used by several apps' fields (person stance, stance observed).
    "ENUM_NAME_OVERRIDES": {
        "StanceEnum": "contacts.choices.Stance",
        "InteractionKindEnum": "outreach.choices.InteractionKind",
        "ContactKindEnum": "contacts.choices.ContactKind",
        "RelationshipKindEnum": "contacts.choices.RelationshipKind",
    },
    # Document the shared error envelope for 400/403/404 on every operation (after the enum hook).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "envoy.security": {"level": "INFO"},
    },
}

# Audit history (core.audit): models registered here, or with `@core.audit.track()` on the class.
AUDIT_TRACKED_MODELS = [
    "contacts.Person",
    "contacts.Organization",
    "contacts.Position",
    "contacts.Relationship",
    "contacts.ContactPoint",
    "contacts.StanceEntry",
    "contacts.OfficeTransition",
    "outreach.Interaction",
    "outreach.Commitment",
    "outreach.FollowUp",
    "outreach.Campaign",
    "outreach.CampaignTarget",
    "trade.TariffScenario",
    "trade.ScenarioRate",
    "trade.ScenarioChapterRate",
    "trade.DataRelease",
    "trade.TariffMeasure",
    "trade.UsmcaUtilization",
    "trade.TariffTimelineReview",
    "trade.ScenarioOverlay",
    "briefings.TalkingPoint",
    "briefings.PacketTemplate",
    "briefings.BriefingPacket",
]

# Product settings
CLASSIFICATION_MARKING = env("CLASSIFICATION_MARKING", default="PROTECTED B — CANADIAN EYES ONLY")
DEMO_USERNAME = env("DEMO_USERNAME", default="demo")
# Briefing packets: how long before a calendar meeting its packet is generated.
BRIEFING_MEETING_LEAD_HOURS = env.int("BRIEFING_MEETING_LEAD_HOURS", default=48)
