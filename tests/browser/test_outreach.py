"""The outreach "done when": an Officer acts on who to call next; a Viewer never sees confidential notes.

All stakeholders here are synthetic (factories); no history is invented for real people.
"""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from outreach import services
from outreach.choices import TargetStatus
from tests.core.factories import PASSWORD
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    InteractionFactory,
    StateFactory,
    SyntheticPersonFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Privately open to a quota deal"


@pytest.fixture
def stakeholders(make_user):
    swing = StateFactory(code="MI", name="Michigan", is_battleground_2024=True)
    calm = StateFactory(code="ID", name="Idaho")
    top = SyntheticPersonFactory(
        first_name="Morgan",
        last_name="Testwell",
        full_name="Morgan Testwell",
        title="Governor (synthetic)",
        influence=5,
        stance="neutral",
        states=[swing],
    )
    other = SyntheticPersonFactory(
        first_name="Riley",
        last_name="Sampleton",
        full_name="Riley Sampleton",
        influence=2,
        stance="champion",
        states=[calm],
    )
    InteractionFactory(people=[other], occurred_at=timezone.now() - dt.timedelta(days=2), summary="Recent chat")
    campaign = CampaignFactory(name="Border-state governors, January", start_date=timezone.localdate())
    CampaignTargetFactory(campaign=campaign, person=top)
    CampaignTargetFactory(campaign=campaign, person=other, status=TargetStatus.CONTACTED)
    return {"top": top, "other": other, "campaign": campaign}


def contacted_count(page, campaign_id: int) -> int:
    page.goto(f"/campaigns/{campaign_id}/")
    return int(page.locator('[data-status="contacted"]').inner_text())


def test_officer_calls_the_top_person_and_follows_up(page, make_user, login, shot, stakeholders):
    top, campaign = stakeholders["top"], stakeholders["campaign"]
    officer = make_user(Role.OFFICER, username="newofficer", first_name="Nadia", last_name="Officer")
    login(officer.username, PASSWORD)
    assert contacted_count(page, campaign.pk) == 1

    page.goto("/")
    ranking = page.get_by_role("region", name="Who to call next")
    first_row = ranking.get_by_role("row").nth(1)
    assert "Morgan Testwell" in first_row.inner_text()
    assert "never" in first_row.inner_text()  # why: never contacted
    assert "5/5" in first_row.inner_text()  # why: influence
    shot(page, "1-dashboard")

    first_row.get_by_role("link", name="Morgan Testwell", exact=True).click()
    page.wait_for_url(f"**/stakeholders/{top.pk}/")
    shot(page, "2-person-page")
    page.get_by_role("link", name="Log an interaction").first.click()
    page.wait_for_url("**/interactions/new/?person=*")
    assert page.locator("#id_people").evaluate("el => Array.from(el.selectedOptions).map(o => o.value)") == [
        str(top.pk)
    ]
    page.get_by_label("Kind").select_option("call")
    page.get_by_label("Summary").fill("Walked through the cost of auto-parts tariffs for Michigan plants.")
    page.get_by_label("Follow-up to do").fill("Send the auto-parts one-pager")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Follow-up due").fill(tomorrow.isoformat())
    shot(page, "3-quick-log")
    page.get_by_role("button", name="Save interaction").click()
    page.wait_for_url("**/interactions/*/")
    assert page.get_by_text("Interaction logged.").is_visible()
    shot(page, "4-interaction")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-ups").click()
    page.wait_for_url("**/follow-ups/")
    row = page.get_by_role("row").filter(has_text="Send the auto-parts one-pager")
    assert tomorrow.isoformat() in row.inner_text()
    assert "Morgan Testwell" in row.inner_text()
    shot(page, "5-my-follow-ups")

    assert contacted_count(page, campaign.pk) == 2
    assert page.locator("progress").get_attribute("value") == "2"
    shot(page, "6-campaign")


def test_viewer_never_sees_the_confidential_note(page, make_user, login, shot, stakeholders):
    top = stakeholders["top"]
    lead = make_user(Role.LEAD, username="leadauthor")
    interaction = services.interaction_log(
        actor=lead, kind="meeting", summary="Discussed steel quotas", people=[top], confidential_notes=SECRET
    )
    viewer = make_user(Role.VIEWER, username="readonly")
    login(viewer.username, PASSWORD)
    for path, name in [
        ("/", "dashboard"),
        (f"/stakeholders/{top.pk}/", "person"),
        ("/interactions/", "interactions"),
        (f"/interactions/{interaction.pk}/", "interaction"),
        ("/interactions/?q=quota", "search"),
        ("/api/interactions/", "api"),
        (f"/api/interactions/{interaction.pk}/", "api-detail"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert SECRET not in page.content(), path
        if name in {"person", "interaction", "interactions"}:
            assert page.get_by_text("Discussed steel quotas").first.is_visible()
            shot(page, f"viewer-{name}")
    # The same note is there for its author, so the checks above are not vacuous.
    page.context.clear_cookies()
    from tests.core.factories import PASSWORD as LEAD_PASSWORD

    login(lead.username, LEAD_PASSWORD)
    page.goto(f"/interactions/{interaction.pk}/")
    assert page.get_by_text(SECRET, exact=True).is_visible()
