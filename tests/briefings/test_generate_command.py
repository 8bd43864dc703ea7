import pytest
from django.core.management import call_command
from pypdf import PdfReader

from briefings.models import BriefingPacket
from contacts.choices import PersonKind
from contacts.models import Person
from core.formatting import money
from trade import selectors as trade_selectors
from trade.models import ExposureSnapshot, State, TradeFlow
from trade.public_data import scenario_definitions

pytestmark = pytest.mark.django_db


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_generate_briefing_state_mi_pdf_holds_trade_senators_and_duty_cost(tmp_path, state_trade, public_people):
    state_trade("MI", "OH", scenarios=True)
    michigan = State.objects.get(code="MI")
    scenario = trade_selectors.scenario_default()
    figure = trade_selectors.exposure_for_state(state=michigan, scenario=scenario)["total"]
    annual_2024 = {
        flow.flow: flow.value_usd
        for flow in TradeFlow.objects.effective().annual_totals().filter(state=michigan, year=2024)
    }
    output = tmp_path / "mi.pdf"

    call_command("generate_briefing", "--state", "MI", "--format", "pdf", "--output", str(output))

    text = _pdf_text(output)
    assert output.read_bytes().startswith(b"%PDF")
    # BTS 2024 annual totals for Michigan as the trade engine stores them, formatted as the packet prints them.
    assert annual_2024 == {"export": 23299152909, "import": 44812635460}
    assert money(annual_2024["export"]) == "US$23,299,152,909"
    assert money(annual_2024["export"]) in text
    assert money(annual_2024["import"]) in text
    senators = Person.objects.filter(kind=PersonKind.SENATOR, states=michigan, is_current_office_holder=True)
    assert senators.count() == 2
    for senator in senators:
        assert senator.display_name in text
    # The default scenario's US duty cost for Michigan, as the exposure engine computed it.
    assert figure.us_duty_cost > 0
    assert money(figure.us_duty_cost) in text
    assert scenario.name in text
    packet = BriefingPacket.objects.get()
    assert packet.status == "done"
    current = ExposureSnapshot.objects.current().filter(scenario__is_current_version=True)
    assert packet.snapshot_ids[0] == figure.snapshot_id
    assert sorted(packet.snapshot_ids) == sorted(current.values_list("pk", flat=True))
    # One snapshot per bundled scenario: 4 historical, the regime scenarios and their overlays.
    assert len(packet.snapshot_ids) == len(scenario_definitions()) == 11
    assert (packet.scenario_slug, packet.scenario_version) == (scenario.slug, scenario.version)
    assert packet.figures["exposure"]["total"]["us_duty_cost"] == str(figure.us_duty_cost)
    # The default regime scenario names what its duty cost assumes.
    assumption = packet.figures["scenario"]["assumption"]
    assert assumption.startswith("Tariff measures in force on ")
    assert "USMCA utilization (all): 0.8100, range 0.5600–0.8500, not verified." in assumption


def test_generate_briefing_campaign_html_writes_the_batch_summary(tmp_path, reference_data):
    from outreach.models import Campaign, CampaignTarget
    from tests.outreach.factories import SyntheticPersonFactory

    campaign = Campaign.objects.create(name="Great Lakes push (synthetic)")
    person = SyntheticPersonFactory()
    CampaignTarget.objects.create(campaign=campaign, person=person)
    output = tmp_path / "campaign.html"

    call_command("generate_briefing", "--campaign", str(campaign.pk), "--format", "html", "--output", str(output))

    html = output.read_text()
    batch = BriefingPacket.objects.get(campaign=campaign)
    child = batch.children.get()
    assert "Great Lakes push (synthetic)" in html
    assert f'href="/briefings/{child.pk}/"' in html
    assert (batch.status, child.status, child.person) == ("done", "done", person)


def test_generate_briefing_unknown_scenario_fails_and_writes_nothing(tmp_path, reference_data):
    from django.core.management.base import CommandError

    output = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="Unknown scenario"):
        call_command("generate_briefing", "--state", "VT", "--scenario", "nope", "--output", str(output))
    assert not output.exists()
    assert BriefingPacket.objects.count() == 0


def test_generate_briefing_language_fr_writes_the_packet_in_french(tmp_path, state_trade):
    state_trade("MI", scenarios=True)
    output = tmp_path / "mi.html"

    call_command("generate_briefing", "--state", "MI", "--format", "html", "--language", "fr", "--output", str(output))

    html = output.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert BriefingPacket.objects.get().language == "fr"
