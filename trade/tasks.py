"""Celery tasks for trade: imports and exposure refresh run on the `imports` queue."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.jobs import job_slot_claim, outbox_task
from trade.exposure import exposure_refresh, exposure_refresh_all, exposure_refresh_rolling
from trade.models import ImportRun, TariffScenario
from trade.selectors import scenario_get


@shared_task(name="trade.refresh_exposure", queue="imports", soft_time_limit=20 * 60, time_limit=25 * 60)
@outbox_task(atomic=False)
def refresh_exposure(*, scenario_slug: str | None = None, trigger: str = "") -> list[int]:
    """Refresh one scenario's current version (by slug) or every current scenario; returns snapshot ids.

    Each scenario commits on its own (see `exposure_refresh_all`): a failure in one keeps the others'
    new snapshots. A redelivery refreshes again, which is safe: it only makes a newer current snapshot.
    """
    if scenario_slug:
        try:
            scenario = scenario_get(slug=scenario_slug)
        except TariffScenario.DoesNotExist:
            return []
        return [exposure_refresh(scenario=scenario, trigger=trigger).pk]
    return [snapshot.pk for snapshot in exposure_refresh_all(trigger=trigger)]


@shared_task(name="trade.refresh_exposure_nightly", queue="imports", soft_time_limit=40 * 60, time_limit=45 * 60)
def refresh_exposure_nightly() -> list[int]:
    """Beat entry: one run per night even with two beat processes or a retry."""
    if not job_slot_claim(job="trade.refresh_exposure_nightly", slot=timezone.localdate().isoformat()):
        return []
    return [snapshot.pk for snapshot in exposure_refresh_all(trigger="nightly")]


@shared_task(name="trade.refresh_rolling_regimes", queue="imports", soft_time_limit=20 * 60, time_limit=25 * 60)
def refresh_rolling_regimes() -> list[int]:
    """Beat entry: on a day a tariff measure starts or ends, recompute the 'in force today' scenarios
    so pages switch regimes that morning rather than at the nightly refresh."""
    today = timezone.localdate()
    if not job_slot_claim(job="trade.refresh_rolling_regimes", slot=today.isoformat()):
        return []
    return [snapshot.pk for snapshot in exposure_refresh_rolling(today=today, trigger="measure start or end")]


@shared_task(name="trade.import_file", queue="imports", soft_time_limit=20 * 60, time_limit=25 * 60)
@outbox_task
def import_file(*, path: str, format: str, file_name: str, skip_invalid: bool = False, user_id=None) -> int:
    """Import a file saved by the admin upload page; returns the ImportRun id."""
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from trade.services import trade_file_import

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run: ImportRun = trade_file_import(
        content=Path(path).read_bytes(), file_name=file_name, format=format, skip_invalid=skip_invalid, user=user
    )
    return run.pk
