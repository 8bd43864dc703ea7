"""Stakeholder background work: the sweep of orphan import uploads, the daily rollover of offices."""

from __future__ import annotations

from celery import shared_task

from contacts.import_files import orphan_import_uploads_sweep
from contacts.services import transitions_roll_over


@shared_task(name="contacts.sweep_orphan_import_uploads", queue="default", time_limit=300, soft_time_limit=240)
def sweep_orphan_import_uploads() -> int:
    """Delete uploaded import files that no import row points at (see contacts.import_files)."""
    return len(orphan_import_uploads_sweep())


@shared_task(name="contacts.roll_over_offices", queue="default", time_limit=300, soft_time_limit=240)
def roll_over_offices() -> int:
    """Hand over the offices whose recorded transition date has come (idempotent; see the service)."""
    return transitions_roll_over()
