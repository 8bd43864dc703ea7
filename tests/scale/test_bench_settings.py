"""The bench settings are production's, on plain loopback HTTP, with the query-count headers opt-in."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = {
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "DJANGO_SECRET_KEY": "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": "postgres://envoy:pw@127.0.0.1:5432/envoy_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/8",
    "CACHE_URL": "redis://127.0.0.1:6379/9",
}
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'debug': s.DEBUG, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'secure_cookie': s.SESSION_COOKIE_SECURE, "
    "'header': s.QUERY_COUNT_HEADER, 'first_middleware': s.MIDDLEWARE[0]}))"
)


def _settings(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(BENCH, **extra)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_bench_settings_are_production_on_loopback_http_with_the_header_off_by_default():
    assert _settings() == {
        "debug": False,
        "ssl_redirect": False,
        "secure_cookie": False,
        "header": False,
        "first_middleware": "core.middleware.QueryCountHeaderMiddleware",
    }


def test_environment_variable_turns_the_header_on():
    assert _settings(DJANGO_QUERY_COUNT_HEADER="true")["header"] is True
