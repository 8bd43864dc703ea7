"""Trade models: reference data, trade figures and their releases, tariff scenarios, exposure."""

from trade.models.exposure import ExposureFigure, ExposureSnapshot
from trade.models.flows import DataRelease, ImportRun, NationalTradeFlow, TradeFlow
from trade.models.measures import (
    ExposureMeasureFigure,
    ScenarioMeasureRate,
    ScenarioOverlay,
    TariffMeasure,
    TariffTimelineReview,
    UsmcaUtilization,
)
from trade.models.reference import HSChapter, Pillar, PillarHSCode, State, StateEconomics
from trade.models.scenarios import ScenarioChapterRate, ScenarioRate, TariffScenario

__all__ = [
    "DataRelease",
    "ExposureFigure",
    "ExposureMeasureFigure",
    "ExposureSnapshot",
    "HSChapter",
    "ImportRun",
    "NationalTradeFlow",
    "Pillar",
    "PillarHSCode",
    "ScenarioChapterRate",
    "ScenarioMeasureRate",
    "ScenarioOverlay",
    "ScenarioRate",
    "State",
    "StateEconomics",
    "TariffMeasure",
    "TariffScenario",
    "TariffTimelineReview",
    "TradeFlow",
    "UsmcaUtilization",
]
