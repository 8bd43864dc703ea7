"""Test settings: fast hashing, in-memory email, Celery tasks run eagerly unless a test asks otherwise."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, api_renderers, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")  # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests serve the browsable API, as development does, so the permission tests prove its HTML forms
# follow the confidential-field rule; tests of production's JSON-only API override this.
API_BROWSABLE = env.bool("DJANGO_API_BROWSABLE", default=True)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(browsable=API_BROWSABLE)}
LANGUAGE_CODE = "en"
# Always this process's memory, whatever CACHE_URL says: every test clears the cache (tests/conftest.py),
# which on a shared Redis would wipe the entries of everything else using it, other test processes too.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": "envoy"}}
