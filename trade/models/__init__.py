"""Trade models: reference data, trade figures and their releases, tariff scenarios, exposure."""

from trade.models.exposure import ExposureFigure, ExposureSnapshot
from trade.models.flows import DataRelease, ImportRun, NationalTradeFlow, TradeFlow
from trade.models.reference import HSChapter, Pillar, PillarHSCode, State, StateEconomics
from trade.models.scenarios import ScenarioChapterRate, ScenarioRate, TariffScenario

__all__ = [
    "DataRelease",
    "ExposureFigure",
    "ExposureSnapshot",
    "HSChapter",
    "ImportRun",
    "NationalTradeFlow",
    "Pillar",
    "PillarHSCode",
    "ScenarioChapterRate",
    "ScenarioRate",
    "State",
    "StateEconomics",
    "TariffScenario",
    "TradeFlow",
]
