"""The tariff regime on a date: which measures apply, and at what effective rate on each HS chapter.

Rules (docs/methodology.md, "Tariff measures"):

1. Measures in force on the date (effective_from ≤ date < effective_to), plus a scenario's overlays.
2. Per chapter, a measure covers `coverage` of the chapter's trade value (1 for an all-chapters scope).
3. Stacking: a measure yields to the families in its `yields_to`. It applies only to the share of the
   chapter the measures it yields to leave unclaimed: available = 1 − Σ claimed(h), and it claims
   min(coverage, available) × (1 − u when USMCA-qualifying goods are exempt, else 1). Measures are
   processed so that every measure comes after the ones it yields to.
4. USMCA: with utilization u for the chapter and period, `exempt` charges (1 − u) of the claimed value;
   `not_exempt` charges all of it; `non_us_content_only` charges (1 − u) + u × (1 − US content share).
5. Effective rate = rate × dutiable share. A chapter's US rate is the sum over US measures, its Canadian
   counter-duty the sum over Canadian measures.

Everything here works on ≤ 99 chapters × a few dozen measures; trade rows are aggregated in the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from trade.choices import MeasureSide, OverlayAction, UsmcaTreatment
from trade.models import HSChapter, TariffMeasure, TariffScenario, UsmcaUtilization

SHARE = Decimal("0.0000000001")
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Utilization:
    chapter_group: str
    low: Decimal
    central: Decimal
    high: Decimal
    source: str
    verified: bool

    def as_dict(self) -> dict:
        return {
            "chapter_group": self.chapter_group,
            "low": str(self.low),
            "central": str(self.central),
            "high": str(self.high),
            "source": self.source,
            "verified": self.verified,
        }


@dataclass
class Regime:
    """The measures applied on a date and their effective rate per chapter code."""

    as_of: datetime.date
    measures: list[TariffMeasure]
    rates: dict[str, list[tuple[TariffMeasure, Decimal]]] = field(default_factory=dict)
    utilization: dict[str, Utilization] = field(default_factory=dict)
    utilization_override: Decimal | None = None

    def chapter_totals(self, chapter: str) -> tuple[Decimal, Decimal]:
        """(US effective rate, Canadian effective rate) on one chapter."""
        us = sum((rate for measure, rate in self.rates.get(chapter, []) if measure.side == MeasureSide.US), ZERO)
        ca = sum((rate for measure, rate in self.rates.get(chapter, []) if measure.side == MeasureSide.CANADA), ZERO)
        return us, ca

    def not_modelled(self) -> list[TariffMeasure]:
        return [measure for measure in self.measures if measure.not_modelled_reason]

    def assumptions(self) -> dict:
        return {
            "regime_date": self.as_of.isoformat(),
            "usmca_utilization": {group: item.as_dict() for group, item in sorted(self.utilization.items())},
            "usmca_utilization_override": None if self.utilization_override is None else str(self.utilization_override),
            "measures": [measure.slug for measure in self.measures],
            "not_modelled": {measure.slug: measure.not_modelled_reason for measure in self.not_modelled()},
        }


def utilization_on(day: datetime.date) -> dict[str, Utilization]:
    """The utilization rows covering `day`, by chapter group ("all" or a chapter code)."""
    rows = UsmcaUtilization.objects.filter(period_from__lte=day).order_by("chapter_group", "-period_from")
    found: dict[str, Utilization] = {}
    for row in rows:
        if row.period_to is not None and row.period_to <= day:
            continue
        found.setdefault(
            row.chapter_group,
            Utilization(
                chapter_group=row.chapter_group,
                low=row.low,
                central=row.central,
                high=row.high,
                source=row.source,
                verified=row.verified_on is not None,
            ),
        )
    return found


def _ordered(measures: list[TariffMeasure]) -> list[TariffMeasure]:
    """Measures sorted so that each comes after every family it yields to (stable otherwise)."""
    remaining = list(measures)
    ordered: list[TariffMeasure] = []
    placed: set[str] = set()
    present = {measure.family for measure in measures}
    while remaining:
        progressed = False
        for measure in list(remaining):
            waits_for = {family for family in measure.yields_to if family in present and family != measure.family}
            if waits_for <= placed:
                ordered.append(measure)
                remaining.remove(measure)
                progressed = True
        placed = {measure.family for measure in ordered}
        if not progressed:
            # A cycle (two measures yielding to each other on one date) is a data error: keep the order.
            ordered.extend(remaining)
            break
    return ordered


def _apply_overlays(
    measures: list[TariffMeasure], scenario: TariffScenario | None
) -> tuple[list[TariffMeasure], Decimal | None]:
    if scenario is None:
        return measures, None
    override = None
    by_slug = {measure.slug: measure for measure in measures}
    for overlay in scenario.overlays.select_related("measure").order_by("id"):
        if overlay.action == OverlayAction.ADD and overlay.measure is not None:
            by_slug[overlay.measure.slug] = overlay.measure
        elif overlay.action == OverlayAction.REMOVE:
            for slug, measure in list(by_slug.items()):
                if (overlay.measure_id and measure.pk == overlay.measure_id) or (
                    overlay.family and measure.family == overlay.family
                ):
                    del by_slug[slug]
        elif overlay.action == OverlayAction.CHANGE and overlay.measure is not None:
            changed = by_slug.get(overlay.measure.slug)
            if changed is not None:
                if overlay.rate is not None:
                    changed.rate = overlay.rate
                if overlay.usmca_treatment:
                    changed.usmca_treatment = overlay.usmca_treatment
        elif overlay.action == OverlayAction.USMCA_UTILIZATION and overlay.usmca_utilization is not None:
            override = overlay.usmca_utilization
    return list(by_slug.values()), override


def regime_on(day: datetime.date, *, scenario: TariffScenario | None = None, level: str = "central") -> Regime:
    """The regime on `day`, with the scenario's overlays, at the low / central / high utilization."""
    in_force = list(TariffMeasure.objects.in_force_on(day).order_by("slug"))
    measures, override = _apply_overlays(in_force, scenario)
    utilization = utilization_on(day)
    regime = Regime(as_of=day, measures=sorted(measures, key=lambda m: m.slug), utilization=utilization)
    regime.utilization_override = override
    codes = list(HSChapter.objects.order_by("code").values_list("code", flat=True))
    ordered = _ordered(measures)
    for code in codes:
        if override is not None:
            share = override
        else:
            chosen = utilization.get(code) or utilization.get("all")
            share = getattr(chosen, level) if chosen else ZERO
        claimed: dict[str, Decimal] = {}
        for measure in ordered:
            coverage = measure.chapter_coverage([code]).get(code)
            if not coverage or measure.not_modelled_reason:
                continue
            taken = sum((claimed.get(family, ZERO) for family in measure.yields_to), ZERO)
            available = max(ZERO, ONE - taken)
            articles = min(coverage, available)
            if measure.usmca_treatment == UsmcaTreatment.EXEMPT:
                articles_claimed = articles * (ONE - share)
                dutiable = articles_claimed
            elif measure.usmca_treatment == UsmcaTreatment.NON_US_CONTENT_ONLY:
                articles_claimed = articles
                us_content = measure.us_content_share or ZERO
                dutiable = articles * ((ONE - share) + share * (ONE - us_content))
            else:
                articles_claimed = articles
                dutiable = articles
            claimed[measure.family] = claimed.get(measure.family, ZERO) + articles_claimed
            effective = (measure.rate * dutiable).quantize(SHARE)
            if effective > 0:
                regime.rates.setdefault(code, []).append((measure, effective))
    return regime


def scenario_regime_date(scenario: TariffScenario, *, today: datetime.date | None = None) -> datetime.date:
    """The date whose measures a regime scenario applies: its fixed date, or today when it rolls forward."""
    if scenario.regime_rolls_forward or scenario.regime_date is None:
        return today or datetime.date.today()
    return scenario.regime_date


def measure_change_dates(*, after: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Days in (after, until] on which a measure starts or ends: the rolling regime changes then."""
    starts = TariffMeasure.objects.filter(effective_from__gt=after, effective_from__lte=until).values_list(
        "effective_from", flat=True
    )
    ends = TariffMeasure.objects.filter(effective_to__gt=after, effective_to__lte=until).values_list(
        "effective_to", flat=True
    )
    return sorted(set(starts) | set(ends))
