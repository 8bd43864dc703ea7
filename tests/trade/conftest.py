import io

import pytest

from tests.trade.factories import DataReleaseFactory, TradeFlowFactory
from trade.models import HSChapter, State
from trade.public_data import load_measures, load_reference


@pytest.fixture
def reference(db):
    """States, HS chapters, pillars and the pillar map (small and fast)."""
    load_reference(stdout=io.StringIO())


IMPORTS = {"72": 100_000, "87": 1_000_000, "27": 200_000, "44": 50_000, "84": 300_000}
EXPORTS = {"72": 40_000, "22": 10_000}


@pytest.fixture
def michigan(reference):
    """Michigan's made-up 2024 trade (see tests/trade/test_regime.py) and the bundled measures."""
    load_measures(stdout=io.StringIO())
    release = DataReleaseFactory()
    state = State.objects.get(code="MI")
    chapters = {chapter.code: chapter for chapter in HSChapter.objects.all()}
    for flow, values in (("import", IMPORTS), ("export", EXPORTS)):
        for code, value in values.items():
            TradeFlowFactory(
                state=state, release=release, hs_chapter=chapters[code], year=2024, flow=flow, value_usd=value
            )
    return state
