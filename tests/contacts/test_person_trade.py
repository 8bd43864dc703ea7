"""The person page joins a stakeholder to the trade exposure of their states."""

from decimal import Decimal

import pytest

from core.formatting import money
from tests.contacts.factories import PersonFactory
from tests.trade.factories import (
    DataReleaseFactory,
    HSChapterFactory,
    StateFactory,
    TariffScenarioFactory,
    TradeFlowFactory,
)
from trade.exposure import exposure_refresh

pytestmark = pytest.mark.django_db


def test_person_page_shows_exposure_of_their_states(client_for, viewer):
    state = StateFactory(code="QQ", name="Synthetic State QQ")
    release = DataReleaseFactory(is_synthetic=True)
    chapter = HSChapterFactory(code="87")
    for month in range(1, 13):
        TradeFlowFactory(state=state, release=release, hs_chapter=chapter, month=month, flow="import", value_usd=1000)
        TradeFlowFactory(state=state, release=release, hs_chapter=chapter, month=month, flow="export", value_usd=500)
    scenario = TariffScenarioFactory(slug="person-page", is_default=True, default_ca_rate=Decimal("0.1"))
    snapshot = exposure_refresh(scenario=scenario, base_year=2023)
    figure = snapshot.figures.get(state=state, pillar__isnull=True, hs_chapter__isnull=True)
    person = PersonFactory()
    person.states.add(state)

    page = client_for(viewer).get(f"/stakeholders/{person.pk}/").content.decode()

    assert "Synthetic State QQ" in page
    # Amounts read compact, with the exact figure on hover.
    assert ">US$6.0K<" in page and 'title="US$6,000"' in page  # exports 12 × 500
    assert ">US$12.0K<" in page and 'title="US$12,000"' in page  # imports 12 × 1,000
    assert f'title="{money(figure.us_duty_cost)}"' in page
    assert scenario.name in page


def test_person_page_without_snapshot_says_so(client_for, viewer):
    state = StateFactory(code="QR", name="Synthetic State QR")
    person = PersonFactory()
    person.states.add(state)
    page = client_for(viewer).get(f"/stakeholders/{person.pk}/").content.decode()
    assert "Synthetic State QR" in page
