"""The Celery application: JSON only, time limits, late acks, named queues, database beat.

Queues: `default` (small follow-on work), `imports` (file imports, exposure refresh) and `packets`
(briefing generation), so heavy work can get workers of its own (`celery -A config worker -Q packets`). Each task names
its queue in its decorator.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("envoy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    accept_content=["json"],
    task_serializer="json",
    result_serializer="json",
    result_extended=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_time_limit=30 * 60,
    task_soft_time_limit=25 * 60,
    task_default_queue="default",
    task_queues=[Queue("default"), Queue("imports"), Queue("packets")],
    beat_scheduler="django_celery_beat.schedulers:DatabaseScheduler",
    broker_connection_retry_on_startup=True,
    timezone=os.environ.get("DJANGO_TIME_ZONE", "America/Toronto"),
)
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders() -> None:
    """The embedded broker keeps messages as files; its folders must exist before anyone publishes."""
    from django.conf import settings

    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender, **kwargs) -> None:
    if str(sender.conf.broker_url).startswith("filesystem://"):
        _ensure_filesystem_broker_folders()
