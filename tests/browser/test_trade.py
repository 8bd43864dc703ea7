"""The trade pages in a real browser, on real bundled data (a subset, for speed): the states map and
ranking, a state page, the scenarios and their comparison. Screenshots are kept for people to look at.

Loaded: reference data, the BTS state × year file (1993–2025), the state × HS chapter annual file for
2023 (a full year: the exposure base year), January 2015 of the monthly chapter detail (a partial year,
to check it is labelled), and the bundled scenarios with their snapshots.
"""

import datetime
import gzip
import io
from pathlib import Path

import pytest
from django.conf import settings

from core.roles import Role
from tests.core.factories import PASSWORD
from trade.choices import ImportFormat, ImportStatus
from trade.exposure import exposure_refresh
from trade.public_data import bundled_trade_files, load_reference, load_scenarios
from trade.selectors import scenario_default
from trade.services import ReleaseInfo, trade_file_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRADE = Path(settings.BASE_DIR) / "data" / "trade"
HS2_ANNUAL = "bts_state_hs2_canada_annual_2020_2024.csv"


def _lines(content: str, prefix: str) -> bytes:
    lines = content.splitlines(keepends=True)
    return "".join([lines[0], *(line for line in lines[1:] if line.startswith(prefix))]).encode()


def _import(content: bytes, file_name: str, format: str, info: ReleaseInfo) -> None:
    run = trade_file_import(
        content=content, file_name=file_name, format=format, release_info=info, enqueue_refresh=False
    )
    assert run.status == ImportStatus.SUCCEEDED, (run.message, run.errors[:3])


@pytest.fixture
def trade_data():
    load_reference(stdout=io.StringIO())
    files = {name: (format, info) for name, format, info in bundled_trade_files()}
    annual = "bts_state_canada_annual_1993_2025.csv"
    _import((TRADE / annual).read_bytes(), annual, *files[annual])
    _import(
        _lines((TRADE / HS2_ANNUAL).read_text(encoding="utf-8"), "2023,"),
        f"{HS2_ANNUAL} (2023 rows)",
        ImportFormat.BTS_STATE_HS2_ANNUAL,
        ReleaseInfo(
            source="U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (DOT2, summed by year)",
            title="State × HS chapter trade with Canada, 2023",
            url="https://www.bts.gov/transborder",
            vintage_date=datetime.date(2024, 8, 31),
        ),
    )
    monthly = "bts_state_hs2_canada_monthly.csv.gz"
    text = gzip.decompress((TRADE / monthly).read_bytes()).decode("utf-8")
    _import(_lines(text, "2015,1,"), f"{monthly} (2015-01 rows)", *files[monthly])
    load_scenarios(stdout=io.StringIO())
    # A second refresh of the default scenario, so the state page can compare two snapshots.
    exposure_refresh(scenario=scenario_default(), trigger="browser test")


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def test_states_state_and_scenario_pages(page, make_user, login, shot, trade_data):
    errors = _csp_errors(page)
    viewer = make_user(Role.VIEWER, username="tradeviewer")
    login(viewer.username, PASSWORD)

    page.goto("/states/")
    tile_map = page.get_by_role("img", name="US duty cost by state (US$ millions)")
    assert tile_map.count() == 1
    # 50 states and DC link to their page; BTS reports no Puerto Rico figures, so its tile says "no data".
    assert page.locator("svg.tile-map a").count() == 51
    assert "PR: no data" in tile_map.text_content()
    assert "US duty cost (US$ millions)" in tile_map.text_content()
    ranking = page.get_by_role("table", name="States ranked by US duty cost plus counter-duty")
    first = ranking.get_by_role("row").nth(1)
    assert first.get_by_role("cell").first.inner_text() == "1"
    assert "Base year 2023 (12 months" in page.get_by_role("region", name="In force today").inner_text()
    shot(page, "1-states")

    page.get_by_label("Colour the map by").select_option("jobs_at_risk_central")
    page.get_by_label("Scenario:", exact=True).select_option("us-usmca-exempt-plus-canada-counter-2025")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/states/?*measure=jobs_at_risk_central*")
    assert page.get_by_role("img", name="Jobs at risk (central) by state (jobs)").count() == 1
    assert page.get_by_role("heading", name="US duties (USMCA exempt) and Canada's 2025 counter-tariffs").count() == 1
    shot(page, "2-states-jobs")

    page.locator("svg.tile-map a[href='/states/MI/']").click()
    page.wait_for_url("**/states/MI/")
    assert page.get_by_role("heading", name="Michigan (MI)").is_visible()
    chart = page.get_by_role("img", name="Trade of Michigan with Canada by year, US$ billions")
    assert chart.locator("rect[fill='#08519c']").count() >= 10  # 10+ years of exports bars
    years = page.get_by_role("table", name="Trade with Canada by year, US$ millions")
    assert years.get_by_role("row", name="2024").inner_text().split("\t")[1:3] == ["23,299.2", "44,812.6"]
    scenarios = page.get_by_role("table", name="Current snapshot of each scenario")
    assert scenarios.get_by_role("row").count() == 12  # header + 11 bundled scenarios (4 historical, 7 regimes)
    assert page.get_by_role("table", name="Trade by pillar, 2023").get_by_role("row").count() == 8
    assert page.get_by_text("partial-chapter approximation").first.is_visible()
    assert page.get_by_role("table", name="The ten largest HS chapters").get_by_role("row").count() == 11
    assert page.get_by_role("option", name="2015 — partial year: 1 month").count() == 1
    assert page.get_by_role("heading", name="What changed between two snapshots").is_visible()
    assert page.get_by_text("No figure changed.").is_visible()
    assert page.get_by_role("heading", name="Sources and caveats").is_visible()
    shot(page, "3-michigan")

    page.get_by_label("Year", exact=True).select_option("2015")
    page.get_by_role("button", name="Show year").click()
    page.wait_for_url("**/states/MI/?year=2015")
    assert page.get_by_role("heading", name="Trade by pillar and HS chapter, 2015 partial year: 1 month").count() == 1
    shot(page, "4-michigan-2015")

    page.goto("/scenarios/")
    assert page.get_by_role("heading", level=2).count() == 11  # one per bundled scenario
    assert page.get_by_role("table", name="Canada's 2025 counter-tariffs: rates by HS chapter or pillar").count() == 1
    shot(page, "5-scenarios")

    page.get_by_role("link", name="Compare two scenarios").click()
    page.wait_for_url("**/scenarios/compare/")
    table = page.get_by_role("table", name="cost per state, US$ millions")
    assert table.get_by_role("row").count() == 2 + 52  # two header rows, 51 states + DU
    shot(page, "6-compare-default")
    page.get_by_label("First scenario").select_option("status-quo")
    page.get_by_label("Second scenario").select_option("us-25-energy-10")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/scenarios/compare/?first=status-quo&second=us-25-energy-10")
    top = page.get_by_role("table", name="cost per state").get_by_role("row").nth(2)
    assert top.get_by_role("cell").last.inner_text().startswith("+")
    shot(page, "7-compare")
    assert errors == []
