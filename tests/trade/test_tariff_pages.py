"""The tariffs page, the state page's 'in force today' and jobs figures, and the measure/exposure API."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.trade.factories import TariffScenarioFactory
from trade.exposure import exposure_refresh
from trade.models import State, TariffMeasure, TariffTimelineReview

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def in_force_today(michigan):
    scenario = TariffScenarioFactory(
        slug="in-force-today",
        is_default=True,
        regime_rolls_forward=True,
        default_us_rate=Decimal("0"),
        jobs_per_billion_usd=Decimal("5744"),
        jobs_source="ITA, Jobs Supported by Exports 2016: 5,744 jobs per US$1 billion.",
    )
    exposure_refresh(scenario=scenario, base_year=2024, today=TODAY)
    return scenario


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _copy_measures(n: int) -> None:
    template = TariffMeasure.objects.get(slug="us-s232-autos")
    for i in range(n):
        template.pk = None
        template.slug = f"copy-{i}-{TariffMeasure.objects.count()}"
        template.save()


def test_tariffs_page_lists_measures_with_sources_and_a_stale_warning(client_for, viewer, michigan):
    body = client_for(viewer).get("/tariffs/").content.decode()
    assert "Section 232 steel and aluminum, 50 %, no USMCA exemption" in body
    assert "Canadian 25 % surtax on US steel and aluminum" in body
    assert "not verified" in body
    # The bundled timeline is verified through 2026-02-24, more than 30 days ago.
    assert "Tariff measures last verified on" in body
    filtered = client_for(viewer).get("/tariffs/", {"side": "canada"}).content.decode()
    assert "Proclamation 10947" not in filtered and "surtax on US steel" in filtered


def test_no_stale_warning_when_verified_recently(client_for, viewer, michigan):
    TariffTimelineReview.objects.create(verified_through=datetime.date.today())
    assert "last verified on" not in client_for(viewer).get("/tariffs/").content.decode()


def test_tariffs_page_and_api_query_counts_stay_constant(client_for, api_for, viewer, michigan):
    page, api = client_for(viewer), api_for(viewer)
    small = (_queries(page, "/tariffs/"), _queries(api, "/api/tariff-measures/", {"page_size": 200}))
    _copy_measures(30)
    large = (_queries(page, "/tariffs/"), _queries(api, "/api/tariff-measures/", {"page_size": 200}))
    assert small == large


def test_api_tariff_measures_fields_and_filters(api_for, viewer, michigan):
    response = api_for(viewer).get("/api/tariff-measures/", {"authority": "section_232", "page_size": 100})
    rows = response.json()["results"]
    steel = next(row for row in rows if row["slug"] == "us-s232-steel-aluminum-50")
    for field in (
        "side",
        "authority",
        "instrument",
        "rate",
        "usmca_treatment",
        "effective_from",
        "effective_to",
        "status",
        "source_url",
        "verified_on",
        "scope",
    ):
        assert field in steel
    assert steel["rate"] == "0.5000" and steel["usmca_treatment"] == "not_exempt"
    assert steel["scope"]["chapters"] == {"72": "1", "73": "1", "76": "1"}
    assert {row["authority"] for row in rows} == {"section_232"}


def test_state_page_shows_in_force_today_by_measure_jobs_and_assumptions(client_for, viewer, in_force_today):
    body = client_for(viewer).get("/states/MI/").content.decode()
    assert "Duties in force today, by measure" in body
    assert "Section 232 automobiles and parts" in body
    assert "0.2" in body  # $219,625 = US$0.2 million
    assert "In force, not modelled:" in body and "softwood lumber (4407)" in body
    assert "USMCA utilization (all): 0.8100 central, range 0.5600–0.8500" in body
    assert "From US duties on imports from Canada: not modelled" in body
    # Jobs supported: exports to Canada need a full year of annual totals; the fixture has chapter cells only.
    assert "Not computed: no full year of exports to Canada" in body


def test_api_state_jobs_supported_rounds_once(api_for, viewer, in_force_today, michigan):
    from tests.trade.factories import DataReleaseFactory, TradeFlowFactory

    TradeFlowFactory(state=michigan, release=DataReleaseFactory(), year=2024, flow="export", value_usd=61_000_000)
    jobs = api_for(viewer).get("/api/states/MI/").json()["jobs_supported_by_exports_to_canada"]
    # 61,000,000 × 5,744 / 1e9 = 350.384 jobs, kept to 2 places; a page shows 350.
    assert jobs["value"] == "350.38" and jobs["year"] == 2024
    assert "2016" in jobs["source"] and "2024" in jobs["source"]


def test_api_exposure_by_measure_and_as_of(api_for, viewer, in_force_today):
    api = api_for(viewer)
    today = api.get("/api/exposure/", {"scenario": "in-force-today", "state": "MI"}).json()["results"][0]
    assert {row["measure"]: row["amount_usd"] for row in today["by_measure"]} == {
        "us-s232-autos": "219625.00",
        "us-s232-steel-aluminum-50": "50000.00",
        "ca-surtax-steel-aluminum": "10000.00",
    }
    peak = api.get("/api/exposure/", {"scenario": "in-force-today", "state": "MI", "as_of": "2025-08-15"}).json()
    (row,) = peak["results"]
    assert row["us_duty_cost"] == "296700.00" and row["as_of"] == "2025-08-15"
    assert any(item["measure"] == "us-s232-copper-50" for item in row["not_modelled"])
    bad = api.get("/api/exposure/", {"as_of": "15/08/2025"})
    assert bad.status_code == 400


def test_regime_assumption_text_names_date_utilization_and_gaps(in_force_today):
    from trade.selectors import regime_assumption_text, snapshot_current

    text = regime_assumption_text(snapshot=snapshot_current(scenario=in_force_today))
    assert text.startswith("Tariff measures in force on 2026-12-03.")
    assert "USMCA utilization (all): 0.8100, range 0.5600–0.8500, not verified." in text
    assert "us-s232-timber-lumber" in text


def test_tariffs_page_charts_monthly_duty_as_measures_came_and_went(client_for, viewer, in_force_today):
    from trade.selectors import monthly_duty_series

    series = monthly_duty_series(
        scenario=in_force_today,
        state=State.objects.get(code="MI"),
        first=datetime.date(2025, 1, 1),
        last=datetime.date(2026, 12, 3),
    )
    by_month = {row["month"]: row["duty"] for row in series}
    assert len(series) == 24
    assert by_month[datetime.date(2025, 1, 1)] == 0  # before any measure
    # September 2025: the same US measures as on 2025-08-15 (lumber starts in October): 296,700 / 12.
    assert by_month[datetime.date(2025, 9, 1)] == Decimal("296700") / 12
    assert by_month[datetime.date(2026, 12, 1)] == Decimal("269625") / 12
    body = client_for(viewer).get("/tariffs/", {"state": "MI"}).content.decode()
    assert "<svg" in body and "2025-09: US$24.7K" in body


def test_tariffs_page_in_french_labels_the_chart_in_french(client_for, viewer, in_force_today):
    body = client_for(viewer).get("/tariffs/", {"state": "MI"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # September 2025: 296,700 / 12 = 24,725 US dollars of duty.
    assert "2025-09: 24,7\xa0k$\xa0US" in body
    assert "US$24.7K" not in body


def test_a_lead_edits_a_measure_and_a_viewer_cannot(client_for, viewer, lead, michigan):
    url = "/tariffs/us-s232-copper-50/edit/"
    assert client_for(viewer).get(url).status_code == 403
    measure = TariffMeasure.objects.get(slug="us-s232-copper-50")
    from trade.forms import TariffMeasureForm

    data = {name: "" if value is None else value for name, value in TariffMeasureForm(instance=measure).initial.items()}
    data.update(
        effective_from="2025-08-01", verified_on="2026-12-03", verification_note="Checked against the proclamation."
    )
    response = client_for(lead).post(url, data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.verification_note == "Checked against the proclamation."
    assert measure.effective_from == datetime.date(2025, 8, 1)
    assert measure.source_says.startswith("50 % on semi-finished copper")  # untouched fields kept
    # A bad edit (end before start) changes nothing.
    bad = client_for(lead).post(url, {**data, "effective_to": "2025-01-01", "end_reason": "revoked"})
    assert bad.status_code == 200
    measure.refresh_from_db()
    assert measure.effective_to is None


def test_the_version_token_is_never_a_changed_field(michigan):
    """Each render signs a new token; without care every save would list `version` among the changes."""
    from core.forms import VersionedFormMixin
    from trade.forms import TariffMeasureForm

    measure = TariffMeasure.objects.get(slug="us-s232-copper-50")
    data = {name: "" if value is None else value for name, value in TariffMeasureForm(instance=measure).initial.items()}
    data["version"] = VersionedFormMixin.version_token(measure.version)
    form = TariffMeasureForm(data, instance=measure)
    assert form.is_valid(), form.errors
    assert form.changed_data == []
    data["verification_note"] = "Checked."
    assert TariffMeasureForm(data, instance=measure).changed_data == ["verification_note"]
