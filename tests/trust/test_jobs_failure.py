"""Jobs under failure: one run per scheduled slot with concurrent beats; outbox survives a Redis outage."""

import os
import re
import shutil
import subprocess  # nosec B404
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from core.jobs import job_enqueue, job_slot_claim
from core.models import JobSlot, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
on_postgres = connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_beats_claim_a_slot_once():
    """Eight concurrent claimers (as if several beat processes fired the same slot): exactly one wins."""
    contenders = 8
    barrier = threading.Barrier(contenders)
    results: list[bool] = []
    lock = threading.Lock()

    def claim():
        try:
            barrier.wait()
            won = job_slot_claim(job="daily-digest", slot="2026-11-25T09:00Z")
            with lock:
                results.append(won)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * (contenders - 1) + [True]
    assert JobSlot.objects.filter(job="daily-digest").count() == 1


REDIS_PORT = 6390


def _redis_up(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def _start_redis(tmp_path: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # nosec B603
        [
            shutil.which("redis-server"),
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if _redis_up(REDIS_PORT):
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), reason="needs Redis (CELERY_BROKER_URL)"
)
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
@pytest.mark.skipif(not on_postgres, reason="the worker subprocess must see the test database")
@pytest.mark.django_db(transaction=True)
def test_outbox_survives_redis_outage_and_each_task_runs_once(tmp_path):
    """Our own Redis on another port (the machine's Redis is never touched): enqueue 20 jobs while it
    is down, start it, run a real worker, and see each task run exactly once."""
    from config.celery import app

    assert not _redis_up(REDIS_PORT), f"port {REDIS_PORT} is busy"
    broker = f"redis://127.0.0.1:{REDIS_PORT}/6"
    redis_server = _start_redis(tmp_path)
    _stop(redis_server)  # the outage
    assert not _redis_up(REDIS_PORT)

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = broker, False
    app.pool.force_close_all()
    worker = None
    try:
        messages = []
        for _ in range(20):
            with transaction.atomic():
                messages.append(job_enqueue("core.ping", kwargs={}))
        pending = OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
        # Every write succeeded; nothing reached the broker, and the rows wait.
        assert pending.count() == 20
        assert pending.filter(dispatched_at__isnull=True).count() == 20
        assert pending.exclude(last_error="").exists()

        redis_server = _start_redis(tmp_path)
        params = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": (
                f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
            ),
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "CELERY_RESULT_BACKEND": "cache+memory://",
        }
        log_path = tmp_path / "worker.log"
        with log_path.open("w") as log:
            worker = subprocess.Popen(  # nosec B603
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default", "--concurrency", "2"]
                + ["--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            # The worker dispatches pending outbox rows when it starts; wait until all ran (safety bound
            # only, not a performance assertion).
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and pending.filter(completed_at__isnull=True).exists():
                assert worker.poll() is None, log_path.read_text()[-3000:]
                time.sleep(0.5)
            # A second sweep (as beat would do every minute) finds nothing left to send.
            from core.jobs import outbox_dispatch

            assert outbox_dispatch() == 0
            time.sleep(1)
        output = log_path.read_text()
        assert pending.filter(completed_at__isnull=True).count() == 0, output[-3000:]
        runs = re.findall(r"Task core\.ping\[outbox-(\d+)\] succeeded", output)
        assert sorted(int(pk) for pk in runs) == sorted(m.pk for m in messages)
    finally:
        if worker is not None:
            _stop(worker)
        _stop(redis_server)
        app.conf.broker_url, app.conf.task_always_eager = saved
        app.pool.force_close_all()
