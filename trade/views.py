"""Pages: states ranked by exposure (with the tile map), one state, scenarios, scenario comparison,
the data releases the figures come from."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import formatting
from core.errors import DomainError, EditConflictError
from core.permissions import role_allowed, role_required
from core.roles import Role
from core.selectors import model_history
from trade import selectors
from trade.choices import MeasureAuthority, MeasureSide, MeasureStatus
from trade.forms import ScenarioChoiceForm, ScenarioCompareForm, TariffMeasureForm
from trade.maps import bar_chart_svg, monthly_duty_chart_svg, tile_map_svg
from trade.models import DataRelease, State, TariffMeasure, TariffScenario
from trade.services import tariff_measure_update

MEASURES = {
    "us_duty_cost": _("US duty cost"),
    "counter_duty_exposure": _("Counter-duty on exports"),
    "exports_at_risk_central": _("Exports at risk (central)"),
    "jobs_at_risk_central": _("Jobs at risk (central)"),
    "duty_cost_share_of_gdp": _("Duty cost, share of GDP"),
    "two_way_trade_share_of_gdp": _("Two-way trade, share of GDP"),
}
# How each measure is shown on the map legend and tooltips: (unit, value → text).
MEASURE_UNITS = {
    "us_duty_cost": (_("US$ millions"), lambda v: formatting.millions(v, 0)),
    "counter_duty_exposure": (_("US$ millions"), lambda v: formatting.millions(v, 0)),
    "exports_at_risk_central": (_("US$ millions"), lambda v: formatting.millions(v, 0)),
    "jobs_at_risk_central": (_("jobs"), formatting.jobs),
    "duty_cost_share_of_gdp": (_("% of state GDP"), lambda v: formatting.number(v * 100, 2)),
    "two_way_trade_share_of_gdp": (_("% of state GDP"), lambda v: formatting.number(v * 100, 1)),
}


def _scenario_from(form) -> TariffScenario:
    slug = form.cleaned_data.get("scenario") if form.is_valid() else None
    try:
        return selectors.scenario_get(slug=slug)
    except TariffScenario.DoesNotExist:
        raise Http404(_("No such scenario.")) from None


@role_required()
def state_list(request):
    form = ScenarioChoiceForm(request.GET or None, measures=MEASURES)
    try:
        scenario = _scenario_from(form)
    except Http404:
        return render(request, "trade/state_list.html", {"form": form, "scenario": None, "figures": []})
    measure = (
        form.cleaned_data.get("measure") if form.is_valid() and form.cleaned_data.get("measure") else "us_duty_cost"
    )
    figures = list(selectors.exposure_state_totals(scenario=scenario))
    unit, fmt = MEASURE_UNITS[measure]
    values = {
        f.state.code: float(getattr(f, measure))
        for f in figures
        if not f.state.is_pseudo and getattr(f, measure) is not None
    }
    labels = {code: f"{f.state.name}: {fmt(values[code])} {unit}" for f in figures if (code := f.state.code) in values}
    links = {f.state.code: reverse("trade:state-detail", args=[f.state.code]) for f in figures}
    snapshot = figures[0].snapshot if figures else None
    if measure.endswith("_share_of_gdp") and snapshot is not None and snapshot.gdp_share_years:
        unit = f"{unit}, {snapshot.gdp_share_years}"
    title = _("%(measure)s by state (%(unit)s), %(scenario)s") % {
        "measure": MEASURES[measure],
        "unit": unit,
        "scenario": scenario.label,
    }
    context = {
        "form": form,
        "scenario": scenario,
        "snapshot": snapshot,
        "figures": figures,
        "measure_label": MEASURES[measure],
        "measure_unit": unit,
        "map_svg": mark_safe(  # noqa: S308  # nosec B308 B703 — built by tile_map_svg, every text escaped
            tile_map_svg(
                values=values,
                labels=labels,
                links=links,
                title=title,
                scale="quantile",
                value_format=fmt,
                legend_title=_("%(measure)s (%(unit)s); five groups of about ten states")
                % {"measure": MEASURES[measure], "unit": unit},
            )
        ),
        "releases": snapshot.releases.all() if snapshot else [],
    }
    return render(request, "trade/state_list.html", context)


def _detail_year(request, years: list[dict], default: int | None) -> dict | None:
    """The chapter-detail year the state page shows: ?year= when it has detail, else the snapshot's base
    year, else the latest full year, else the latest year."""
    by_year = {entry["year"]: entry for entry in years}
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in by_year:
        return by_year[int(asked)]
    if default in by_year:
        return by_year[default]
    return next((entry for entry in years if not entry["partial"]), years[0] if years else None)


@role_required()
def state_detail(request, code: str):
    state = get_object_or_404(State, code=code.upper())
    if not state.is_pseudo and not selectors.state_has_trade_figures(state=state):
        # Before any import every page is empty: only say the state is outside BTS's files once others have figures.
        context = {"state": state, "no_figures": True, "nothing_imported": not selectors.trade_figures_exist()}
        return render(request, "trade/state_detail.html", context)
    series = selectors.trade_series_for_state(state=state)
    recent = series[-15:]
    scenarios = selectors.exposure_by_scenario_for_state(state=state)
    default = selectors.scenario_default() if TariffScenario.objects.exists() else None
    exposure = selectors.exposure_for_state(state=state, scenario=default) if default else {"snapshot": None}
    snapshot = exposure.get("snapshot")
    detail_years = selectors.chapter_detail_years()
    detail = _detail_year(request, detail_years, snapshot.base_year if snapshot else None)
    year = detail["year"] if detail else None
    comparison = snapshot_comparison(request, state=state, scenario=default, current=snapshot)
    context = {
        "state": state,
        "series": recent,
        "chart_svg": mark_safe(  # noqa: S308  # nosec B308 B703 — built by bar_chart_svg, every text escaped
            bar_chart_svg(
                series=recent,
                title=_("Trade of %(state)s with Canada by year, US$ billions") % {"state": state.name},
            )
        ),
        "first_year": recent[0]["year"] if recent else None,
        "last_year": recent[-1]["year"] if recent else None,
        "scenarios": scenarios,
        "exposure": exposure,
        "year": year,
        "detail": detail,
        "detail_years": detail_years,
        "pillars": selectors.trade_by_pillar_for_state(state=state, year=year) if year else [],
        "top_chapters": selectors.trade_top_chapters_for_state(state=state, year=year) if year else [],
        **comparison,
        "releases": DataRelease.objects.filter(trade_flows__state=state).distinct().order_by("-vintage_date"),
        "economics": state.economics.order_by("-year").first(),
        **state_regime_context(state=state),
    }
    return render(request, "trade/state_detail.html", context)


def snapshot_comparison(request, *, state: State, scenario: TariffScenario | None, current) -> dict:
    """What changed for the state between two ready snapshots of the default scenario's slug:
    ?old=&new= (snapshot ids) when given, else the current snapshot against the one before it."""
    if scenario is None or current is None:
        return {"diff": [], "previous": None, "newer": None, "snapshots": []}
    snapshots = list(selectors.snapshots_ready(slug=scenario.slug)[:20])
    by_id = {str(item.pk): item for item in snapshots}
    newer = by_id.get(request.GET.get("new", ""), current)
    older = [item for item in snapshots if item.created_at < newer.created_at]
    previous = by_id.get(request.GET.get("old", "")) or (older[0] if older else None)
    diff = selectors.snapshot_diff_for_state(state=state, old=previous, new=newer) if previous else []
    return {
        "diff": [row for row in diff if row["changes"]],
        "previous": previous,
        "newer": newer,
        "snapshots": snapshots,
    }


@role_required()
def scenario_list(request):
    return render(request, "trade/scenario_list.html", {"scenarios": selectors.scenario_list().order_by("name")})


def _compare_defaults() -> dict:
    """Without a choice: another current scenario (the first by name) against the default one."""
    default = TariffScenario.objects.current_versions().filter(is_default=True).values_list("slug", flat=True).first()
    others = TariffScenario.objects.current_versions().exclude(slug=default).order_by("name")
    first = others.values_list("slug", flat=True).first()
    second = default or others.values_list("slug", flat=True)[1:2].first()
    return {"first": first, "second": second} if first and second else {}


def _cost(figure):
    return figure.us_duty_cost + figure.counter_duty_exposure if figure is not None else None


@role_required()
def scenario_compare(request):
    data = request.GET or _compare_defaults()
    form = ScenarioCompareForm(data or None)
    rows, first, second = [], None, None
    if form.is_valid():
        try:
            first = selectors.scenario_get(slug=form.cleaned_data["first"])
            second = selectors.scenario_get(slug=form.cleaned_data["second"])
        except TariffScenario.DoesNotExist:
            raise Http404(_("No such scenario.")) from None
        a = {f.state_id: f for f in selectors.exposure_state_totals(scenario=first)}
        b = {f.state_id: f for f in selectors.exposure_state_totals(scenario=second)}
        for state_id in sorted(set(a) | set(b), key=lambda pk: (a.get(pk) or b.get(pk)).state.name):
            fa, fb = a.get(state_id), b.get(state_id)
            cost_a, cost_b = _cost(fa), _cost(fb)
            rows.append(
                {
                    "state": (fa or fb).state,
                    "a": fa,
                    "b": fb,
                    "cost_a": cost_a,
                    "cost_b": cost_b,
                    "delta": (cost_b or 0) - (cost_a or 0),
                }
            )
        rows.sort(key=lambda row: (-abs(row["delta"]), row["state"].name))
    return render(
        request, "trade/scenario_compare.html", {"form": form, "rows": rows, "first": first, "second": second}
    )


@role_required()
def release_list(request):
    """Every data release the figures come from; Leads and Admins also see the releases' history."""
    page = Paginator(selectors.release_list(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "trade/release_list.html",
        {"page": page, "history": model_history(DataRelease, request.user)},
    )


@role_required()
def tariff_timeline(request):
    """Every US and Canadian measure with its dates, sources and status; filter by authority, side, pillar."""
    filters = {key: request.GET.get(key, "") for key in ("authority", "side", "pillar", "status")}
    context = {
        "measures": selectors.measure_timeline(**filters),
        "filters": filters,
        "authorities": MeasureAuthority.choices,
        "sides": MeasureSide.choices,
        "statuses": MeasureStatus.choices,
        "pillars": selectors.pillar_list(),
        "review": selectors.timeline_review(),
        "can_edit": role_allowed(request.user, Role.LEAD),
        **_duty_chart(request),
    }
    return render(request, "trade/tariff_timeline.html", context)


CHART_FIRST_MONTH = datetime.date(2025, 1, 1)


def _duty_chart(request) -> dict:
    """The chart of a state's estimated monthly duty as measures came and went (?state=, default MI)."""
    state = State.objects.filter(code=request.GET.get("state", "MI").upper()).first()
    scenario = TariffScenario.objects.current_versions().filter(regime_rolls_forward=True, is_default=True).first()
    if state is None or scenario is None:
        return {"chart_state": state, "duty_chart_svg": ""}
    series = selectors.monthly_duty_series(
        scenario=scenario, state=state, first=CHART_FIRST_MONTH, last=timezone.localdate()
    )
    title = _("Estimated monthly US duty on %(state)s's imports from Canada, US$ millions") % {"state": state.name}
    return {
        "chart_state": state,
        "states": State.objects.filter(is_pseudo=False).order_by("name"),
        "duty_chart_svg": mark_safe(  # noqa: S308  # nosec B308 B703 — built by monthly_duty_chart_svg, text escaped
            monthly_duty_chart_svg(series=series, title=title)
        ),
    }


def state_regime_context(*, state: State) -> dict:
    """'In force today' for one state: duty by measure from the default regime scenario's snapshot,
    the measures not modelled, the assumptions named, jobs supported by exports to Canada."""
    context: dict = {
        "jobs_supported": selectors.jobs_supported_by_exports_to_canada(state=state),
        "review": selectors.timeline_review(),
        "regime_snapshot": None,
    }
    scenario = TariffScenario.objects.current_versions().filter(regime_rolls_forward=True, is_default=True).first()
    if scenario is None:
        scenario = TariffScenario.objects.current_versions().filter(slug="in-force-today").first()
    snapshot = selectors.snapshot_current(scenario=scenario) if scenario else None
    if snapshot is not None:
        by_measure = selectors.exposure_by_measure(snapshot=snapshot, state=state).get(state.pk, [])
        context.update(
            regime_snapshot=snapshot,
            regime_total=selectors.exposure_for_state(state=state, scenario=scenario)["total"],
            by_measure=by_measure,
            not_modelled=selectors.measures_not_modelled(snapshot=snapshot),
            utilization=(snapshot.assumptions or {}).get("usmca_utilization", {}),
            counts_counter_duty_jobs=any(row["measure"].side == MeasureSide.CANADA for row in by_measure),
        )
    return context


@role_required(Role.LEAD)
def tariff_measure_edit(request, slug: str):
    """Leads correct a measure here (admins also in Django admin); history is kept by the audit log."""
    measure = get_object_or_404(TariffMeasure, slug=slug)
    form = TariffMeasureForm(request.POST or None, instance=TariffMeasure.objects.get(pk=measure.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                tariff_measure_update(
                    measure=measure, changes=changes, actor=request.user, expected_version=form.expected_version()
                )
        except EditConflictError as conflict:
            form = form.rebased(conflict, user=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Measure saved; exposure will be recomputed."))
            return redirect("trade:tariff-timeline")
    context = {"measure": measure, "form": form}
    return render(request, "trade/tariff_measure_edit.html", context)
