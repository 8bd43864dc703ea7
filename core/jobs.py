"""Dispatching Celery work through the database outbox, and one-run-per-slot claims."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import KombuError

from core.models import JobSlot, OutboxMessage

log = logging.getLogger(__name__)


def job_enqueue(
    task_name: str, *, kwargs: dict | None = None, queue: str = "default", dedupe_key: str | None = None
) -> OutboxMessage:
    """Record a task in the outbox (inside the caller's transaction) and publish it after commit.

    A `dedupe_key` makes enqueueing idempotent: a second call with the same key returns the first row.
    """
    if dedupe_key:
        message, _ = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"task_name": task_name, "kwargs": kwargs or {}, "queue": queue}
        )
    else:
        message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs or {}, queue=queue)
    transaction.on_commit(lambda: outbox_dispatch(ids=[message.pk]))
    return message


def outbox_dispatch(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Publish pending outbox messages; returns how many were sent. Broker errors leave rows pending."""
    from config.celery import app

    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True).order_by("id")
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    messages = list(pending[:limit])
    if not messages:
        return 0
    if app.conf.task_always_eager:
        return _outbox_run_eagerly(app, messages)
    sent = 0
    with publish_connection(app) as broker:
        for message in messages:
            try:
                app.send_task(
                    message.task_name,
                    kwargs={**message.kwargs, "outbox_id": message.pk},
                    queue=message.queue,
                    task_id=f"outbox-{message.pk}",
                    retry=False,
                    connection=broker,
                )
            except (KombuError, OSError) as exc:
                log.warning("outbox: could not publish %s: %s", message, exc)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:2000]
                )
                break
            OutboxMessage.objects.filter(pk=message.pk).update(
                dispatched_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
            sent += 1
    return sent


def publish_connection(app):
    """A broker connection that fails fast: one connect attempt with a short timeout, no retries.

    Publishing runs after a request's commit; with kombu's defaults an unreachable broker held each
    request for about 6 s (connect retries until the 4 s connection timeout, then more). The outbox row
    stays pending and the beat sweep publishes it once the broker is back, so waiting buys nothing.
    """
    timeout = settings.OUTBOX_PUBLISH_CONNECT_TIMEOUT
    return app.connection_for_write(
        connect_timeout=timeout, transport_options={"max_retries": 0, "socket_connect_timeout": timeout}
    )


def _outbox_run_eagerly(app, messages: list[OutboxMessage]) -> int:
    """Eager mode (tests, one-off commands): run in-process exactly like a worker would."""
    for message in messages:
        OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now(), attempts=F("attempts") + 1)
        if message.task_name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[message.task_name].apply(kwargs={**message.kwargs, "outbox_id": message.pk}, throw=True)
    return len(messages)


def outbox_task(func: Callable | None = None, *, atomic: bool = True) -> Callable:
    """Wrap a task body so a message delivered twice runs once: the first completion wins.

    The task receives `outbox_id` from the dispatcher (absent when called directly).

    `@outbox_task` runs the body and records the completion in one transaction: the body's writes and
    "done" commit together or not at all, so a redelivery after a crash finds either both or neither.
    `@outbox_task(atomic=False)` is for bodies that commit in steps on purpose (a refresh of every
    scenario, each in its own transaction, so no step holds its locks while the others run); the
    completion is recorded after the body returns, so a body that dies midway runs again from the start
    on redelivery and must be safe to repeat. Either way a second delivery waits while the first runs
    (a lock on the message) and then finds it complete.
    """
    if func is None:
        return lambda body: outbox_task(body, atomic=atomic)

    @wraps(func)
    def wrapper(*args, outbox_id: int | None = None, **kwargs):
        if outbox_id is None:
            return func(*args, **kwargs)
        if atomic:
            with transaction.atomic():
                message = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
                if message is None or message.completed_at is not None:
                    return None
                result = func(*args, **kwargs)
                OutboxMessage.objects.filter(pk=outbox_id).update(completed_at=timezone.now())
                return result
        with _message_lock(outbox_id):
            if not OutboxMessage.objects.filter(pk=outbox_id, completed_at__isnull=True).exists():
                return None
            result = func(*args, **kwargs)
            OutboxMessage.objects.filter(pk=outbox_id, completed_at__isnull=True).update(completed_at=timezone.now())
            return result

    return wrapper


@contextmanager
def _message_lock(outbox_id: int) -> Iterator[None]:
    """Hold a lock on one outbox message across the transactions its body commits.

    On PostgreSQL a session-level advisory lock: it outlives each commit and the server drops it when a
    killed worker's connection goes, so a redelivery never waits for a dead worker. SQLite (one file,
    one writer at a time, the embedded broker never redelivers) needs none.
    """
    if connection.vendor != "postgresql":
        yield
        return
    key = f"core.outbox:{outbox_id}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])


def job_slot_claim(*, job: str, slot: str) -> bool:
    """True for the first caller of a (job, slot) pair, False for every later one."""
    try:
        with transaction.atomic():
            JobSlot.objects.create(job=job, slot=slot)
    except IntegrityError:
        return False
    return True
