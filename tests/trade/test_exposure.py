from decimal import Decimal

import pytest

from core.models import OutboxMessage
from tests.trade.factories import (
    DataReleaseFactory,
    HSChapterFactory,
    StateFactory,
    TariffScenarioFactory,
    TradeFlowFactory,
)
from trade import exposure
from trade.choices import SnapshotStatus
from trade.models import ExposureFigure, ExposureSnapshot, ScenarioRate, TariffScenario
from trade.selectors import snapshot_current, snapshot_diff_for_state
from trade.services import scenario_revise

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    release = DataReleaseFactory()
    energy, cars = HSChapterFactory(code="27"), HSChapterFactory(code="87")
    state = StateFactory(code="MI")
    for month in range(1, 13):
        TradeFlowFactory(state=state, release=release, hs_chapter=energy, month=month, flow="import", value_usd=100)
        TradeFlowFactory(state=state, release=release, hs_chapter=cars, month=month, flow="import", value_usd=300)
        TradeFlowFactory(state=state, release=release, hs_chapter=cars, month=month, flow="export", value_usd=200)
    scenario = TariffScenarioFactory(
        default_us_rate=Decimal("0.25"), default_usmca_exempt_share=Decimal("0.5"), default_ca_rate=Decimal("0.25")
    )
    ScenarioRate.objects.create(
        scenario=scenario,
        hs_chapter=energy,
        us_rate=Decimal("0.10"),
        usmca_exempt_share=Decimal("0"),
        ca_rate=Decimal("0"),
    )
    return state, scenario


def test_engine_figures_equal_the_formulas(world):
    state, scenario = world
    snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    total = ExposureFigure.objects.get(snapshot=snapshot, state=state, pillar=None, hs_chapter=None)
    assert total.imports_from_canada == Decimal("4800.00")
    assert total.exports_to_canada == Decimal("2400.00")
    # 1200 × 0.10 × (1 − 0) + 3600 × 0.25 × (1 − 0.5)
    assert total.us_duty_cost == Decimal("570.00")
    assert total.counter_duty_exposure == Decimal("600.00")
    factor = 1 - 1.25**-1.38
    assert total.exports_at_risk_central == Decimal(str(round(2400 * factor, 2)))
    assert total.jobs_at_risk_central == Decimal("0.0")
    assert total.rank == 1
    assert snapshot.is_current and snapshot.status == SnapshotStatus.READY


def test_a_refresh_killed_midway_leaves_the_previous_snapshot_current(world, monkeypatch):
    _, scenario = world
    first = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    figures = ExposureFigure.objects.count()

    def die(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(exposure, "_rank", die)
    with pytest.raises(RuntimeError):
        exposure.exposure_refresh(scenario=scenario, base_year=2023)
    assert snapshot_current(scenario=scenario) == first
    assert ExposureSnapshot.objects.count() == 1
    assert ExposureFigure.objects.count() == figures


def test_failed_checks_keep_the_previous_snapshot_and_record_the_failure(world, monkeypatch):
    _, scenario = world
    first = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    monkeypatch.setattr(
        exposure, "_checks", lambda **kw: [{"name": "x", "ok": False, "blocking": True, "detail": "broken"}]
    )
    failed = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    assert failed.status == SnapshotStatus.FAILED and not failed.is_current
    assert failed.figures.count() == 0
    assert snapshot_current(scenario=scenario) == first


def test_revising_a_scenario_creates_a_new_version_and_queues_its_refresh(world, lead):
    _, scenario = world
    new = scenario_revise(scenario=scenario, changes={"default_us_rate": Decimal("0.35")}, actor=lead)
    scenario.refresh_from_db()
    assert (new.version, new.is_current_version, new.default_us_rate) == (2, True, Decimal("0.35"))
    assert (scenario.is_current_version, scenario.default_us_rate) == (False, Decimal("0.25"))
    assert list(new.rates.values_list("hs_chapter__code", "us_rate")) == [("27", Decimal("0.1000"))]
    assert OutboxMessage.objects.filter(task_name="trade.refresh_exposure", kwargs__scenario_slug=new.slug).count() == 1
    assert TariffScenario.objects.filter(slug=scenario.slug).count() == 2


def test_snapshot_diff_lists_what_changed_for_a_state(world):
    state, scenario = world
    old = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    ScenarioRate.objects.filter(scenario=scenario).update(us_rate=Decimal("0.20"))
    new = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    total = next(row for row in snapshot_diff_for_state(state=state, old=old, new=new) if row["pillar"] is None)
    assert total["changes"] == [
        {"field": "us_duty_cost", "old": Decimal("570.00"), "new": Decimal("690.00"), "delta": Decimal("120.00")}
    ]
