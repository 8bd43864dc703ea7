"""Browser walk for a Lead: a person's history shows a tag linked, and the library pages show theirs."""

import io

import pytest
from playwright.sync_api import expect

from briefings.public_data import load_talking_points
from contacts.services import person_update
from core.roles import Role
from tests.briefings.factories import import_state_trade
from tests.core.factories import PASSWORD
from tests.outreach.factories import SyntheticPersonFactory
from trade.models import State
from trade.public_data import load_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_reads_history_on_person_talking_point_and_release_pages(page, login, shot, make_user):
    load_reference(stdout=io.StringIO())
    import_state_trade("MI", scenarios=True)
    load_talking_points(stdout=io.StringIO())
    lead = make_user(Role.LEAD, username="mlavoie", first_name="Marc", last_name="Lavoie")
    person = SyntheticPersonFactory(
        first_name="Robin", last_name="Testperson", title="Union local president (synthetic)"
    )
    person_update(
        actor=lead,
        person=person,
        fields={"stance": "supportive"},
        states=[State.objects.get(code="MI")],
        tag_names=["auto workers"],
    )
    login(lead.username, PASSWORD)

    page.goto(f"/stakeholders/{person.pk}/")
    history = page.locator("section.history").first
    history.scroll_into_view_if_needed()
    history.get_by_text("recorded change").click()  # folded: the record first, its history on request
    expect(history.locator("table")).to_be_visible()
    text = history.inner_text()
    assert "auto workers" in text and "Michigan" in text  # the links, with readable labels
    shot(page, "person")

    page.goto("/briefings/talking-points/")
    assert page.get_by_role("heading", level=1).inner_text().strip()
    assert page.locator("#history-talkingpoint").count() == 1  # the heading of its history section
    history_table = page.locator("section.history table")
    assert not history_table.is_visible()  # folded: the library comes first
    shot(page, "talking-points")
    page.get_by_text("recorded changes").click()
    expect(history_table).to_be_visible()
    assert "created" in history_table.inner_text()

    page.goto("/data-releases/")
    assert page.locator("table").count() >= 1
    shot(page, "data-releases")
