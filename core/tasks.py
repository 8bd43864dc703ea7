"""Core periodic tasks."""

from celery import shared_task
from celery.signals import worker_ready

from core.jobs import outbox_dispatch, outbox_task


@shared_task(name="core.dispatch_outbox", ignore_result=True)
def dispatch_outbox() -> int:
    """Publish outbox messages left pending while the broker was unavailable."""
    return outbox_dispatch()


@worker_ready.connect
def _dispatch_on_worker_start(**kwargs) -> None:
    dispatch_outbox.delay()


@shared_task(name="core.ping")
@outbox_task
def ping() -> str:
    """A trivial task: the smoke test proves a message round-trips through the broker with it."""
    return "pong"
