"""The figures the issue lists, asserted against the bundled source files (loaded once for this module)."""

import csv
import gzip
import io
import math
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from trade.choices import Flow, ImportStatus
from trade.models import (
    DataRelease,
    ExposureFigure,
    ExposureMeasureFigure,
    ExposureSnapshot,
    HSChapter,
    ImportRun,
    NationalTradeFlow,
    Pillar,
    PillarHSCode,
    ScenarioChapterRate,
    ScenarioMeasureRate,
    ScenarioOverlay,
    State,
    StateEconomics,
    TariffMeasure,
    TariffScenario,
    TariffTimelineReview,
    TradeFlow,
    UsmcaUtilization,
)
from trade.public_data import load_reference, load_scenarios, load_trade
from trade.selectors import scenario_get, snapshot_current

DATA = Path(settings.BASE_DIR) / "data" / "trade"


@pytest.fixture(scope="module")
def bundled(django_db_setup, django_db_blocker):
    """Load every bundled trade file once, outside the per-test transactions; remove it afterwards."""
    with django_db_blocker.unblock():
        for loader in (load_reference, load_trade, load_scenarios):
            loader(stdout=io.StringIO())
        yield
        ExposureFigure.objects.all().delete()
        ExposureMeasureFigure.objects.all().delete()
        ExposureSnapshot.objects.all().delete()
        ScenarioChapterRate.objects.all().delete()
        ScenarioMeasureRate.objects.all().delete()
        ScenarioOverlay.objects.all().delete()
        TariffScenario.objects.update(previous_version=None)
        TariffScenario.objects.all().delete()
        TariffMeasure.objects.all().delete()
        UsmcaUtilization.objects.all().delete()
        TariffTimelineReview.objects.all().delete()
        TradeFlow.objects.all().delete()
        NationalTradeFlow.objects.all().delete()
        ImportRun.objects.all().delete()
        DataRelease.objects.all().delete()
        # Reference rows too, so later tests start from an empty database as pytest-django promises.
        StateEconomics.objects.all().delete()
        PillarHSCode.objects.all().delete()
        Pillar.objects.all().delete()
        HSChapter.objects.all().delete()
        State.objects.all().delete()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled")]


def _csv(name):
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_2024_exports_and_imports_summed_over_states_to_the_dollar():
    totals = dict(
        TradeFlow.objects.effective().annual_totals().filter(year=2024).values_list("flow").annotate(Sum("value_usd"))
    )
    assert totals == {Flow.EXPORT: 348_503_416_208, Flow.IMPORT: 412_695_719_877}
    assert round(totals[Flow.EXPORT] / 1e9, 1) == 348.5
    assert round(totals[Flow.IMPORT] / 1e9, 1) == 412.7


def test_every_year_and_state_equals_the_source_file():
    source = {
        (int(r["year"]), r["state"], r["flow"]): int(r["value_usd"])
        for r in _csv("bts_state_canada_annual_1993_2025.csv")
    }
    stored = {
        (year, code, flow): value
        for year, code, flow, value in TradeFlow.objects.effective()
        .annual_totals()
        .values_list("year", "state__code", "flow", "value_usd")
    }
    assert len(source) == 3432
    assert stored == source


def test_state_by_chapter_totals_equal_the_source_files():
    annual = {
        (int(r["year"]), r["state"], r["flow"], r["hs2"]): int(r["value_usd"])
        for r in _csv("bts_state_hs2_canada_annual_2020_2024.csv")
    }
    stored = {
        (row["year"], row["state__code"], row["flow"], row["hs_chapter__code"]): row["total"]
        for row in TradeFlow.objects.effective()
        .filter(hs_chapter__isnull=False, year__gte=2020)
        .values("year", "state__code", "flow", "hs_chapter__code")
        .annotate(total=Sum("value_usd"))
    }
    assert stored == annual
    with gzip.open(DATA / "bts_state_hs2_canada_monthly.csv.gz", "rt") as handle:
        monthly_total = sum(int(r["value_usd"]) for r in csv.DictReader(handle))
    assert TradeFlow.objects.effective().chapter_detail().aggregate(t=Sum("value_usd"))["t"] == monthly_total


def test_full_years_of_chapter_detail_equal_the_state_totals():
    for year in (2021, 2022, 2023):
        detail = dict(
            TradeFlow.objects.effective()
            .chapter_detail()
            .filter(year=year)
            .values_list("flow")
            .annotate(Sum("value_usd"))
        )
        totals = dict(
            TradeFlow.objects.effective()
            .annual_totals()
            .filter(year=year)
            .values_list("flow")
            .annotate(Sum("value_usd"))
        )
        assert detail == totals


def test_national_chapter_totals_equal_the_source_file():
    source = defaultdict(int)
    for r in _csv("bts_national_hs2_canada_annual_2007_2025.csv"):
        source[(int(r["year"]), r["flow"])] += int(r["value_usd"])
    stored = {
        (year, flow): total
        for year, flow, total in NationalTradeFlow.objects.values_list("year", "flow").annotate(Sum("value_usd"))
    }
    assert stored == dict(source)


def test_loading_again_changes_nothing():
    counts = (
        TradeFlow.objects.count(),
        DataRelease.objects.count(),
        TariffScenario.objects.count(),
        ExposureSnapshot.objects.count(),
    )
    load_trade(stdout=io.StringIO())
    load_scenarios(stdout=io.StringIO())
    assert (
        TradeFlow.objects.count(),
        DataRelease.objects.count(),
        TariffScenario.objects.count(),
        ExposureSnapshot.objects.count(),
    ) == counts
    assert set(ImportRun.objects.order_by("-id").values_list("status", flat=True)[:3]) == {ImportStatus.UNCHANGED}


def test_exposure_for_michigan_computed_by_hand_equals_the_engine():
    scenario = scenario_get(slug="us-usmca-exempt-plus-canada-counter-2025")
    snapshot = snapshot_current(scenario=scenario)
    assert snapshot.base_year == 2023 and snapshot.base_months == 12
    exports, imports = defaultdict(int), defaultdict(int)
    with gzip.open(DATA / "bts_state_hs2_canada_monthly.csv.gz", "rt") as handle:
        for r in csv.DictReader(handle):
            if r["year"] == "2023" and r["state"] == "MI":
                (exports if r["flow"] == "export" else imports)[r["hs2"]] += int(r["value_usd"])
    counter_chapters = {"09", "20", "22", "33", "47", "48", "61", "62", "64", "72", "73", "76", "82", "95"}
    exempt = 0.379
    duty = sum(value * (0.10 if ch in {"27", "31"} else 0.25) * (1 - exempt) for ch, value in imports.items())
    counter = sum(value * 0.25 for ch, value in exports.items() if ch in counter_chapters)
    risk_central = counter / 0.25 * (1 - 1.25**-1.38)
    jobs_central = risk_central * 5744 / 1e9
    figure = ExposureFigure.objects.get(snapshot=snapshot, state__code="MI", pillar=None, hs_chapter=None)
    assert figure.imports_from_canada == sum(imports.values())
    assert figure.exports_to_canada == sum(exports.values())
    assert math.isclose(float(figure.us_duty_cost), duty, abs_tol=0.01)
    assert figure.counter_duty_exposure == Decimal(counter).quantize(Decimal("0.01"))
    assert math.isclose(float(figure.exports_at_risk_central), risk_central, abs_tol=0.01)
    assert math.isclose(float(figure.jobs_at_risk_central), jobs_central, abs_tol=0.05)
    gdp = State.objects.get(code="MI").economics.get(year=2022).gdp_usd
    assert math.isclose(
        float(figure.two_way_trade_share_of_gdp),
        (sum(exports.values()) + sum(imports.values())) / float(gdp),
        abs_tol=1e-9,
    )


def test_every_bundled_snapshot_passed_its_checks_and_ranks_states():
    for scenario in TariffScenario.objects.current_versions():
        snapshot = snapshot_current(scenario=scenario)
        assert snapshot is not None
        assert all(check["ok"] for check in snapshot.checks), snapshot.checks
        ranks = list(
            snapshot.figures.filter(pillar=None, hs_chapter=None, rank__isnull=False)
            .order_by("rank")
            .values_list("rank", flat=True)
        )
        assert ranks == list(range(1, 52))  # 50 states + DC; DU is not ranked
        assert snapshot.releases.count() == 1


def test_all_99_chapters_and_pillar_map_are_seeded():
    assert HSChapter.objects.count() == 99
    assert TradeFlow.objects.filter(hs_chapter__isnull=True, month__isnull=False).count() == 0
