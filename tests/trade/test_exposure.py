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
    # Jobs are stored unrounded (to 6 places) and rounded once, at display.
    assert total.jobs_at_risk_central == (total.exports_at_risk_central * 5744 / Decimal(10**9)).quantize(
        Decimal("0.000001")
    )
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
        {
            "field": "us_duty_cost",
            "label": "US duty cost",
            "old": Decimal("570.00"),
            "new": Decimal("690.00"),
            "delta": Decimal("120.00"),
        }
    ]


def test_pillar_and_state_figures_are_sums_of_the_chapter_figures(world):
    from trade.models import Pillar, PillarHSCode

    state, scenario = world
    energy = Pillar.objects.create(code="energy", name="Energy")
    PillarHSCode.objects.create(pillar=energy, hs_code="27", hs_level="HS2", chapter_id=HSChapterFactory(code="27").pk)
    snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    figures = ExposureFigure.objects.filter(snapshot=snapshot, state=state)
    chapter = figures.get(hs_chapter__code="27")
    pillar = figures.get(pillar=energy)
    total = figures.get(pillar=None, hs_chapter=None)
    fields = ["imports_from_canada", "exports_to_canada", "us_duty_cost", "counter_duty_exposure"]
    assert [getattr(pillar, name) for name in fields] == [getattr(chapter, name) for name in fields]
    assert (pillar.imports_from_canada, pillar.us_duty_cost) == (Decimal("1200.00"), Decimal("120.00"))
    chapters = figures.filter(hs_chapter__isnull=False)
    assert total.us_duty_cost == sum(figure.us_duty_cost for figure in chapters) == Decimal("570.00")
    assert snapshot.figure_count == 4  # total, one pillar, two chapters


def test_refresh_runs_the_same_number_of_statements_for_more_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    state, scenario = world
    # Warm-up: the first refresh fills caches (content types, audit context) and has no previous snapshot.
    exposure.exposure_refresh(scenario=scenario, base_year=2023)
    with CaptureQueriesContext(connection) as small:
        exposure.exposure_refresh(scenario=scenario, base_year=2023)
    release = DataReleaseFactory()
    for index in range(20):
        other = StateFactory(code=f"Z{chr(65 + index)}")
        for month in range(1, 13):
            TradeFlowFactory(state=other, release=release, hs_chapter=HSChapterFactory(code="87"), month=month)
    with CaptureQueriesContext(connection) as large:
        snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2023)
    assert snapshot.status == SnapshotStatus.READY
    assert len(large.captured_queries) == len(small.captured_queries)
    trade_row_scans = [q["sql"] for q in large.captured_queries if "GROUP BY" in q["sql"] and "value_usd" in q["sql"]]
    assert len(trade_row_scans) == 1  # the one grouped state × chapter query


def test_annual_chapter_cells_win_over_monthly_detail_of_the_same_year_everywhere():
    from trade.selectors import trade_top_chapters_for_state

    state, chapter = StateFactory(code="MI"), HSChapterFactory(code="87")
    monthly, annual = DataReleaseFactory(), DataReleaseFactory()
    for month in range(1, 13):
        TradeFlowFactory(state=state, release=monthly, hs_chapter=chapter, month=month, flow="import", value_usd=100)
    TradeFlowFactory(state=state, release=annual, hs_chapter=chapter, flow="import", value_usd=1250)
    scenario = TariffScenarioFactory()
    snapshot = exposure.exposure_refresh(scenario=scenario)
    assert (snapshot.base_year, snapshot.base_months) == (2023, 12)
    total = ExposureFigure.objects.get(snapshot=snapshot, state=state, pillar=None, hs_chapter=None)
    assert total.imports_from_canada == Decimal("1250.00")
    assert [row["imports"] for row in trade_top_chapters_for_state(state=state, year=2023)] == [1250]


@pytest.mark.django_db(transaction=True)
def test_refreshing_every_scenario_commits_each_one_and_a_redelivery_completes(world, monkeypatch):
    """The refresh task of every scenario: scenario 2 failing keeps scenario 1's new snapshot committed
    (each scenario is its own transaction, not one for the whole task); the message stays incomplete, a
    redelivery refreshes both and completes it, and a later duplicate does nothing."""
    from django.db import connection

    from trade.tasks import refresh_exposure

    _, first = world
    second = TariffScenarioFactory(default_us_rate=Decimal("0.1"), default_ca_rate=Decimal("0.1"))
    message = OutboxMessage.objects.create(task_name="trade.refresh_exposure", kwargs={}, queue="imports")
    build = exposure._build

    def fail_second(*, scenario, **kwargs):
        if scenario.pk == second.pk:
            raise RuntimeError("scenario 2 broke")
        return build(scenario=scenario, **kwargs)

    monkeypatch.setattr(exposure, "_build", fail_second)
    with pytest.raises(RuntimeError, match="scenario 2 broke"):
        refresh_exposure(trigger="test", outbox_id=message.pk)
    assert not connection.in_atomic_block  # nothing left open: what is there is committed
    committed = snapshot_current(scenario=first)
    assert committed is not None and committed.status == SnapshotStatus.READY
    assert ExposureFigure.objects.filter(snapshot=committed).count() == committed.figure_count > 0
    assert not ExposureSnapshot.objects.filter(scenario=second).exists()
    message.refresh_from_db()
    assert message.completed_at is None

    monkeypatch.setattr(exposure, "_build", build)
    snapshot_ids = refresh_exposure(trigger="test", outbox_id=message.pk)
    assert len(snapshot_ids) == 2
    message.refresh_from_db()
    assert message.completed_at is not None
    assert snapshot_current(scenario=first).pk in snapshot_ids and snapshot_current(scenario=first) != committed
    assert snapshot_current(scenario=second).pk in snapshot_ids

    assert refresh_exposure(trigger="test", outbox_id=message.pk) is None
    assert ExposureSnapshot.objects.count() == 3
