import io

import pytest

from briefings.models import PacketTemplate, TalkingPoint
from briefings.public_data import load_talking_points
from briefings.selectors import talking_points_for
from trade.models import State

pytestmark = pytest.mark.django_db


def test_starter_talking_points_load_once_and_keep_admin_edits(reference_data):
    load_talking_points(stdout=io.StringIO())
    assert TalkingPoint.objects.count() == 9
    assert set(TalkingPoint.objects.values_list("pillar__code", flat=True)) == {
        "energy",
        "critical_minerals",
        "defense",
        "autos",
    }
    assert not TalkingPoint.objects.filter(source="").exists()
    point = TalkingPoint.objects.get(key="energy-crude-largest-supplier")
    point.text = "Edited by staff."
    point.save()

    load_talking_points(stdout=io.StringIO())

    assert TalkingPoint.objects.count() == 9
    assert TalkingPoint.objects.get(key="energy-crude-largest-supplier").text == "Edited by staff."


def test_points_chosen_state_first_then_pillars_in_order_then_general(reference_data):
    load_talking_points(stdout=io.StringIO())
    michigan = State.objects.get(code="MI")
    local = TalkingPoint.objects.create(state=michigan, text="Michigan-specific point.", source="Test (synthetic)")
    general = TalkingPoint.objects.create(text="General point.", source="Test (synthetic)", priority=1)
    TalkingPoint.objects.create(state=State.objects.get(code="OH"), text="Ohio point.", source="Test (synthetic)")

    points = talking_points_for(state=michigan, pillar_codes=["autos", "energy"], limit=20)

    texts = [p["text"] for p in points]
    assert texts[0] == local.text
    assert [p["pillar"] for p in points[1:6]] == ["Autos", "Autos", "Energy", "Energy", "Energy"]
    assert texts[-1] == general.text
    assert "Ohio point." not in texts


def test_editing_a_template_in_admin_bumps_its_version(admin_user_role, client_for):
    template = PacketTemplate.objects.create(name="Short")
    client = client_for(admin_user_role)
    url = f"/admin/briefings/packettemplate/{template.pk}/change/"
    form = {
        "name": "Short",
        "description": "",
        "show_who": "on",
        "show_trade": "on",
        "include_confidential": "on",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.version, template.include_confidential, template.show_exposure) == (2, True, False)
