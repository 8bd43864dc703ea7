"""Benchmarks: production settings on loopback HTTP, with the per-request query-count headers.

Everything that changes speed stays as in production (DEBUG off, cached templates, manifest static
files, persistent connections, PostgreSQL required). What changes: no HTTPS redirect or secure-only
cookies (the bench talks plain HTTP to 127.0.0.1), and `QUERY_COUNT_HEADER` (environment variable
`DJANGO_QUERY_COUNT_HEADER`, off by default) turns on `X-Query-Count`.
"""

from .production import *  # noqa: F403
from .production import MIDDLEWARE, env

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
QUERY_COUNT_HEADER = env.bool("DJANGO_QUERY_COUNT_HEADER", default=False)
# Outermost, so it also counts the session and user look-ups of the other middleware.
MIDDLEWARE = ["core.middleware.QueryCountHeaderMiddleware", *MIDDLEWARE]
# The load run is 20 users from one address on loopback: the API's per-user rate limit would be the
# thing measured otherwise.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"}}  # noqa: F405
