"""Local development: embedded defaults (SQLite, filesystem broker), debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Local only: a fixed development key is acceptable because production requires its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")  # nosec B105
