import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789"


def _run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "crm.example.org",
    "DATABASE_URL": "postgres://envoy:pw@127.0.0.1:5432/envoy",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_production_settings_pass_deploy_check():
    result = _run_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_SECRET_KEY", "", "DJANGO_SECRET_KEY"),
        ("DJANGO_SECRET_KEY", "short", "DJANGO_SECRET_KEY environment variable is malformed"),
        ("DJANGO_ALLOWED_HOSTS", "", "DJANGO_ALLOWED_HOSTS"),
        ("DJANGO_ALLOWED_HOSTS", "*", "DJANGO_ALLOWED_HOSTS environment variable is malformed"),
        ("DATABASE_URL", "", "DATABASE_URL"),
        ("DATABASE_URL", "sqlite:///x.db", "DATABASE_URL must point to PostgreSQL"),
        ("CELERY_BROKER_URL", "", "CELERY_BROKER_URL"),
        ("CACHE_URL", "", "CACHE_URL"),
        ("CACHE_URL", "locmemcache://", "CACHE_URL must point to Redis"),
    ],
)
def test_production_refuses_to_start_without_required_settings(variable, value, message):
    result = _run_check({**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_database_url_parsing():
    env = environ.Env()
    parsed = env.db_url_config("postgres://envoy:secret@db.internal:5433/envoy")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == ("db.internal", 5433, "envoy")


def test_default_broker_needs_no_server(settings):
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert {q.name for q in app.conf.task_queues} == {"default", "imports", "packets"}
    assert app.conf.beat_scheduler.startswith("django_celery_beat")


def test_env_example_lists_every_variable_read_by_settings():
    example = (ROOT / ".env.example").read_text()
    source = "".join(p.read_text() for p in (ROOT / "config" / "settings").glob("*.py"))
    import re

    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'_required\("([A-Z_]+)"', source)
    )
    missing = sorted(name for name in names if f"{name}=" not in example)
    assert not missing, f"add to .env.example: {missing}"


def _production_value(expression: str, **overrides: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update({**PRODUCTION, **overrides})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_serves_the_api_as_json_only_whatever_the_environment_says():
    renderers = _production_value(
        "settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']", DJANGO_DEBUG="true", DJANGO_API_BROWSABLE="true"
    )
    assert renderers == "['rest_framework.renderers.JSONRenderer']"


def test_production_answers_html_requests_to_the_api_without_the_browsable_api():
    # Anonymous requests: content negotiation runs before authentication, so no database is needed.
    answers = _production_value(
        "[(r.status_code, r['Content-Type'])"
        " for c in [__import__('django.test').test.Client(HTTP_HOST='crm.example.org')]"
        " for r in (c.get('/api/interactions/?format=api', secure=True),"
        " c.get('/api/interactions/', secure=True, HTTP_ACCEPT='text/html'))]",
        DJANGO_API_BROWSABLE="true",
    )
    assert answers == "[(404, 'application/json'), (406, 'application/json')]"


def test_production_cache_is_the_shared_redis_with_versioned_keys():
    """Several web hosts must agree on cached coverage, chapter years and rankings: one Redis for all."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_"))}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "envoy",
    }


def test_tests_keep_the_local_memory_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
