from decimal import Decimal

import pytest

from core.roles import Role
from tests.trade.factories import HSChapterFactory, ScenarioRateFactory, TariffScenarioFactory
from trade.choices import ImportStatus
from trade.models import ImportRun, TariffScenario, TradeFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user, client_for):
    # Admin pages need a session that passed the second factor.
    return client_for(make_user(Role.ADMIN, username="boss", is_staff=True, is_superuser=True))


def test_editing_a_scenario_in_admin_creates_a_new_version(admin_client):
    scenario = TariffScenarioFactory(slug="s", name="S")
    rate = ScenarioRateFactory(scenario=scenario, hs_chapter=HSChapterFactory(code="27"))
    page = admin_client.get(f"/admin/trade/tariffscenario/{scenario.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(
        {
            "name": "S revised",
            "default_us_rate": "0.30",
            "rates-TOTAL_FORMS": "1",
            "rates-INITIAL_FORMS": "1",
            "rates-0-id": str(rate.pk),
            "rates-0-scenario": str(scenario.pk),
            "rates-0-hs_chapter": str(rate.hs_chapter_id),
            "rates-0-pillar": "",
            "rates-0-us_rate": "0.15",
            "rates-0-usmca_exempt_share": "0",
            "rates-0-ca_rate": "0",
            "rates-0-note": "edited",
        }
    )
    data["is_default"] = ""
    data["is_synthetic"] = ""
    response = admin_client.post(f"/admin/trade/tariffscenario/{scenario.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    new = TariffScenario.objects.get(slug="s", is_current_version=True)
    old = TariffScenario.objects.get(pk=scenario.pk)
    assert (new.version, new.name, new.default_us_rate) == (2, "S revised", Decimal("0.3000"))
    assert (old.version, old.name, old.default_us_rate, old.is_current_version) == (1, "S", Decimal("0.2500"), False)
    assert list(new.rates.values_list("us_rate", "note")) == [(Decimal("0.1500"), "edited")]
    assert list(old.rates.values_list("us_rate", "note")) == [(Decimal("0.1000"), "")]


def test_upload_page_previews_without_writing(admin_client, reference):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", b"year,state,state_name,flow,value_usd\n2024,MI,Michigan,export,5\n")
    response = admin_client.post(
        "/admin/trade/importrun/upload/", {"file": upload, "format": "bts-annual", "skip_invalid": ""}
    )
    assert response.status_code == 200
    assert "Import this file" in response.content.decode()
    assert ImportRun.objects.get().status == ImportStatus.DRY_RUN
    assert TradeFlow.objects.count() == 0
