"""The exposure engine: what a tariff scenario version would cost each state, from one base year of data.

Everything that touches trade rows is set-based: one grouped query per scenario sums the base year's
rows per state × chapter, weighted by the scenario's per-chapter rates (a join). Pillar and state figures
are sums of those aggregated rows (at most states × 99), since every rate is constant within a chapter;
Python never walks trade rows. See docs/methodology.md and docs/performance.md.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainValidationError
from trade.choices import Flow, MeasureSide, SnapshotStatus
from trade.models import (
    DataRelease,
    ExposureFigure,
    ExposureMeasureFigure,
    ExposureSnapshot,
    HSChapter,
    Pillar,
    PillarHSCode,
    ScenarioChapterRate,
    ScenarioMeasureRate,
    StateEconomics,
    TariffScenario,
    TradeFlow,
)
from trade.regime import Regime, measure_change_dates, regime_on, scenario_regime_date

log = logging.getLogger(__name__)

CENT = Decimal("0.01")
JOBS = Decimal("0.000001")
SHARE = Decimal("0.0000000001")
BILLION = Decimal("1000000000")
MONEY = DecimalField(max_digits=30, decimal_places=10)


class SnapshotCheckFailed(Exception):
    def __init__(self, checks: list[dict]):
        super().__init__("exposure snapshot checks failed")
        self.checks = checks


def _risk_factor(ca_rate: Decimal, elasticity: Decimal) -> Decimal:
    """1 − (1 + t)^(−ε): the share of exports lost to a counter-duty t with trade elasticity ε."""
    if ca_rate == 0:
        return Decimal("0")
    factor = 1 - (1 + float(ca_rate)) ** (-float(elasticity))
    return Decimal(str(round(factor, 10)))


def regime_rates_resolve(*, scenario: TariffScenario, regime: Regime) -> dict[int, ScenarioChapterRate]:
    """Rebuild a regime scenario's rate tables from its measures: one row per measure × chapter with the
    measure's effective rate (ScenarioMeasureRate), and the per-chapter sums the totals use."""
    chapters = dict(HSChapter.objects.values_list("code", "id"))
    ScenarioMeasureRate.objects.filter(scenario=scenario).delete()
    ScenarioMeasureRate.objects.bulk_create(
        ScenarioMeasureRate(scenario=scenario, measure=measure, hs_chapter_id=chapters[code], effective_rate=rate)
        for code, rows in regime.rates.items()
        for measure, rate in rows
    )
    resolved: dict[int, ScenarioChapterRate] = {}
    for code, chapter_id in chapters.items():
        us, ca = regime.chapter_totals(code)
        resolved[chapter_id] = ScenarioChapterRate(
            scenario=scenario,
            hs_chapter_id=chapter_id,
            us_rate=us.quantize(Decimal("0.0001")),
            usmca_exempt_share=Decimal("0"),
            ca_rate=ca.quantize(Decimal("0.0001")),
            us_effective_rate=us.quantize(SHARE),
            risk_factor_low=_risk_factor(ca, scenario.elasticity_low),
            risk_factor_central=_risk_factor(ca, scenario.elasticity_central),
            risk_factor_high=_risk_factor(ca, scenario.elasticity_high),
        )
    ScenarioChapterRate.objects.filter(scenario=scenario).delete()
    ScenarioChapterRate.objects.bulk_create(resolved.values())
    return resolved


def chapter_rates_resolve(
    *, scenario: TariffScenario, today: datetime.date | None = None
) -> dict[int, ScenarioChapterRate]:
    """The scenario's per-chapter rate table, whichever kind it is: from its dated measures (regime
    scenarios) or from its hand-set rates. The benchmark's baseline uses this too."""
    if scenario.is_regime:
        regime = regime_on(scenario_regime_date(scenario, today=today), scenario=scenario)
        return regime_rates_resolve(scenario=scenario, regime=regime)
    return scenario_rates_resolve(scenario=scenario)


def scenario_rates_resolve(*, scenario: TariffScenario) -> dict[int, ScenarioChapterRate]:
    """Rebuild the scenario's per-chapter rate table: chapter row > pillar row > scenario defaults.

    When two pillars with rate rows share a chapter, the higher US rate (then higher Canadian rate) wins.
    """
    chapter_rows = {rate.hs_chapter_id: rate for rate in scenario.rates.filter(hs_chapter__isnull=False)}
    pillar_rates = list(scenario.rates.filter(pillar__isnull=False))
    pillar_chapters: dict[int, set[int]] = {}
    for pillar_id, chapter_id in PillarHSCode.objects.filter(
        counts_at_chapter_level=True, pillar_id__in=[rate.pillar_id for rate in pillar_rates]
    ).values_list("pillar_id", "chapter_id"):
        pillar_chapters.setdefault(pillar_id, set()).add(chapter_id)
    resolved: dict[int, ScenarioChapterRate] = {}
    for chapter_id in HSChapter.objects.values_list("id", flat=True):
        source = chapter_rows.get(chapter_id)
        if source is None:
            candidates = [rate for rate in pillar_rates if chapter_id in pillar_chapters.get(rate.pillar_id, ())]
            source = max(candidates, key=lambda rate: (rate.us_rate, rate.ca_rate), default=None)
        if source is None:
            us, exempt, ca = scenario.default_us_rate, scenario.default_usmca_exempt_share, scenario.default_ca_rate
        else:
            us, exempt, ca = source.us_rate, source.usmca_exempt_share, source.ca_rate
        resolved[chapter_id] = ScenarioChapterRate(
            scenario=scenario,
            hs_chapter_id=chapter_id,
            us_rate=us,
            usmca_exempt_share=exempt,
            ca_rate=ca,
            us_effective_rate=(us * (1 - exempt)).quantize(SHARE),
            risk_factor_low=_risk_factor(ca, scenario.elasticity_low),
            risk_factor_central=_risk_factor(ca, scenario.elasticity_central),
            risk_factor_high=_risk_factor(ca, scenario.elasticity_high),
        )
    ScenarioChapterRate.objects.filter(scenario=scenario).delete()
    ScenarioChapterRate.objects.bulk_create(resolved.values())
    return resolved


def base_year_default() -> int:
    """The latest year with a full year of effective state × chapter detail (annual chapter cells, or
    twelve months of monthly detail)."""
    annual = (
        TradeFlow.objects.effective()
        .filter(hs_chapter__isnull=False, month__isnull=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    full_monthly = (
        TradeFlow.objects.effective()
        .filter(hs_chapter__isnull=False, month__isnull=False)
        .values("year")
        .annotate(months=Count("month", distinct=True))
        .filter(months=12)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    candidates = [year for year in (annual, full_monthly) if year is not None]
    if not candidates:
        raise DomainValidationError(_("No year has a full year of state × HS chapter detail to base exposure on."))
    return max(candidates)


@dataclass(frozen=True)
class _BaseData:
    year: int
    months: int
    monthly: bool


def _base_rows(year: int) -> tuple[_BaseData, object]:
    """Chapter detail for the base year: annual chapter cells when present (full years), else the monthly
    detail (the same one-kind-per-year rule every reader uses)."""
    detail = TradeFlow.objects.effective().filter(year=year, hs_chapter__isnull=False)
    annual = detail.filter(month__isnull=True)
    if annual.exists():
        return _BaseData(year=year, months=12, monthly=False), annual
    monthly = detail.filter(month__isnull=False)
    if not monthly.exists():
        raise DomainValidationError(_("No state × HS chapter figures for %(year)s.") % {"year": year})
    months = monthly.values("month").distinct().count()
    return _BaseData(year=year, months=months, monthly=True), monthly


_SUMS = ("imports", "exports", "duty", "counter", "risk_low", "risk_central", "risk_high")


def _aggregate_chapters(rows, scenario: TariffScenario) -> list[dict]:
    """The one grouped query over trade rows: per state × chapter, imports, exports, duty cost,
    counter-duty and exports at risk, each row weighted by its chapter's resolved rates.

    Pillar and state figures are sums of these (≤ states × 99) aggregated rows: every rate is constant
    within a chapter, so Σ_rows(value × rate) per pillar or state equals the sum of the chapter sums.
    """
    rated = rows.annotate(
        rate=FilteredRelation("hs_chapter__resolved_rates", condition=Q(hs_chapter__resolved_rates__scenario=scenario))
    )
    imports = Case(When(flow=Flow.IMPORT, then=F("value_usd")), default=Value(0))
    exports = Case(When(flow=Flow.EXPORT, then=F("value_usd")), default=Value(0))

    def weighted(flow_value, rate_field: str):
        return Coalesce(
            Sum(ExpressionWrapper(flow_value * F(f"rate__{rate_field}"), output_field=MONEY)),
            Value(Decimal("0")),
            output_field=MONEY,
        )

    return list(
        rated.values("state_id", "hs_chapter_id")
        .order_by("state_id", "hs_chapter_id")
        .annotate(
            imports=Sum(imports),
            exports=Sum(exports),
            duty=weighted(imports, "us_effective_rate"),
            counter=weighted(exports, "ca_rate"),
            risk_low=weighted(exports, "risk_factor_low"),
            risk_central=weighted(exports, "risk_factor_central"),
            risk_high=weighted(exports, "risk_factor_high"),
        )
    )


def _roll_up(chapter_rows: list[dict], key) -> list[dict]:
    """Sum aggregated chapter rows into groups: key(row) → a group key, or None to leave the row out."""
    groups: dict[tuple, dict] = {}
    for row in chapter_rows:
        for group in key(row):
            target = groups.setdefault(group, {"state_id": row["state_id"], **dict.fromkeys(_SUMS, Decimal(0))})
            for name in _SUMS:
                target[name] += _exact(row[name])
    return [{"group": group, **sums} for group, sums in groups.items()]


def _exact(value) -> Decimal:
    # PostgreSQL returns exact numerics; SQLite returns floats for the weighted sums.
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _figure(snapshot, scenario, row: dict, gdp: dict[int, Decimal], **keys) -> ExposureFigure:
    imports, exports = _money(row["imports"]), _money(row["exports"])
    duty = _money(row["duty"])
    jobs_per_usd = scenario.jobs_per_billion_usd / BILLION
    # Jobs are kept unrounded (6 places) and rounded once, at display.
    risks = {level: _money(row[f"risk_{level}"]) for level in ("low", "central", "high")}
    state_gdp = gdp.get(row["state_id"])
    return ExposureFigure(
        snapshot=snapshot,
        state_id=row["state_id"],
        imports_from_canada=imports,
        exports_to_canada=exports,
        us_duty_cost=duty,
        counter_duty_exposure=_money(row["counter"]),
        exports_at_risk_low=risks["low"],
        exports_at_risk_central=risks["central"],
        exports_at_risk_high=risks["high"],
        jobs_at_risk_low=(risks["low"] * jobs_per_usd).quantize(JOBS, rounding=ROUND_HALF_UP),
        jobs_at_risk_central=(risks["central"] * jobs_per_usd).quantize(JOBS, rounding=ROUND_HALF_UP),
        jobs_at_risk_high=(risks["high"] * jobs_per_usd).quantize(JOBS, rounding=ROUND_HALF_UP),
        two_way_trade_share_of_gdp=((imports + exports) / state_gdp).quantize(SHARE) if state_gdp else None,
        duty_cost_share_of_gdp=(duty / state_gdp).quantize(SHARE) if state_gdp else None,
        **keys,
    )


def _gdp_for(year: int) -> tuple[int | None, dict[int, Decimal]]:
    """State GDP for the base year, or the nearest year available (recorded in the checks)."""
    years = list(StateEconomics.objects.values_list("year", flat=True).distinct())
    if not years:
        return None, {}
    nearest = min(years, key=lambda candidate: (abs(candidate - year), -candidate))
    return nearest, dict(StateEconomics.objects.filter(year=nearest).values_list("state_id", "gdp_usd"))


def _checks(
    *, snapshot, rows, base: _BaseData, totals: list[ExposureFigure], chapter_count: int, gdp_year
) -> list[dict]:
    checks: list[dict] = []

    def check(name: str, ok: bool, detail: str, *, blocking: bool = True) -> None:
        checks.append({"name": name, "ok": ok, "blocking": blocking, "detail": detail})

    source = rows.aggregate(
        imports=Coalesce(Sum("value_usd", filter=Q(flow=Flow.IMPORT)), 0),
        exports=Coalesce(Sum("value_usd", filter=Q(flow=Flow.EXPORT)), 0),
        states=Count("state", distinct=True),
        cells=Count("id"),
    )
    pairs = rows.values("state_id", "hs_chapter_id").distinct().count()
    sum_imports = sum(figure.imports_from_canada for figure in totals)
    sum_exports = sum(figure.exports_to_canada for figure in totals)
    check(
        "state rows",
        len(totals) == source["states"],
        f"{len(totals)} state rows for {source['states']} states in the data",
    )
    check("chapter rows", chapter_count == pairs, f"{chapter_count} state × chapter rows for {pairs} pairs in the data")
    check(
        "imports total",
        sum_imports == Decimal(source["imports"]),
        f"sum of state imports {sum_imports} vs source rows {source['imports']}",
    )
    check(
        "exports total",
        sum_exports == Decimal(source["exports"]),
        f"sum of state exports {sum_exports} vs source rows {source['exports']}",
    )
    annual = TradeFlow.objects.effective().annual_totals().filter(year=base.year)
    if base.months == 12 and annual.exists():
        annual_sums = annual.aggregate(
            imports=Coalesce(Sum("value_usd", filter=Q(flow=Flow.IMPORT)), 0),
            exports=Coalesce(Sum("value_usd", filter=Q(flow=Flow.EXPORT)), 0),
        )
        same = annual_sums["imports"] == source["imports"] and annual_sums["exports"] == source["exports"]
        check(
            "detail matches annual totals",
            same,
            f"chapter detail imports {source['imports']} / exports {source['exports']} vs annual totals "
            f"{annual_sums['imports']} / {annual_sums['exports']}",
            blocking=False,
        )
    check("base period", base.months == 12, f"{base.months} month(s) of {base.year}", blocking=False)
    check("GDP year", gdp_year is not None, f"state GDP of {gdp_year} used for shares", blocking=False)
    return checks


def exposure_refresh(
    *,
    scenario: TariffScenario,
    base_year: int | None = None,
    trigger: str = "",
    today: datetime.date | None = None,
) -> ExposureSnapshot:
    """Compute a new snapshot for one scenario version and make it current if its checks pass.

    One transaction holds a lock on the scenario row (one refresh per scenario at a time), writes the
    figures, runs the checks and switches `is_current`; a refresh that dies anywhere rolls back and the
    previous snapshot stays current. A snapshot whose blocking checks fail is kept as FAILED, without
    figures, for the record.
    """
    year = base_year or base_year_default()
    try:
        with transaction.atomic():
            locked = TariffScenario.objects.select_for_update().get(pk=scenario.pk)
            snapshot = _build(scenario=locked, year=year, trigger=trigger, today=today)
    except SnapshotCheckFailed as failure:
        snapshot = ExposureSnapshot.objects.create(
            scenario=scenario,
            base_year=year,
            status=SnapshotStatus.FAILED,
            trigger=trigger[:200],
            checks=failure.checks,
            finished_at=timezone.now(),
            error="Blocking checks failed; the previous snapshot stays current.",
        )
        log.warning("exposure refresh for %s failed its checks", scenario.slug)
    return snapshot


def _build(*, scenario: TariffScenario, year: int, trigger: str, today: datetime.date | None) -> ExposureSnapshot:
    base, rows = _base_rows(year)
    regime = regime_on(scenario_regime_date(scenario, today=today), scenario=scenario) if scenario.is_regime else None
    snapshot = ExposureSnapshot.objects.create(
        scenario=scenario,
        base_year=year,
        base_months=base.months,
        trigger=trigger[:200],
        regime_date=regime.as_of if regime else None,
        assumptions=regime.assumptions() if regime else {},
    )
    if regime is not None:
        regime_rates_resolve(scenario=scenario, regime=regime)
    else:
        scenario_rates_resolve(scenario=scenario)
    gdp_year, gdp = _gdp_for(year)
    chapter_rows = _aggregate_chapters(rows, scenario)
    chapters = [_figure(snapshot, scenario, row, gdp, hs_chapter_id=row["hs_chapter_id"]) for row in chapter_rows]
    totals = [_figure(snapshot, scenario, row, gdp) for row in _roll_up(chapter_rows, lambda row: [(row["state_id"],)])]
    pillar_of_chapter: dict[int, set[int]] = defaultdict(set)
    for pillar_id, chapter_id in PillarHSCode.objects.filter(counts_at_chapter_level=True).values_list(
        "pillar_id", "chapter_id"
    ):
        pillar_of_chapter[chapter_id].add(pillar_id)
    partial = set(Pillar.objects.filter(is_partial_chapter_approximation=True).values_list("id", flat=True))
    pillar_rows = _roll_up(
        chapter_rows,
        lambda row: [(row["state_id"], pillar_id) for pillar_id in pillar_of_chapter.get(row["hs_chapter_id"], ())],
    )
    pillars = [
        _figure(
            snapshot,
            scenario,
            row,
            gdp,
            pillar_id=row["group"][1],
            is_partial_chapter=row["group"][1] in partial,
        )
        for row in sorted(pillar_rows, key=lambda row: row["group"])
    ]
    _rank(totals)
    checks = _checks(
        snapshot=snapshot, rows=rows, base=base, totals=totals, chapter_count=len(chapters), gdp_year=gdp_year
    )
    if not all(item["ok"] for item in checks if item["blocking"]):
        raise SnapshotCheckFailed(checks)
    ExposureFigure.objects.bulk_create([*totals, *pillars, *chapters], batch_size=5000)
    if regime is not None:
        ExposureMeasureFigure.objects.bulk_create(_measure_figures(snapshot, rows, scenario), batch_size=5000)
    release_ids = rows.values_list("release_id", flat=True).distinct()
    snapshot.releases.set(DataRelease.objects.filter(pk__in=release_ids))
    ExposureSnapshot.objects.filter(scenario=scenario, is_current=True).update(is_current=False)
    snapshot.status = SnapshotStatus.READY
    snapshot.is_current = True
    snapshot.checks = checks
    snapshot.assumptions = {**(snapshot.assumptions or {}), "gdp_year": gdp_year}
    snapshot.figure_count = len(totals) + len(pillars) + len(chapters)
    snapshot.finished_at = timezone.now()
    snapshot.save()
    return snapshot


def _measure_figures(snapshot: ExposureSnapshot, rows, scenario: TariffScenario) -> list[ExposureMeasureFigure]:
    """One grouped query: per state × measure, the base year's trade weighted by the measure's effective
    rate on each chapter (US measures on imports, Canadian measures on exports)."""
    rated = rows.annotate(
        measure_rate=FilteredRelation(
            "hs_chapter__measure_rates", condition=Q(hs_chapter__measure_rates__scenario=scenario)
        )
    ).filter(measure_rate__isnull=False)
    sums = (
        rated.annotate(measure_side=F("measure_rate__measure__side"))
        .annotate(
            charged=Case(
                When(flow=Flow.IMPORT, measure_side=MeasureSide.US, then=F("value_usd")),
                When(flow=Flow.EXPORT, measure_side=MeasureSide.CANADA, then=F("value_usd")),
                default=Value(0),
            )
        )
        .values("state_id", "measure_rate__measure_id")
        .order_by("state_id", "measure_rate__measure_id")
        .annotate(amount=Sum(ExpressionWrapper(F("charged") * F("measure_rate__effective_rate"), output_field=MONEY)))
    )
    return [
        ExposureMeasureFigure(
            snapshot=snapshot,
            state_id=row["state_id"],
            measure_id=row["measure_rate__measure_id"],
            amount=_money(row["amount"]),
        )
        for row in sums
    ]


def _rank(totals: list[ExposureFigure]) -> None:
    """Rank states (not BTS's unknown-state bucket) by duty cost + counter-duty, then two-way trade."""
    from trade.models import State

    pseudo = set(State.objects.filter(is_pseudo=True).values_list("id", flat=True))
    ranked = sorted(
        (figure for figure in totals if figure.state_id not in pseudo),
        key=lambda f: (-(f.us_duty_cost + f.counter_duty_exposure), -(f.imports_from_canada + f.exports_to_canada)),
    )
    for position, figure in enumerate(ranked, start=1):
        figure.rank = position


def exposure_refresh_all(*, trigger: str = "", base_year: int | None = None) -> list[ExposureSnapshot]:
    """Refresh every current scenario version (each in its own transaction)."""
    return [
        exposure_refresh(scenario=scenario, base_year=base_year, trigger=trigger)
        for scenario in TariffScenario.objects.current_versions().order_by("pk")
    ]


def rolling_scenarios_due(*, today: datetime.date) -> list[TariffScenario]:
    """Rolling ('in force today') scenarios whose current snapshot predates a measure starting or ending
    on or before `today`: their figures describe a regime that no longer holds."""
    due = []
    for scenario in TariffScenario.objects.current_versions().filter(regime_rolls_forward=True).order_by("pk"):
        snapshot = ExposureSnapshot.objects.current().filter(scenario=scenario).first()
        stale = snapshot is None or snapshot.regime_date is None
        changed = not stale and snapshot.regime_date < today
        if stale or (changed and measure_change_dates(after=snapshot.regime_date, until=today)):
            due.append(scenario)
    return due


def exposure_refresh_rolling(*, today: datetime.date, trigger: str = "") -> list[ExposureSnapshot]:
    """Refresh the rolling scenarios that are due (idempotent: a second run the same day finds none)."""
    return [
        exposure_refresh(scenario=scenario, trigger=trigger, today=today)
        for scenario in rolling_scenarios_due(today=today)
    ]
