"""Shared plumbing for the bench scripts: environment, Django set-up, gunicorn, a logged-in session.

Everything talks to 127.0.0.1 only. The bench database is PostgreSQL (`BENCH_DATABASE`, default
`envoy_bench`); gunicorn runs the production settings minus HTTPS (`config.settings.bench`) with the
query-count headers on.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT_DIR = ROOT / "var" / "bench"
BENCH_USERNAME = "synthetic-staff-01"
BENCH_ADMIN_USERNAME = "synthetic-staff-02"
# One throwaway key per bench process, shared by gunicorn and the in-process session maker (sessions
# are signed with it) and not meant to outlive the run.
_SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "bench-" + secrets.token_urlsafe(48)


def bench_env(database: str) -> dict[str, str]:
    """The environment both gunicorn and the in-process measurements run with."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": env.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8"),
            "CACHE_URL": env.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
            "DJANGO_QUERY_COUNT_HEADER": "true",
            "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_SECRET_KEY": _SECRET_KEY,
        }
    )
    return env


def django_setup(database: str) -> None:
    os.environ.update(bench_env(database))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(database: str, *args: str, quiet: bool = False) -> None:
    """Run a management command against the bench database (a subprocess, like an operator would)."""
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(database),
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def ensure_database(database: str) -> None:
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {database}"], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database: str, *, workers: int = 2, port: int | None = None):
    """Start gunicorn on 127.0.0.1 for the duration of the block; yields the base URL."""
    port = port or free_port()
    log = (OUT_DIR / f"gunicorn-{port}.log").open("w")
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--timeout",
            "60",
        ],  # fmt: skip
        cwd=ROOT,
        env=bench_env(database),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {OUT_DIR}/gunicorn-*.log")
        try:
            requests.get(f"{base}/healthz", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def bench_session_cookie(*, username: str = BENCH_USERNAME, admin: bool = False) -> tuple[str, str]:
    """Log a synthetic staff member in the way Django's test client `force_login` does.

    Returns the session cookie (name, value). Pages, the API and the load run use the first synthetic
    staff member, a Lead (the typical user; it owns a fifth of the synthetic records and has
    follow-ups, so "my" panels are realistic). Admin changelists use another one promoted to Admin,
    whose session has passed its second factor (Admin pages require one), as after a real login.
    The session is created directly rather than through the login form, so the run does not depend
    on login throttling or on typing a one-time code.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from core.roles import Role
    from core.services import user_set_role

    user = get_user_model().objects.get(username=username)
    user_set_role(user=user, role=Role.ADMIN if admin else Role.LEAD)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend a password login records (the first one that can load users from the session).
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if admin:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from core.twofactor import ENROLLED_SESSION_KEY

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[ENROLLED_SESSION_KEY] = True
    store.create()
    return settings.SESSION_COOKIE_NAME, store.session_key


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-pct * len(ordered) // 100)))
    return ordered[rank - 1]
