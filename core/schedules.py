"""Default beat schedule, defined in code and installed into django-celery-beat's tables.

Each app may define `SCHEDULES` in its own `schedules.py`: a list of dicts with `name`, `task`,
`crontab` (a dict of crontab fields) or `every_seconds`, optional `kwargs` and `queue`.
Installing creates missing entries and leaves existing ones alone, so an admin's edits stay.
"""

from __future__ import annotations

import json
from importlib import import_module

from django.apps import apps

SCHEDULES = [
    {"name": "Dispatch pending outbox messages", "task": "core.dispatch_outbox", "every_seconds": 60},
]


def default_schedules() -> list[dict]:
    found: list[dict] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedules")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "SCHEDULES", []))
    return found


def schedules_install() -> tuple[int, int]:
    """Create the default periodic tasks that do not exist yet; returns (created, kept)."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = kept = 0
    for entry in default_schedules():
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            kept += 1
            continue
        fields = {
            "task": entry["task"],
            "kwargs": json.dumps(entry.get("kwargs", {})),
            "queue": entry.get("queue"),
            "description": entry.get("description", ""),
        }
        if "crontab" in entry:
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone="UTC")
        else:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=entry["every_seconds"], period=IntervalSchedule.SECONDS
            )
        PeriodicTask.objects.create(name=entry["name"], **fields)
        created += 1
    return created, kept
