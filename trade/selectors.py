"""Reads for trade: scenarios, current snapshots, exposure figures, trade series. Other apps call these."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_active_language
from core.caching import cached_by_version
from core.errors import NotFoundError
from trade.choices import Flow, MeasureSide, SnapshotStatus
from trade.models import (
    DataRelease,
    ExposureFigure,
    ExposureMeasureFigure,
    ExposureSnapshot,
    HSChapter,
    Pillar,
    PillarHSCode,
    State,
    TariffMeasure,
    TariffScenario,
    TariffTimelineReview,
    TradeFlow,
)
from trade.regime import regime_on


def scenario_default() -> TariffScenario:
    """The scenario pages use when none is chosen (admin flag `is_default`, else the first current one)."""
    # One query: the flagged one first, else the first current one.
    scenario = TariffScenario.objects.current_versions().order_by(F("is_default").desc(), "pk").first()
    if scenario is None:
        raise TariffScenario.DoesNotExist("No tariff scenario is defined.")
    return scenario


def scenario_get(*, slug: str | None) -> TariffScenario:
    """The current version of the scenario with this slug (the default scenario when slug is empty)."""
    if not slug:
        return scenario_default()
    return TariffScenario.objects.current_versions().get(slug=slug)


def scenario_list() -> QuerySet[TariffScenario]:
    return TariffScenario.objects.current_versions().prefetch_related("rates__hs_chapter", "rates__pillar")


def snapshot_current(*, scenario: TariffScenario) -> ExposureSnapshot | None:
    return ExposureSnapshot.objects.current().filter(scenario=scenario).select_related("scenario").first()


def snapshots_ready(*, slug: str) -> QuerySet[ExposureSnapshot]:
    """Ready snapshots of every version of a scenario, newest first (the state page compares two)."""
    return (
        ExposureSnapshot.objects.filter(scenario__slug=slug, status=SnapshotStatus.READY)
        .select_related("scenario")
        .order_by("-created_at", "-id")
    )


def _scenario_or_default(scenario: TariffScenario | None) -> TariffScenario:
    return scenario if scenario is not None else scenario_default()


def exposure_state_totals(*, scenario: TariffScenario | None = None) -> QuerySet[ExposureFigure]:
    """State rows of the current snapshot, with their state, ordered by rank (DU last)."""
    snapshot = snapshot_current(scenario=_scenario_or_default(scenario))
    if snapshot is None:
        return ExposureFigure.objects.none()
    return (
        ExposureFigure.objects.filter(snapshot=snapshot, pillar__isnull=True, hs_chapter__isnull=True)
        .select_related("state", "snapshot__scenario")
        .order_by(F("rank").asc(nulls_last=True), "state__name")
    )


def exposure_state_values(*, scenario: TariffScenario, pillar: Pillar | None = None) -> QuerySet[ExposureFigure]:
    """The state rows (or the pillar's state rows) of the scenario's current snapshot, in one query."""
    snapshots = ExposureSnapshot.objects.current().filter(scenario=scenario)
    return ExposureFigure.objects.filter(
        snapshot__in=snapshots.values("pk")[:1], pillar=pillar, hs_chapter__isnull=True
    )


def exposure_for_state(*, state: State, scenario: TariffScenario | None = None) -> dict:
    """{"snapshot", "total", "pillars"} for one state under the scenario's current snapshot."""
    snapshot = snapshot_current(scenario=_scenario_or_default(scenario))
    if snapshot is None:
        return {"snapshot": None, "total": None, "pillars": []}
    figures = list(
        ExposureFigure.objects.filter(snapshot=snapshot, state=state, hs_chapter__isnull=True)
        .select_related("pillar")
        .order_by("pillar__name")
    )
    total = next((figure for figure in figures if figure.pillar_id is None), None)
    return {"snapshot": snapshot, "total": total, "pillars": [figure for figure in figures if figure.pillar_id]}


def exposure_by_scenario_for_state(*, state: State) -> list[dict]:
    """The state's total under each current scenario version's current snapshot (one query)."""
    figures = (
        ExposureFigure.objects.filter(
            state=state,
            pillar__isnull=True,
            hs_chapter__isnull=True,
            snapshot__is_current=True,
            snapshot__scenario__is_current_version=True,
        )
        .select_related("snapshot__scenario")
        .order_by("snapshot__scenario__name")
    )
    return [{"scenario": figure.snapshot.scenario, "snapshot": figure.snapshot, "figure": figure} for figure in figures]


def state_has_trade_figures(*, state: State) -> bool:
    """Whether any trade figure exists for the state. Puerto Rico is in the state list (FIPS reference)
    but not in BTS TransBorder's state files, so it has none; its page must say so, not show zeros."""
    return TradeFlow.objects.filter(state=state).exists()


def trade_figures_exist() -> bool:
    """Whether any trade file has been imported: before that, an empty state page proves nothing."""
    return TradeFlow.objects.exists()


def trade_series_for_state(*, state: State, first_year: int | None = None) -> list[dict]:
    """Annual exports and imports with Canada (all goods) by year. `partial` marks years with fewer than
    12 months where the figure is summed from monthly detail (annual-total rows are full years)."""
    rows = TradeFlow.objects.effective().filter(state=state, hs_chapter__isnull=True, month__isnull=True)
    if first_year:
        rows = rows.filter(year__gte=first_year)
    series: dict[int, dict] = {}
    for year, flow, value in rows.values_list("year", "flow", "value_usd").order_by("year"):
        entry = series.setdefault(year, {"year": year, "exports": 0, "imports": 0, "partial": False, "months": 12})
        entry["exports" if flow == Flow.EXPORT else "imports"] += value
    detail = TradeFlow.objects.effective().filter(state=state, hs_chapter__isnull=False, month__isnull=False)
    if first_year:
        detail = detail.filter(year__gte=first_year)
    detail_years = detail.exclude(year__in=list(series)).values("year", "flow").annotate(total=Sum("value_usd"))
    months = dict(
        detail.exclude(year__in=list(series))
        .values("year")
        .annotate(months=Count("month", distinct=True))
        .values_list("year", "months")
    )
    for row in detail_years:
        entry = series.setdefault(
            row["year"],
            {
                "year": row["year"],
                "exports": 0,
                "imports": 0,
                "partial": months[row["year"]] < 12,
                "months": months[row["year"]],
            },
        )
        entry["exports" if row["flow"] == Flow.EXPORT else "imports"] += row["total"]
    return [{**series[year], "total": series[year]["exports"] + series[year]["imports"]} for year in sorted(series)]


def chapter_detail_years() -> list[dict]:
    """[{year, months, partial}] for every year with state × chapter detail, newest first (annual chapter
    cells count as 12 months: the importer only stores full years as annual cells).

    Counting the months means reading every monthly chapter row (0.5 s with the bundled data), and
    the answer changes only when a data release is imported or removed: it is cached under a key of
    the releases' count, newest id and latest change.
    """
    releases = DataRelease.objects.aggregate(n=Count("pk"), newest=Max("pk"), changed=Max("updated_at"))
    version = (releases["n"], releases["newest"], str(releases["changed"]))
    return cached_by_version("trade:chapter-detail-years", version, _chapter_detail_years, timeout=24 * 3600)


def _chapter_detail_years() -> list[dict]:
    annual_years = (
        TradeFlow.objects.effective()
        .filter(hs_chapter__isnull=False, month__isnull=True)
        .values_list("year", flat=True)
        .distinct()
    )
    years: dict[int, int] = dict.fromkeys(annual_years, 12)
    monthly = (
        TradeFlow.objects.effective()
        .filter(hs_chapter__isnull=False, month__isnull=False)
        .exclude(year__in=list(years))
        .values("year")
        .annotate(months=Count("month", distinct=True))
        .values_list("year", "months")
    )
    years.update(dict(monthly))
    return [
        {"year": year, "months": months, "partial": months < 12} for year, months in sorted(years.items(), reverse=True)
    ]


def pillar_chapter_map() -> dict[int, list[int]]:
    """pillar id → chapter ids counted for it at chapter level."""
    mapping: dict[int, set[int]] = defaultdict(set)
    for pillar_id, chapter_id in PillarHSCode.objects.filter(counts_at_chapter_level=True).values_list(
        "pillar_id", "chapter_id"
    ):
        mapping[pillar_id].add(chapter_id)
    return {pillar_id: sorted(chapters) for pillar_id, chapters in mapping.items()}


def trade_by_pillar_for_state(*, state: State, year: int) -> list[dict]:
    """Exports and imports of the state's chapter detail in `year`, per pillar (pillars overlap)."""
    by_chapter = {
        row["hs_chapter_id"]: row
        for row in TradeFlow.objects.effective()
        .chapter_detail_one_kind()
        .filter(state=state, year=year)
        .values("hs_chapter_id")
        .annotate(
            exports=Sum("value_usd", filter=Q(flow=Flow.EXPORT)),
            imports=Sum("value_usd", filter=Q(flow=Flow.IMPORT)),
        )
    }
    mapping = pillar_chapter_map()
    result = []
    for pillar in Pillar.objects.all():
        chapters = mapping.get(pillar.pk, [])
        result.append(
            {
                "pillar": pillar,
                "exports": sum(by_chapter[c]["exports"] or 0 for c in chapters if c in by_chapter),
                "imports": sum(by_chapter[c]["imports"] or 0 for c in chapters if c in by_chapter),
                "partial_chapter": pillar.is_partial_chapter_approximation,
            }
        )
    return result


def trade_top_chapters_for_state(*, state: State, year: int, n: int = 10) -> list[dict]:
    """The state's n largest chapters by two-way trade in `year`, with the chapter name."""
    rows = (
        TradeFlow.objects.effective()
        .chapter_detail_one_kind()
        .filter(state=state, year=year)
        .values("hs_chapter__code", "hs_chapter__name", "hs_chapter__name_fr")
        .annotate(
            exports=Sum("value_usd", filter=Q(flow=Flow.EXPORT)),
            imports=Sum("value_usd", filter=Q(flow=Flow.IMPORT)),
            total=Sum("value_usd"),
        )
        .order_by("-total", "hs_chapter__code")[:n]
    )
    return [
        {
            "code": row["hs_chapter__code"],
            "name": in_active_language(row["hs_chapter__name"], row["hs_chapter__name_fr"]),
            "exports": row["exports"] or 0,
            "imports": row["imports"] or 0,
        }
        for row in rows
    ]


def trade_flows_grouped(
    *, state: State, group_by: str, year: int | None = None, month: int | None = None, flow: str | None = None
) -> list[dict]:
    """The API's `/states/{code}/trade/`: effective figures grouped by year, month, pillar or hs."""
    if group_by == "year":
        series = trade_series_for_state(state=state)
        if year:
            series = [row for row in series if row["year"] == year]
        rows = []
        for entry in series:
            for name in (Flow.EXPORT, Flow.IMPORT):
                if flow and flow != name:
                    continue
                rows.append(
                    {
                        "year": entry["year"],
                        "flow": name,
                        "value_usd": entry["exports" if name == Flow.EXPORT else "imports"],
                        "partial": entry["partial"],
                    }
                )
        return rows
    detail = TradeFlow.objects.effective().chapter_detail_one_kind().filter(state=state)
    if year:
        detail = detail.filter(year=year)
    if month:
        detail = detail.filter(month=month)
    if flow:
        detail = detail.filter(flow=flow)
    if group_by == "month":
        return list(
            detail.filter(month__isnull=False)
            .values("year", "month", "flow")
            .annotate(value_usd=Sum("value_usd"))
            .order_by("year", "month", "flow")
        )
    if group_by == "hs":
        return [
            {
                "year": row["year"],
                "hs_chapter": row["hs_chapter__code"],
                "name": row["hs_chapter__name"],
                "flow": row["flow"],
                "value_usd": row["value_usd"],
            }
            for row in detail.values("year", "hs_chapter__code", "hs_chapter__name", "flow")
            .annotate(value_usd=Sum("value_usd"))
            .order_by("year", "hs_chapter__code", "flow")
        ]
    if group_by == "pillar":
        sums = defaultdict(int)
        chapter_rows = detail.values("year", "hs_chapter_id", "flow").annotate(value_usd=Sum("value_usd"))
        mapping = pillar_chapter_map()
        pillars = {pillar.pk: pillar for pillar in Pillar.objects.all()}
        chapter_pillars: dict[int, list[int]] = defaultdict(list)
        for pillar_id, chapters in mapping.items():
            for chapter_id in chapters:
                chapter_pillars[chapter_id].append(pillar_id)
        for row in chapter_rows:
            for pillar_id in chapter_pillars.get(row["hs_chapter_id"], []):
                sums[(row["year"], pillar_id, row["flow"])] += row["value_usd"]
        return [
            {
                "year": year_,
                "pillar": pillars[pillar_id].code,
                "flow": flow_,
                "value_usd": value,
                "partial_chapter": pillars[pillar_id].is_partial_chapter_approximation,
            }
            for (year_, pillar_id, flow_), value in sorted(
                sums.items(), key=lambda item: (item[0][0], pillars[item[0][1]].code, item[0][2])
            )
        ]
    raise NotFoundError(_("Unknown group_by %(value)r.") % {"value": group_by})


DIFF_FIELDS = {
    "imports_from_canada": _("Imports from Canada"),
    "exports_to_canada": _("Exports to Canada"),
    "us_duty_cost": _("US duty cost"),
    "counter_duty_exposure": _("Counter-duty on exports"),
    "exports_at_risk_central": _("Exports at risk (central)"),
    "jobs_at_risk_central": _("Jobs at risk (central)"),
    "rank": _("Rank"),
}


def snapshot_diff_for_state(*, state: State, old: ExposureSnapshot, new: ExposureSnapshot) -> list[dict]:
    """What changed for a state between two snapshots: total and per pillar, field by field."""
    fields = list(DIFF_FIELDS)
    rows = ExposureFigure.objects.filter(snapshot__in=[old, new], state=state, hs_chapter__isnull=True).select_related(
        "pillar"
    )
    by_key: dict[object, dict] = defaultdict(dict)
    for figure in rows:
        by_key[figure.pillar][figure.snapshot_id] = figure
    result = []
    for pillar, pair in sorted(by_key.items(), key=lambda item: (item[0] is not None, str(item[0] or ""))):
        before, after = pair.get(old.pk), pair.get(new.pk)
        changes = []
        for name in fields:
            a = getattr(before, name) if before else None
            b = getattr(after, name) if after else None
            if a != b:
                delta = (
                    (b or Decimal(0)) - (a or Decimal(0))
                    if name != "rank" and (a is not None or b is not None)
                    else None
                )
                changes.append({"field": name, "label": DIFF_FIELDS[name], "old": a, "new": b, "delta": delta})
        result.append({"pillar": pillar, "changes": changes})
    return result


def release_list() -> QuerySet[DataRelease]:
    """Every imported data release, latest vintage first (the sources page)."""
    return DataRelease.objects.order_by("-vintage_date", "-id")


def states_with_economics() -> QuerySet[State]:
    return State.objects.prefetch_related(Prefetch("economics"))


def hs_chapters() -> QuerySet[HSChapter]:
    return HSChapter.objects.all()


# Tariff measures, the regime on a date, jobs that depend on Canada.

STALE_AFTER_DAYS = 30


def measure_timeline(
    *, authority: str = "", side: str = "", pillar: str = "", status: str = ""
) -> QuerySet[TariffMeasure]:
    """Every measure, US and Canadian, in date order (one query with its pillar)."""
    measures = TariffMeasure.objects.timeline()
    if authority:
        measures = measures.filter(authority=authority)
    if side:
        measures = measures.filter(side=side)
    if pillar:
        measures = measures.filter(pillar__code=pillar)
    if status:
        measures = measures.filter(status=status)
    return measures


def timeline_review(*, today: datetime.date | None = None) -> dict:
    """{"verified_through", "stale"}: pages using the regime name the date once it is over 30 days old."""
    review = TariffTimelineReview.objects.order_by("-verified_through", "-id").first()
    if review is None:
        return {"verified_through": None, "stale": True}
    today = today or timezone.localdate()
    return {
        "verified_through": review.verified_through,
        "stale": (today - review.verified_through).days > STALE_AFTER_DAYS,
    }


def exposure_by_measure(*, snapshot: ExposureSnapshot, state: State | None = None) -> dict[int, list[dict]]:
    """{state id: [{"measure", "amount"}]} for a snapshot, largest first, in one query; measures in force
    that the engine does not count are listed too, with `amount` None and their reason."""
    figures = ExposureMeasureFigure.objects.filter(snapshot=snapshot).select_related("measure")
    if state is not None:
        figures = figures.filter(state=state)
    result: dict[int, list[dict]] = defaultdict(list)
    for figure in figures.order_by("state_id", "-amount"):
        if figure.amount:
            result[figure.state_id].append({"measure": figure.measure, "amount": figure.amount})
    return result


def measures_not_modelled(*, snapshot: ExposureSnapshot) -> list[dict]:
    """The measures of the snapshot's regime that the engine does not count, each with its reason."""
    reasons = (snapshot.assumptions or {}).get("not_modelled", {})
    measures = TariffMeasure.objects.filter(slug__in=list(reasons)).order_by("slug")
    # The reason the refresh recorded, read in the reader's language while it is still the measure's own.
    return [
        {
            "measure": measure,
            "reason": measure.not_modelled_label
            if reasons[measure.slug] == measure.not_modelled_reason
            else reasons[measure.slug],
        }
        for measure in measures
    ]


def exposure_as_of(
    *, scenario: TariffScenario, as_of: datetime.date, state: State | None = None
) -> tuple[ExposureSnapshot, list[dict]]:
    """Duty cost per state × measure on another date, from the current snapshot's chapter figures
    (the base year's imports and exports per state × chapter) and the regime on `as_of`.

    Reads at most states × 99 chapter figures; nothing is written.
    """
    snapshot = snapshot_current(scenario=scenario)
    if snapshot is None:
        raise NotFoundError(_("No exposure snapshot for this scenario yet."))
    regime = regime_on(as_of, scenario=scenario)
    chapter_figures = ExposureFigure.objects.filter(snapshot=snapshot, hs_chapter__isnull=False).select_related(
        "hs_chapter", "state"
    )
    if state is not None:
        chapter_figures = chapter_figures.filter(state=state)
    rows: dict[int, dict] = {}
    for figure in chapter_figures.order_by("state__name", "hs_chapter__code"):
        row = rows.setdefault(
            figure.state_id,
            {"state": figure.state, "us_duty_cost": Decimal(0), "counter_duty_exposure": Decimal(0), "by": {}},
        )
        for measure, rate in regime.rates.get(figure.hs_chapter.code, []):
            base = figure.imports_from_canada if measure.side == MeasureSide.US else figure.exports_to_canada
            amount = base * rate
            row["by"][measure.slug] = (measure, row["by"].get(measure.slug, (measure, Decimal(0)))[1] + amount)
            key = "us_duty_cost" if measure.side == MeasureSide.US else "counter_duty_exposure"
            row[key] += amount
    cent = Decimal("0.01")
    results = [
        {
            "state": row["state"],
            "us_duty_cost": row["us_duty_cost"].quantize(cent),
            "counter_duty_exposure": row["counter_duty_exposure"].quantize(cent),
            "by_measure": [
                {"measure": measure, "amount": amount.quantize(cent)}
                for measure, amount in sorted(row["by"].values(), key=lambda item: -item[1])
                if amount
            ],
        }
        for row in rows.values()
    ]
    return snapshot, [
        {**row, "regime": regime, "not_modelled": [(m, m.not_modelled_label) for m in regime.not_modelled()]}
        for row in results
    ]


def jobs_supported_by_exports_to_canada(*, state: State) -> dict | None:
    """Jobs supported by the state's goods exports to Canada: the latest full year of exports × the
    default scenario's published jobs-per-export ratio. Unrounded; rounded once, at display.

    Returns None (pages say why) when there is no full year of exports or no ratio.
    """
    full_years = [row for row in trade_series_for_state(state=state) if not row["partial"] and row["exports"]]
    try:
        scenario = scenario_default()
    except TariffScenario.DoesNotExist:
        return None
    if not full_years:
        return None
    latest = full_years[-1]
    value = Decimal(latest["exports"]) * scenario.jobs_per_billion_usd / Decimal(10**9)
    return {
        "value": value,
        "year": latest["year"],
        "exports_usd": Decimal(latest["exports"]),
        "jobs_per_billion_usd": scenario.jobs_per_billion_usd,
        "source": _(
            "%(ratio_source)s Applied to the state's %(year)s goods exports to Canada (BTS TransBorder). "
            "The ratio is for 2016 and national: the figure combines 2016 jobs per dollar with %(year)s exports."
        )
        % {"ratio_source": scenario.jobs_source_label, "year": latest["year"]},
    }


def pillar_list() -> QuerySet[Pillar]:
    return Pillar.objects.order_by("name")


def regime_assumption_text(*, snapshot: ExposureSnapshot | None) -> str:
    """One sentence naming what a regime snapshot's duty costs assume (pages and packets print it);
    empty for hand-made scenarios, whose rates carry their own sources."""
    if snapshot is None or snapshot.regime_date is None:
        return ""
    assumptions = snapshot.assumptions or {}
    parts = [str(_("Tariff measures in force on %(day)s.") % {"day": snapshot.regime_date.isoformat()})]
    override = assumptions.get("usmca_utilization_override")
    if override is not None:
        parts.append(str(_("USMCA utilization set to %(share)s by the scenario.") % {"share": override}))
    for group, item in sorted((assumptions.get("usmca_utilization") or {}).items()):
        parts.append(
            str(
                _("USMCA utilization (%(group)s): %(central)s, range %(low)s–%(high)s%(flag)s.")
                % {
                    "group": group,
                    "central": item["central"],
                    "low": item["low"],
                    "high": item["high"],
                    "flag": "" if item.get("verified") else str(_(", not verified")),
                }
            )
        )
    not_modelled = assumptions.get("not_modelled") or {}
    if not_modelled:
        parts.append(str(_("In force but not modelled: %(slugs)s.") % {"slugs": ", ".join(sorted(not_modelled))}))
    return " ".join(parts)


def monthly_duty_series(
    *, scenario: TariffScenario, state: State, first: datetime.date, last: datetime.date
) -> list[dict]:
    """[{"month", "duty"}]: the base year's monthly imports (annual ÷ 12) of one state at the US measures
    in force on the first of each month from `first` to `last`. Chapter figures are read once; each month
    costs the few queries of resolving its regime, whatever the number of trade rows."""
    snapshot = snapshot_current(scenario=scenario)
    if snapshot is None:
        return []
    imports = dict(
        ExposureFigure.objects.filter(snapshot=snapshot, state=state, hs_chapter__isnull=False).values_list(
            "hs_chapter__code", "imports_from_canada"
        )
    )
    series = []
    month = first.replace(day=1)
    while month <= last:
        regime = regime_on(month, scenario=scenario)
        annual = sum(
            (imports.get(code, Decimal(0)) * regime.chapter_totals(code)[0] for code in regime.rates), Decimal(0)
        )
        series.append({"month": month, "duty": annual / 12})
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return series
