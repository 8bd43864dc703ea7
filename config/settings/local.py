"""Local development: embedded defaults (SQLite, filesystem broker), debug on."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, api_renderers, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Local only: a fixed development key is acceptable because production requires its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")  # nosec B105
# Development: the browsable API follows the local DEBUG unless DJANGO_API_BROWSABLE says otherwise.
API_BROWSABLE = env.bool("DJANGO_API_BROWSABLE", default=DEBUG)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(browsable=API_BROWSABLE)}
