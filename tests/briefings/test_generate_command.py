import pytest
from django.core.management import call_command
from pypdf import PdfReader

from briefings.formatting import usd
from briefings.models import BriefingPacket
from contacts.choices import PersonKind
from contacts.models import Person
from tests.briefings.factories import ExposureFigureFactory, ScenarioFactory, SnapshotFactory
from trade.models import State

pytestmark = pytest.mark.django_db


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_generate_briefing_state_mi_pdf_holds_trade_senators_and_duty_cost(tmp_path, state_trade, public_people):
    state_trade("MI")
    michigan = State.objects.get(code="MI")
    scenario = ScenarioFactory(slug="broad-25", is_default=True)
    figure = ExposureFigureFactory(snapshot=SnapshotFactory(scenario=scenario), state=michigan)
    output = tmp_path / "mi.pdf"

    call_command("generate_briefing", "--state", "MI", "--format", "pdf", "--output", str(output))

    text = _pdf_text(output)
    assert output.read_bytes().startswith(b"%PDF")
    # BTS 2024 annual totals for Michigan, as stored in TradeFlow, formatted as the packet prints them.
    assert usd(23299152909) == "$23,299,152,909"
    assert usd(23299152909) in text
    assert usd(44812635460) in text
    senators = Person.objects.filter(kind=PersonKind.SENATOR, states=michigan, is_current_office_holder=True)
    assert senators.count() == 2
    for senator in senators:
        assert senator.display_name in text
    assert usd(figure.us_duty_cost) == "$2,801,039,716"
    assert usd(figure.us_duty_cost) in text
    packet = BriefingPacket.objects.get()
    assert packet.status == "done"
    assert packet.snapshot_ids == [figure.snapshot_id]
    assert packet.scenario_slug == "broad-25"
