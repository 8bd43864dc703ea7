"""Production: every secret comes from the environment and start-up stops when one is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REST_FRAMEWORK, api_renderers, env


def _required(name: str, cast=str):
    """Read a required variable; stop start-up with a message naming it when missing or malformed."""
    raw = env.str(name, default="")
    if not raw.strip():
        raise ImproperlyConfigured(f"Set the {name} environment variable (required in production).")
    try:
        return cast(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"The {name} environment variable is malformed: {exc}") from exc


def _secret_key(raw: str) -> str:
    if len(raw) < 50 or len(set(raw)) < 5:
        raise ValueError("use at least 50 characters with at least 5 distinct ones")
    return raw


def _host_list(raw: str) -> list[str]:
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    if not hosts or "*" in hosts:
        raise ValueError("give a comma-separated list of host names (no wildcard)")
    return hosts


DEBUG = False
# JSON only: the browsable HTML API is a development aid and is never served in production, whatever
# DJANGO_DEBUG or DJANGO_API_BROWSABLE say.
API_BROWSABLE = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(browsable=False)}
SECRET_KEY = _required("DJANGO_SECRET_KEY", _secret_key)
ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS", _host_list)
_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production (postgres://...).")
_required("CELERY_BROKER_URL")
_required("CACHE_URL")
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    # A per-process cache would let two web hosts show different coverage, chapter years and rankings.
    raise ImproperlyConfigured("CACHE_URL must point to Redis in production (redis://...).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
