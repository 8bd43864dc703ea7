"""No page is wider than the window on a 390 px phone or a 1,440 px screen: wide tables scroll inside
their frame (the dashboard and the ranking were 1,047 and 1,063 px wide at 390 px)."""

import pytest

from contacts.services import public_influence_refresh
from core.roles import Role
from tests.core.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1440])
def test_the_main_pages_fit_the_window(page, login, shot, make_user, michigan_stakeholder, width):
    person = michigan_stakeholder(
        title="Plant manager with a long title to wrap (synthetic)", summary="Call about parts (synthetic)"
    )
    public_influence_refresh()
    lead = make_user(Role.LEAD, username="narrow-lead", first_name="Nora", last_name="Row")
    page.set_viewport_size({"width": width, "height": 900})
    login(lead.username, PASSWORD)
    walk = {
        "dashboard": "/",
        "state": "/states/MI/",
        "person": f"/stakeholders/{person.pk}/",
        "ranking": "/priorities/",
        "log-form": "/interactions/new/",
        "stakeholders": "/stakeholders/",
        "follow-ups": "/follow-ups/",
    }
    widths = {}
    for name, path in walk.items():
        assert page.goto(path).status == 200, path
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        shot(page, f"{name}-{width}")
    assert {path: w for path, w in widths.items() if w > width} == {}
