import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import StanceEntry
from outreach import services
from outreach.choices import FollowUpStatus, TargetStatus
from outreach.models import CalendarToken, FollowUp, Interaction
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    FollowUpFactory,
    InteractionFactory,
    StateFactory,
    SyntheticPersonFactory,
)

pytestmark = pytest.mark.django_db


def local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    "url", ["/", "/interactions/", "/follow-ups/", "/calendar/", "/campaigns/", "/priorities/", "/coverage/"]
)
def test_pages_open_for_viewer(client_for, viewer, url):
    InteractionFactory()
    response = client_for(viewer).get(url)
    assert response.status_code == 200


def test_pages_need_login(client):
    for url in ["/", "/interactions/", "/interactions/new/", "/follow-ups/", "/priorities/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_viewer_cannot_open_quick_log(client_for, viewer):
    assert client_for(viewer).get("/interactions/new/").status_code == 403
    assert client_for(viewer).post("/interactions/new/", {"summary": "x"}).status_code == 403
    assert Interaction.objects.count() == 0


def test_quick_log_prefills_person_and_saves_with_follow_up(client_for, officer):
    person = SyntheticPersonFactory(full_name="Sam Synthetic")
    client = client_for(officer)
    form = client.get(f"/interactions/new/?person={person.pk}")
    assert form.status_code == 200
    assert f'<option value="{person.pk}" selected>' in form.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        "/interactions/new/",
        {
            "kind": "call",
            "people": [person.pk],
            "occurred_at": local_input(timezone.now()),
            "summary": "Discussed lumber duties",
            "follow_up_what": "Send the lumber one-pager",
            "follow_up_due": tomorrow.isoformat(),
        },
    )
    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/interactions/{interaction.pk}/"
    follow_up = FollowUp.objects.get()
    assert (follow_up.what, follow_up.due_date, follow_up.assignee, follow_up.person, follow_up.interaction) == (
        "Send the lumber one-pager",
        tomorrow,
        officer,
        person,
        interaction,
    )


def test_quick_log_error_keeps_everything_typed(client_for, officer):
    person = SyntheticPersonFactory()
    client = client_for(officer)
    response = client.post(
        "/interactions/new/",
        {
            "kind": "meeting",
            "people": [person.pk],
            "occurred_at": "2026-01-15T10:30",
            "summary": "",
            "location": "Ottawa, room 4",
            "confidential_notes": "Wants a quiet word",
            "commitments_by_us": "Send deck",
            "follow_up_what": "Call back",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert Interaction.objects.count() == 0
    assert 'value="2026-01-15T10:30"' in html
    assert 'value="Ottawa, room 4"' in html
    assert "Wants a quiet word</textarea>" in html
    assert "Send deck</textarea>" in html
    assert 'value="Call back"' in html
    assert f'<option value="{person.pk}" selected>' in html
    assert '<option value="meeting" selected>' in html
    assert "Give the follow-up a due date." in html


def test_quick_log_service_error_is_shown_on_the_form(client_for, officer):
    a, b = SyntheticPersonFactory(), SyntheticPersonFactory()
    response = client_for(officer).post(
        "/interactions/new/",
        {
            "kind": "call",
            "people": [a.pk, b.pk],
            "occurred_at": "2026-01-15T10:30",
            "summary": "Group call",
            "stance_observed": "neutral",
            "stance_confirmed": "on",
        },
    )
    assert response.status_code == 400
    assert (
        "Say whose stance you observed" in response.content.decode()
        or "Choose one or more of the people present" in response.content.decode()
    )
    assert Interaction.objects.count() == 0
    assert StanceEntry.objects.count() == 0


def test_interaction_list_filters_and_search(client_for, viewer):
    state = StateFactory(code="VT", name="Vermont")
    vermonter = SyntheticPersonFactory(states=[state])
    InteractionFactory(people=[vermonter], summary="Maple syrup and lumber")
    InteractionFactory(summary="Steel quotas", kind="meeting")
    client = client_for(viewer)
    assert "Maple syrup" in client.get("/interactions/?state=VT").content.decode()
    assert "Steel quotas" not in client.get("/interactions/?state=VT").content.decode()
    assert "Steel quotas" in client.get("/interactions/?kind=meeting").content.decode()
    assert "Maple syrup" not in client.get("/interactions/?q=steel").content.decode()


def test_interaction_detail_404_for_unknown(client_for, viewer):
    assert client_for(viewer).get("/interactions/999999/").status_code == 404


def test_follow_up_done_without_js_and_with_htmx(client_for, officer):
    first, second = FollowUpFactory(assignee=officer), FollowUpFactory(assignee=officer)
    client = client_for(officer)
    response = client.post(f"/follow-ups/{first.pk}/done/", {"next": "/follow-ups/"})
    assert response.status_code == 302 and response["Location"] == "/follow-ups/"
    first.refresh_from_db()
    assert first.status == FollowUpStatus.DONE
    response = client.post(f"/follow-ups/{second.pk}/done/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="follow-up-{second.pk}"' in response.content.decode()
    assert "Done" in response.content.decode()
    second.refresh_from_db()
    assert second.completed_by == officer


def test_follow_up_done_refused_for_viewer(client_for, viewer, officer):
    item = FollowUpFactory(assignee=officer)
    assert client_for(viewer).post(f"/follow-ups/{item.pk}/done/").status_code == 403
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN


def test_my_follow_ups_shows_overdue_and_open_only_mine(client_for, officer, lead):
    overdue = FollowUpFactory(assignee=officer, due_date=timezone.localdate() - dt.timedelta(days=2), what="Late one")
    FollowUpFactory(assignee=officer, what="Tomorrow one")
    FollowUpFactory(assignee=lead, what="Not mine")
    response = client_for(officer).get("/follow-ups/")
    html = response.content.decode()
    assert "Late one" in html and "Tomorrow one" in html and "Not mine" not in html
    assert response.context["overdue"] == [overdue]


def test_follow_up_create_page(client_for, officer):
    person = SyntheticPersonFactory()
    client = client_for(officer)
    assert client.get(f"/follow-ups/new/?person={person.pk}").status_code == 200
    response = client.post(
        "/follow-ups/new/",
        {"what": "Call back", "due_date": "2030-01-02", "assignee": officer.pk, "person": person.pk},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().person == person
    bad = client.post("/follow-ups/new/", {"what": "Keep me", "due_date": "", "assignee": officer.pk})
    assert bad.status_code == 400
    assert 'value="Keep me"' in bad.content.decode()
    assert FollowUp.objects.count() == 1


def test_campaign_page_counts_filter_and_bulk_log(client_for, officer):
    campaign = CampaignFactory(name="Border-state governors")
    targets = [CampaignTargetFactory(campaign=campaign) for _ in range(3)]
    CampaignTargetFactory(campaign=campaign, status=TargetStatus.DECLINED)
    client = client_for(officer)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert {v: c for v, _l, c in page.context["counts"]} == {
        "not_contacted": 3,
        "contacted": 0,
        "meeting_held": 0,
        "committed": 0,
        "declined": 1,
    }
    filtered = client.get(f"/campaigns/{campaign.pk}/?status=declined")
    assert len(filtered.context["targets"]) == 1
    response = client.post(
        f"/campaigns/{campaign.pk}/",
        {
            "targets": [targets[0].pk, targets[1].pk],
            "kind": "letter",
            "occurred_at": local_input(timezone.now()),
            "summary": "Sent the letter",
        },
    )
    assert response.status_code == 302
    assert Interaction.objects.count() == 2
    counts = {v: c for v, _l, c in client.get(f"/campaigns/{campaign.pk}/").context["counts"]}
    assert counts["contacted"] == 2 and counts["not_contacted"] == 1
    bad = client.post(f"/campaigns/{campaign.pk}/", {"targets": [], "kind": "letter", "summary": "Keep this"})
    assert bad.status_code == 400
    assert "Keep this</textarea>" in bad.content.decode()
    assert Interaction.objects.count() == 2


def test_campaign_target_status_by_hand(client_for, officer):
    target = CampaignTargetFactory()
    response = client_for(officer).post(
        f"/campaigns/{target.campaign_id}/targets/{target.pk}/status/", {"status": "committed"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.COMMITTED


def test_campaign_create_page_for_leads(client_for, lead, officer):
    person = SyntheticPersonFactory()
    assert client_for(officer).get("/campaigns/new/").status_code == 403
    # The target list has the same "Find a person" box as the log form.
    assert 'hx-get="/interactions/people-options/"' in client_for(lead).get("/campaigns/new/").content.decode()
    response = client_for(lead).post(
        "/campaigns/new/", {"name": "Governors, January", "start_date": "2026-01-01", "people": [person.pk]}
    )
    assert response.status_code == 302
    assert list(lead.owned_campaigns.get().targets.values_list("person", flat=True)) == [person.pk]


def test_calendar_feed_behind_revocable_token(client_for, client, officer):
    person = SyntheticPersonFactory(full_name="Gov Synthetic")
    meeting = InteractionFactory(
        people=[person],
        kind="meeting",
        occurred_at=timezone.now() + dt.timedelta(days=2),
        location="Albany, NY",
        created_by=officer,
        summary="SECRET-SUMMARY",
    )
    meeting.staff.add(officer)
    InteractionFactory(kind="meeting", occurred_at=timezone.now() + dt.timedelta(days=2), summary="not mine")
    logged_in = client_for(officer)
    logged_in.post("/calendar/token/", {"action": "issue"})
    page = logged_in.get("/calendar/")
    feed_url = page.context["feed_url"]
    assert feed_url and "/calendar/feed/" in feed_url
    assert "Albany" in page.content.decode()
    logged_in.logout()
    path = feed_url.split("testserver", 1)[1]
    feed = client.get(path)
    body = feed.content.decode()
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:interaction-{meeting.pk}@" in body
    assert "LOCATION:Albany\\, NY" in body
    assert "SECRET-SUMMARY" not in body
    assert CalendarToken.objects.get(user=officer).last_used_at is not None
    client_for(officer).post("/calendar/token/", {"action": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_dashboard_shows_my_follow_ups_meetings_priorities_and_recent(client_for, officer):
    person = SyntheticPersonFactory(full_name="Top Person", influence=5)
    FollowUpFactory(assignee=officer, what="My task")
    upcoming = InteractionFactory(kind="meeting", occurred_at=timezone.now() + dt.timedelta(days=1), created_by=officer)
    upcoming.staff.add(officer)
    InteractionFactory(summary="Team call")
    response = client_for(officer).get("/")
    html = response.content.decode()
    assert "My task" in html
    assert response.context["meetings"] == [upcoming]
    assert person in response.context["priorities"]
    assert "Team call" in html
    assert "Who to call next" in html


def test_add_targets_from_a_saved_segment_page(client_for, officer, viewer):
    from tests.contacts.factories import SavedSegmentFactory

    ohio = StateFactory(code="OH", name="Ohio")
    person = SyntheticPersonFactory(states=[ohio])
    segment = SavedSegmentFactory(owner=officer, filters={"state": "OH"}, name="Ohio people")
    campaign = CampaignFactory()
    page = client_for(officer).get(f"/campaigns/{campaign.pk}/")
    assert "Ohio people" in page.content.decode()
    response = client_for(officer).post(f"/campaigns/{campaign.pk}/targets/add/", {"segment": segment.pk})
    assert response.status_code == 302
    assert list(campaign.targets.values_list("person", flat=True)) == [person.pk]
    assert client_for(viewer).post(f"/campaigns/{campaign.pk}/targets/add/", {"segment": segment.pk}).status_code == 403


def test_commitments_are_resolved_from_the_interaction_page(client_for, officer, viewer):
    from outreach.models import Commitment

    interaction = InteractionFactory(created_by=officer)
    commitment = Commitment.objects.create(interaction=interaction, party="us", description="Send figures")
    assert client_for(viewer).post(f"/commitments/{commitment.pk}/status/", {"status": "fulfilled"}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == "open"
    response = client_for(officer).post(f"/commitments/{commitment.pk}/status/", {"status": "fulfilled"})
    assert response["Location"] == f"/interactions/{interaction.pk}/"
    commitment.refresh_from_db()
    assert (commitment.status, commitment.resolved_at is not None) == ("fulfilled", True)
    client_for(officer).post(f"/commitments/{commitment.pk}/status/", {"status": "bogus"})
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"


def test_people_search_options_keep_the_chosen(client_for, officer, viewer):
    chosen = SyntheticPersonFactory(full_name="Chosen Person")
    match = SyntheticPersonFactory(full_name="Jordan Match")
    SyntheticPersonFactory(full_name="Other Name")
    response = client_for(officer).get(f"/interactions/people-options/?people_q=jordan&people={chosen.pk}")
    html = response.content.decode()
    assert html.index(f'<option value="{chosen.pk}" selected>') < html.index(f'<option value="{match.pk}">')
    assert "Other Name" not in html
    # The same search as the stakeholder list: a typo still finds the person.
    assert "Jordan Match" in client_for(officer).get("/interactions/people-options/?people_q=jordon").content.decode()
    assert client_for(viewer).get("/interactions/people-options/?people_q=j").status_code == 403


def test_campaign_page_without_owner(client_for, viewer):
    campaign = CampaignFactory(owner=None, name="Ownerless push")
    page = client_for(viewer).get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert "Ownerless push" in page.content.decode()


def test_my_follow_ups_are_paginated_overdue_first_with_totals(client_for, officer):
    today = timezone.localdate()
    overdue = [FollowUpFactory(assignee=officer, due_date=today - dt.timedelta(days=3)) for _ in range(3)]
    for index in range(52):
        FollowUpFactory(assignee=officer, due_date=today + dt.timedelta(days=1 + index % 4))
    done = FollowUpFactory(assignee=officer, what="Finished one")
    services.follow_up_complete(follow_up=done, actor=officer)
    client = client_for(officer)
    first = client.get("/follow-ups/")
    assert first.context["totals"] == {"open": 55, "overdue": 3, "upcoming": 52}
    assert first.context["overdue"] == overdue
    assert len(first.context["upcoming"]) == 47
    assert [f.what for f in first.context["recently_closed"]] == ["Finished one"]
    html = first.content.decode()
    assert "Page 1 of 2" in html and "Open follow-ups 1–50 of 55, overdue first." in html
    second = client.get("/follow-ups/?page=2")
    assert (second.context["overdue"], len(second.context["upcoming"]), second.context["recently_closed"]) == (
        [],
        5,
        [],
    )
    assert "Nothing overdue." not in second.content.decode()


def test_dashboard_shows_jobs_supported_by_exports_to_canada_for_my_states_with_year_and_source(client_for, officer):
    from tests.trade.factories import TariffScenarioFactory, TradeFlowFactory
    from trade.selectors import jobs_supported_by_exports_to_canada

    ohio = StateFactory(code="OH", name="Ohio")
    TariffScenarioFactory(is_default=True, jobs_source="Ratio source (test).")
    TradeFlowFactory(state=ohio, flow="export", year=2023, value_usd=2_000_000_000)
    SyntheticPersonFactory(states=[ohio], owner=officer)
    response = client_for(officer).get("/")
    jobs = response.context["jobs_supported"]
    assert jobs["basis"] == "mine"
    assert jobs["rows"] == [{"state": ohio, "jobs": jobs_supported_by_exports_to_canada(state=ohio)}]
    html = response.content.decode()
    assert "Jobs supported by exports to Canada" in html
    assert "11,488" in html and "2023" in html and "Ratio source (test)." in html


def test_dashboard_jobs_fall_back_to_the_most_exposed_states_when_i_own_nobody(client_for, officer):
    from decimal import Decimal

    from tests.trade.factories import HSChapterFactory, TariffScenarioFactory, TradeFlowFactory
    from trade.exposure import exposure_refresh

    chapter = HSChapterFactory(code="87")
    scenario = TariffScenarioFactory(is_default=True, default_ca_rate=Decimal("0.1"))
    states = [StateFactory(code="OH", name="Ohio"), StateFactory(code="VT", name="Vermont")]
    for state, value in zip(states, (5000, 500), strict=True):
        for month in range(1, 13):
            for flow in ("import", "export"):
                TradeFlowFactory(state=state, hs_chapter=chapter, month=month, flow=flow, value_usd=value)
    exposure_refresh(scenario=scenario, base_year=2023)
    jobs = client_for(officer).get("/").context["jobs_supported"]
    assert jobs["basis"] == "top"
    assert [row["state"] for row in jobs["rows"]] == states
    assert all(row["jobs"]["year"] == 2023 for row in jobs["rows"])


def test_each_empty_box_on_the_dashboard_says_what_is_empty(client_for, officer):
    html = client_for(officer).get("/").content.decode()
    assert html.count("Nothing open. Well done.") == 1  # the follow-ups box, not the interactions box
    assert "Nobody on the team has logged an interaction yet." in html


def test_people_lists_offer_only_the_people_chosen_never_every_stakeholder(client_for, lead):
    chosen = SyntheticPersonFactory(full_name="Chosen Person")
    SyntheticPersonFactory.create_batch(5)
    log_form = client_for(lead).get(f"/interactions/new/?person={chosen.pk}").content.decode()
    people_list = log_form.split('id="id_people"')[1].split("</select>")[0]
    assert people_list.count("<option") == 1 and "Chosen Person" in people_list
    campaign_form = client_for(lead).get("/campaigns/new/").content.decode()
    assert campaign_form.split('id="id_people"')[1].split("</select>")[0].count("<option") == 0
