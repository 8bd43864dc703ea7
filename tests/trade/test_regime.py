"""The regime engine on the bundled measures, against figures computed by hand.

Michigan's base-year imports from Canada (made up for the test, annual 2024 cells): chapter 72 steel
$100,000, 87 vehicles $1,000,000, 27 energy $200,000, 44 wood $50,000, 84 machinery $300,000; exports to
Canada: 72 $40,000, 22 beverages $10,000. Bundled USMCA utilization from 2025-03-07: central 0.81.
"""

import datetime
from decimal import Decimal

import pytest

from tests.trade.factories import TariffScenarioFactory
from trade import exposure
from trade.choices import OverlayAction
from trade.models import ExposureFigure, ExposureMeasureFigure, ScenarioOverlay, TariffMeasure
from trade.regime import measure_change_dates, regime_on

pytestmark = pytest.mark.django_db


def _by_measure(snapshot, state) -> dict[str, Decimal]:
    return {
        row.measure.slug: row.amount
        for row in ExposureMeasureFigure.objects.filter(snapshot=snapshot, state=state).select_related("measure")
    }


def _regime_scenario(**fields):
    return TariffScenarioFactory(
        default_us_rate=Decimal("0"), default_ca_rate=Decimal("0"), jobs_per_billion_usd=Decimal("5744"), **fields
    )


def test_michigan_on_2025_08_15_by_measure_with_stacking(michigan):
    scenario = _regime_scenario(regime_date=datetime.date(2025, 8, 15))
    snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2024)
    by_measure = _by_measure(snapshot, michigan)
    # Steel 50 %, no USMCA exemption; IEEPA yields to it on chapter 72.
    assert by_measure["us-s232-steel-aluminum-50"] == Decimal("50000.00")
    # Autos 25 % on non-US content: 0.19 non-qualifying + 0.81 × (1 − 0.15 US content) = 0.8785.
    assert by_measure["us-s232-autos"] == Decimal("219625.00")
    # Energy 10 % on the 19 % that does not claim USMCA.
    assert by_measure["us-ieepa-canada-energy-potash-10"] == Decimal("3800.00")
    # IEEPA 35 % on non-USMCA goods of chapters 44 and 84 only (72 and 87 are Section 232's).
    assert by_measure["us-ieepa-canada-35-usmca-exempt"] == Decimal("23275.00")
    # Canada: steel/aluminum surtax on exports of 72, first list on beverages (22) until 2025-09-01.
    assert by_measure["ca-surtax-steel-aluminum"] == Decimal("10000.00")
    assert by_measure["ca-surtax-2025-1-us-goods"] == Decimal("2500.00")
    assert "us-s232-copper-50" not in by_measure  # not modelled, says why
    total = ExposureFigure.objects.get(snapshot=snapshot, state=michigan, pillar=None, hs_chapter=None)
    assert total.us_duty_cost == Decimal("296700.00")
    assert total.counter_duty_exposure == Decimal("12500.00")
    assert snapshot.regime_date == datetime.date(2025, 8, 15)
    assert snapshot.assumptions["usmca_utilization"]["all"]["central"] == "0.8100"
    assert "us-s232-copper-50" in snapshot.assumptions["not_modelled"]


def test_michigan_in_force_today_2026_12_03(michigan):
    scenario = _regime_scenario(regime_rolls_forward=True)
    snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2024, today=datetime.date(2026, 12, 3))
    by_measure = _by_measure(snapshot, michigan)
    assert by_measure == {
        "us-s232-steel-aluminum-50": Decimal("50000.00"),
        "us-s232-autos": Decimal("219625.00"),
        "ca-surtax-steel-aluminum": Decimal("10000.00"),
    }
    total = ExposureFigure.objects.get(snapshot=snapshot, state=michigan, pillar=None, hs_chapter=None)
    assert total.us_duty_cost == Decimal("269625.00")
    assert snapshot.regime_date == datetime.date(2026, 12, 3)
    # Lumber is in force but not modelled: named with its reason, never counted as 0.
    assert "us-s232-timber-lumber" in snapshot.assumptions["not_modelled"]


def test_stacking_order_before_june_4(michigan):
    """EO 14289 (to 2025-06-03): IEEPA Canada first; steel 232 only on the USMCA-qualifying share."""
    regime = regime_on(datetime.date(2025, 4, 15))
    rates = {measure.slug: rate for measure, rate in regime.rates["72"]}
    assert rates["us-ieepa-canada-25-usmca-exempt"] == Decimal("0.0475000000")  # 0.25 × 0.19
    assert rates["us-s232-steel-aluminum-25"] == Decimal("0.2025000000")  # 0.25 × 0.81


def test_overlays_remove_autos_and_leave_cusma(michigan):
    relief = _regime_scenario(regime_rolls_forward=True)
    ScenarioOverlay.objects.create(scenario=relief, action=OverlayAction.REMOVE, family="s232-autos")
    snapshot = exposure.exposure_refresh(scenario=relief, base_year=2024, today=datetime.date(2026, 12, 3))
    assert "us-s232-autos" not in _by_measure(snapshot, michigan)

    exit_ = _regime_scenario(regime_rolls_forward=True)
    ScenarioOverlay.objects.create(
        scenario=exit_, action=OverlayAction.USMCA_UTILIZATION, usmca_utilization=Decimal("0")
    )
    snapshot = exposure.exposure_refresh(scenario=exit_, base_year=2024, today=datetime.date(2026, 12, 3))
    # No USMCA claims: autos pay on the full value.
    assert _by_measure(snapshot, michigan)["us-s232-autos"] == Decimal("250000.00")


def test_section_122_renewed_without_exemption_does_not_stack_on_232(michigan):
    scenario = _regime_scenario(regime_rolls_forward=True)
    ScenarioOverlay.objects.create(
        scenario=scenario,
        action=OverlayAction.ADD,
        measure=TariffMeasure.objects.get(slug="us-s122-renewed-15-no-cusma-exemption"),
    )
    snapshot = exposure.exposure_refresh(scenario=scenario, base_year=2024, today=datetime.date(2026, 12, 3))
    # 15 % on chapters 44 and 84 (72 is under Section 232; 27 and 87 are outside its scope).
    assert _by_measure(snapshot, michigan)["us-s122-renewed-15-no-cusma-exemption"] == Decimal("52500.00")


def test_change_dates_list_the_days_a_measure_starts_or_ends(michigan):
    days = measure_change_dates(after=datetime.date(2026, 2, 1), until=datetime.date(2026, 12, 3))
    assert days == [datetime.date(2026, 2, 24), datetime.date(2026, 7, 24)]


def test_rolling_scenario_is_refreshed_only_when_a_measure_started_or_ended(michigan):
    scenario = _regime_scenario(regime_rolls_forward=True)
    first = exposure.exposure_refresh(scenario=scenario, base_year=2024, today=datetime.date(2026, 7, 1))
    # Nothing starts or ends between July 1 and July 20: nothing to do.
    assert exposure.exposure_refresh_rolling(today=datetime.date(2026, 7, 20)) == []
    # Section 122 expired on July 24: the regime changed, so the scenario is refreshed once.
    (second,) = exposure.exposure_refresh_rolling(today=datetime.date(2026, 7, 24))
    assert second.regime_date == datetime.date(2026, 7, 24) and second.is_current
    # 10 % on the non-USMCA 19 % of chapters 44 and 84 while in force; gone after.
    assert _by_measure(first, michigan)["us-s122-surcharge-10"] == Decimal("6650.00")
    assert "us-s122-surcharge-10" not in _by_measure(second, michigan)
    assert exposure.exposure_refresh_rolling(today=datetime.date(2026, 7, 24)) == []


def test_energy_pillar_does_not_count_chapter_26(reference):
    from trade.models import PillarHSCode

    energy_chapters = set(
        PillarHSCode.objects.filter(pillar__code="energy", counts_at_chapter_level=True).values_list(
            "chapter__code", flat=True
        )
    )
    assert "26" not in energy_chapters and "27" in energy_chapters
