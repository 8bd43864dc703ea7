"""Pages, API endpoints and admin changelists, with query counts constant at 10 vs 200 rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from tests.trade.factories import (
    DataReleaseFactory,
    HSChapterFactory,
    StateFactory,
    TariffScenarioFactory,
    TradeFlowFactory,
)
from trade.exposure import exposure_refresh
from trade.models import HSChapter, TariffScenario

pytestmark = pytest.mark.django_db


def _world(n: int, *, start: int = 0):
    """n synthetic states with twelve months of chapter detail each, a scenario and a fresh snapshot."""
    release = DataReleaseFactory(is_synthetic=True)
    chapter = HSChapterFactory(code="87")
    states = [StateFactory(code=f"{chr(65 + i // 26)}{chr(65 + i % 26)}") for i in range(start, start + n)]
    for state in states:
        for month in range(1, 13):
            TradeFlowFactory(
                state=state, release=release, hs_chapter=chapter, month=month, flow="import", value_usd=1000
            )
            TradeFlowFactory(
                state=state, release=release, hs_chapter=chapter, month=month, flow="export", value_usd=500
            )
    scenario = TariffScenario.objects.filter(slug="test").first() or TariffScenarioFactory(
        slug="test", is_default=True, default_ca_rate=Decimal("0.1")
    )
    exposure_refresh(scenario=scenario, base_year=2023)
    return states, scenario


def _count(callable_):
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/states/",
        "/states/?measure=jobs_at_risk_central",
        "/scenarios/",
        "/scenarios/compare/?first=test&second=test",
        "/api/states/",
        "/api/exposure/",
        "/api/exposure/?year=2023",
        "/api/scenarios/",
        "/api/data-releases/",
        "/admin/trade/state/",
        "/admin/trade/tradeflow/",
        "/admin/trade/exposurefigure/",
        "/admin/trade/exposuresnapshot/",
        "/admin/trade/tariffscenario/",
        "/admin/trade/importrun/",
        "/admin/trade/datarelease/",
        "/admin/trade/pillarhscode/",
    ],
)
def test_query_count_is_constant_from_10_to_200_rows(url, make_user, client_for):
    client = client_for(make_user(Role.ADMIN, username="admin", is_staff=True, is_superuser=True))
    params = {"page_size": 200} if url.startswith("/api/") else {}
    _world(10)
    small = _count(lambda: client.get(url, params))
    _world(190, start=10)
    large = _count(lambda: client.get(url, params))
    assert small == large


def test_state_page_shows_series_exposure_and_caveats(client_for, viewer):
    states, scenario = _world(1)
    response = client_for(viewer).get(f"/states/{states[0].code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "partial: 12 months" not in body
    assert scenario.name in body
    assert "not a trade deficit" in body


def test_states_page_requires_login(client):
    assert client.get("/states/").status_code == 302


def test_api_exposure_ranks_states_of_the_current_snapshot(api_for, viewer):
    states, scenario = _world(3)
    response = api_for(viewer).get("/api/exposure/", {"scenario": "test"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["rank"] for row in results] == [1, 2, 3]
    first = results[0]
    assert first["scenario"] == "test" and first["base_year"] == 2023
    assert Decimal(first["imports_from_canada"]) == Decimal("12000.00")
    assert Decimal(first["us_duty_cost"]) == Decimal("3000.00")
    assert Decimal(first["counter_duty_exposure"]) == Decimal("600.00")
    one = api_for(viewer).get("/api/exposure/", {"scenario": "test", "state": states[1].code.lower()}).json()
    assert [row["state"] for row in one["results"]] == [states[1].code]


def test_api_unknown_scenario_uses_the_error_envelope(api_for, viewer):
    _world(1)
    response = api_for(viewer).get("/api/exposure/", {"scenario": "nope"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_state_trade_grouped_by_month_year_and_hs(api_for, viewer):
    states, _ = _world(1)
    api = api_for(viewer)
    code = states[0].code
    by_month = api.get(f"/api/states/{code}/trade/", {"group_by": "month", "flow": "export", "year": 2023}).json()
    assert len(by_month["results"]) == 12
    assert by_month["results"][0] == {"year": 2023, "month": 1, "flow": "export", "value_usd": 500}
    by_year = api.get(f"/api/states/{code}/trade/", {"group_by": "year"}).json()["results"]
    assert by_year == [
        {"year": 2023, "flow": "export", "value_usd": 6000, "partial": False},
        {"year": 2023, "flow": "import", "value_usd": 12000, "partial": False},
    ]
    by_hs = api.get(f"/api/states/{code}/trade/", {"group_by": "hs", "flow": "import"}).json()["results"]
    # The chapter row may already carry its official name when the bundled data was loaded earlier.
    name = HSChapter.objects.get(code="87").name
    assert by_hs == [{"year": 2023, "hs_chapter": "87", "name": name, "flow": "import", "value_usd": 12000}]
    bad = api.get(f"/api/states/{code}/trade/", {"group_by": "planet"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_api_state_detail_and_unknown_state(api_for, viewer):
    states, _ = _world(1)
    assert api_for(viewer).get(f"/api/states/{states[0].code}/").json()["code"] == states[0].code
    assert api_for(viewer).get("/api/states/QQ/").status_code == 404


def test_state_page_labels_partial_years_and_compares_two_snapshots(client_for, viewer):
    states, scenario = _world(1)
    release = DataReleaseFactory()
    for month in (1, 2):
        TradeFlowFactory(
            state=states[0], release=release, hs_chapter=HSChapter.objects.get(code="87"), year=2024, month=month
        )
    first = scenario.snapshots.get()
    second = exposure_refresh(scenario=scenario, base_year=2024)
    client = client_for(viewer)
    body = client.get(f"/states/{states[0].code}/").content.decode()
    assert "2024 — partial year: 2 months" in body  # the chapter-detail year selector
    assert "Trade by pillar and HS chapter, 2024" in body  # the current snapshot's base year
    assert f"Snapshot #{first.pk} → #{second.pk}" in body
    assert "Imports from Canada" in body.split("What changed between two snapshots")[1]
    body = client.get(f"/states/{states[0].code}/", {"year": 2023, "old": second.pk, "new": second.pk}).content.decode()
    assert "Trade by pillar and HS chapter, 2023" in body and "partial year: 12" not in body
    assert "No figure changed." in body


def test_api_state_trade_grouped_by_pillar_and_filtered_by_month(api_for, viewer):
    from trade.models import Pillar, PillarHSCode

    states, _ = _world(1)
    autos = Pillar.objects.create(code="autos", name="Autos")
    PillarHSCode.objects.create(pillar=autos, hs_code="87", hs_level="HS2", chapter=HSChapter.objects.get(code="87"))
    api, code = api_for(viewer), states[0].code
    by_pillar = api.get(f"/api/states/{code}/trade/", {"group_by": "pillar", "year": 2023}).json()["results"]
    assert by_pillar == [
        {"year": 2023, "pillar": "autos", "flow": "export", "value_usd": 6000, "partial_chapter": False},
        {"year": 2023, "pillar": "autos", "flow": "import", "value_usd": 12000, "partial_chapter": False},
    ]
    march = api.get(f"/api/states/{code}/trade/", {"group_by": "pillar", "year": 2023, "month": 3, "flow": "import"})
    assert march.json()["results"] == [
        {"year": 2023, "pillar": "autos", "flow": "import", "value_usd": 1000, "partial_chapter": False}
    ]
    assert api.get(f"/api/states/{code}/trade/", {"group_by": "month", "month": 13}).status_code == 400


def test_scenario_rates_schema_says_chapter_and_pillar_may_be_null(api_for, viewer):
    """A chapter rate has no pillar (and a pillar rate no chapter): the API returns null there, so the
    schema must allow it or every client generated from it rejects the response."""
    from drf_spectacular.generators import SchemaGenerator

    from tests.trade.factories import ScenarioRateFactory

    ScenarioRateFactory(hs_chapter=HSChapterFactory(code="27"))
    listed = api_for(viewer).get("/api/scenarios/").json()["results"]
    assert [(r["hs_chapter"], r["pillar"]) for s in listed for r in s["rates"]] == [("27", None)]
    properties = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]["ScenarioRate"][
        "properties"
    ]
    assert properties["pillar"] == {"type": "string", "nullable": True, "readOnly": True}
    assert properties["hs_chapter"] == {"type": "string", "nullable": True, "readOnly": True}


def test_puerto_rico_page_says_why_there_are_no_figures_instead_of_zeros(client_for, viewer):
    _world(1)
    StateFactory(code="PR", name="Puerto Rico")
    body = client_for(viewer).get("/states/PR/").content.decode()
    assert "No trade figures for this jurisdiction" in body
    assert "cover the 50 states and the District of Columbia" in body
    assert "Exposure under each scenario" not in body and "<svg" not in body


def test_every_state_page_with_figures_says_bts_counts_origin_of_movement_without_unverified_numbers(
    client_for, viewer
):
    states, _scenario = _world(1)
    body = client_for(viewer).get(f"/states/{states[0].code}/").content.decode()
    assert 'id="origin-footnote"' in body
    assert "BTS counts the state of origin of movement" in body
    assert "26 %" not in body and "7.5" not in body


def test_share_of_gdp_says_it_combines_base_year_trade_with_the_2022_gdp(client_for, api_for, viewer):
    from trade.models import StateEconomics

    state = StateFactory(code="AA")
    StateEconomics.objects.create(state=state, year=2022, gdp_usd=10**12, population=1, source="test")
    _states, scenario = _world(1)
    snapshot = scenario.snapshots.get(is_current=True)
    assert snapshot.gdp_year == 2022 and snapshot.assumptions["gdp_year"] == 2022
    assert str(snapshot.gdp_share_years) == "2023 trade ÷ 2022 GDP"
    client = client_for(viewer)
    assert "2023 trade ÷ 2022 GDP" in client.get("/states/").content.decode()
    assert "2023 trade ÷ 2022 GDP" in client.get("/states/?measure=duty_cost_share_of_gdp").content.decode()
    row = api_for(viewer).get("/api/exposure/", {"scenario": "test"}).json()["results"][0]
    assert (row["base_year"], row["gdp_year"]) == (2023, 2022)


def test_gdp_year_of_a_snapshot_built_before_it_was_recorded_is_read_from_its_check():
    from trade.models import ExposureSnapshot

    snapshot = ExposureSnapshot(
        base_year=2024, checks=[{"name": "GDP year", "ok": True, "detail": "state GDP of 2022 used for shares"}]
    )
    assert snapshot.gdp_year == 2022
    assert ExposureSnapshot(base_year=2022, assumptions={"gdp_year": 2022}).gdp_share_years == "2022 trade and GDP"


def test_a_state_page_before_any_import_does_not_claim_the_state_is_outside_bts(client_for, viewer):
    StateFactory(code="MI", name="Michigan")
    body = client_for(viewer).get("/states/MI/").content.decode()
    assert "No trade figures have been imported yet." in body
    assert "is not in those files" not in body
