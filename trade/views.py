"""Pages: states ranked by exposure (with the tile map), one state, scenarios, scenario comparison."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.permissions import role_required
from trade import selectors
from trade.forms import ScenarioChoiceForm, ScenarioCompareForm
from trade.maps import bar_chart_svg, tile_map_svg
from trade.models import DataRelease, ExposureSnapshot, State, TariffScenario

MEASURES = {
    "us_duty_cost": _("US duty cost"),
    "counter_duty_exposure": _("Counter-duty on exports"),
    "exports_at_risk_central": _("Exports at risk (central)"),
    "jobs_at_risk_central": _("Jobs at risk (central)"),
    "duty_cost_share_of_gdp": _("Duty cost, share of GDP"),
    "two_way_trade_share_of_gdp": _("Two-way trade, share of GDP"),
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
    values = {f.state.code: float(getattr(f, measure) or 0) for f in figures if not f.state.is_pseudo}
    labels = {f.state.code: f"{f.state.name}: {getattr(f, measure)}" for f in figures}
    links = {f.state.code: reverse("trade:state-detail", args=[f.state.code]) for f in figures}
    snapshot = figures[0].snapshot if figures else None
    context = {
        "form": form,
        "scenario": scenario,
        "snapshot": snapshot,
        "figures": figures,
        "measure_label": MEASURES[measure],
        "map_svg": mark_safe(  # noqa: S308 - built by tile_map_svg, every text escaped
            tile_map_svg(values=values, labels=labels, links=links, title=f"{MEASURES[measure]} — {scenario.name}")
        ),
        "releases": snapshot.releases.all() if snapshot else [],
    }
    return render(request, "trade/state_list.html", context)


@role_required()
def state_detail(request, code: str):
    state = get_object_or_404(State, code=code.upper())
    series = selectors.trade_series_for_state(state=state)
    recent = series[-15:]
    scenarios = selectors.exposure_by_scenario_for_state(state=state)
    default = selectors.scenario_default() if TariffScenario.objects.exists() else None
    exposure = selectors.exposure_for_state(state=state, scenario=default) if default else {"snapshot": None}
    year = exposure["snapshot"].base_year if exposure.get("snapshot") else None
    diff, previous = [], None
    if exposure.get("snapshot"):
        previous = (
            ExposureSnapshot.objects.filter(
                scenario__slug=default.slug, status="ready", created_at__lt=exposure["snapshot"].created_at
            )
            .select_related("scenario")
            .order_by("-created_at")
            .first()
        )
        if previous:
            diff = selectors.snapshot_diff_for_state(state=state, old=previous, new=exposure["snapshot"])
    context = {
        "state": state,
        "series": recent,
        "chart_svg": mark_safe(  # noqa: S308 - built by bar_chart_svg, every text escaped
            bar_chart_svg(series=recent, title=_("Trade of %(state)s with Canada by year") % {"state": state.name})
        ),
        "scenarios": scenarios,
        "exposure": exposure,
        "year": year,
        "pillars": selectors.trade_by_pillar_for_state(state=state, year=year) if year else [],
        "top_chapters": selectors.trade_top_chapters_for_state(state=state, year=year) if year else [],
        "diff": [row for row in diff if row["changes"]],
        "previous": previous,
        "releases": DataRelease.objects.filter(trade_flows__state=state).distinct().order_by("-vintage_date"),
        "economics": state.economics.order_by("-year").first(),
    }
    return render(request, "trade/state_detail.html", context)


@role_required()
def scenario_list(request):
    return render(request, "trade/scenario_list.html", {"scenarios": selectors.scenario_list().order_by("name")})


@role_required()
def scenario_compare(request):
    form = ScenarioCompareForm(request.GET or None)
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
            state = (fa or fb).state
            cost = lambda f: (f.us_duty_cost + f.counter_duty_exposure) if f else None  # noqa: E731
            rows.append({"state": state, "a": fa, "b": fb, "delta": (cost(fb) or 0) - (cost(fa) or 0)})
        rows.sort(key=lambda row: -abs(row["delta"]))
    return render(
        request, "trade/scenario_compare.html", {"form": form, "rows": rows, "first": first, "second": second}
    )
