import datetime as dt

import pytest
from django.utils import timezone

from outreach.choices import FollowUpStatus, TargetStatus
from outreach.models import Campaign, FollowUp, Interaction
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    FollowUpFactory,
    InteractionFactory,
    PillarFactory,
    StateFactory,
    SyntheticPersonFactory,
)

pytestmark = pytest.mark.django_db


def test_create_interaction_with_defaults(api_for, officer):
    person = SyntheticPersonFactory()
    state = StateFactory(code="NY", name="New York")
    pillar = PillarFactory(code="energy", name="Energy")
    before = timezone.now()
    response = api_for(officer).post(
        "/api/interactions/",
        {
            "kind": "call",
            "people": [person.pk],
            "states": ["NY"],
            "pillars": ["energy"],
            "summary": "Hydro exports",
            "sentiment": "positive",
            "commitments_by_us": ["Send figures"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["people"], body["states"], body["pillars"], body["sentiment"]) == (
        "call",
        [person.pk],
        ["NY"],
        ["energy"],
        "positive",
    )
    assert body["confidential_notes"] == ""
    assert body["created_by"] == officer.pk
    assert [c["description"] for c in body["commitments"]] == ["Send figures"]
    interaction = Interaction.objects.get()
    assert interaction.occurred_at >= before
    assert list(interaction.states.all()) == [state] and list(interaction.pillars.all()) == [pillar]


def test_create_interaction_errors_use_the_envelope(api_for, officer, viewer):
    response = api_for(officer).post("/api/interactions/", {"kind": "call", "summary": "nobody"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "people" in response.json()["error"]["details"]
    assert api_for(viewer).post("/api/interactions/", {"kind": "call", "summary": "x"}).status_code == 403
    assert Interaction.objects.count() == 0


def test_list_filters(api_for, viewer):
    ohio = StateFactory(code="OH", name="Ohio")
    buckeye = SyntheticPersonFactory(states=[ohio])
    mine = InteractionFactory(people=[buckeye], kind="meeting")
    InteractionFactory(kind="email")
    api = api_for(viewer)
    assert [row["id"] for row in api.get("/api/interactions/?state=OH").json()["results"]] == [mine.pk]
    assert [row["id"] for row in api.get(f"/api/interactions/?person={buckeye.pk}").json()["results"]] == [mine.pk]
    assert [row["id"] for row in api.get("/api/interactions/?kind=meeting").json()["results"]] == [mine.pk]


def test_author_can_patch_own_interaction(api_for, officer):
    interaction = InteractionFactory(created_by=officer)
    response = api_for(officer).patch(
        f"/api/interactions/{interaction.pk}/", {"summary": "Corrected", "version": interaction.version}
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "Corrected"


def test_follow_up_api_create_complete_cancel(api_for, officer):
    api = api_for(officer)
    due = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    created = api.post("/api/follow-ups/", {"what": "Call back", "assignee": officer.pk, "due_date": due})
    assert created.status_code == 201
    assert created.json()["status"] == "open"
    done = api.post(f"/api/follow-ups/{created.json()['id']}/complete/")
    assert done.json()["status"] == "done" and done.json()["completed_by"] == officer.pk
    conflict = api.post(f"/api/follow-ups/{created.json()['id']}/cancel/")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    assert FollowUp.objects.get().status == FollowUpStatus.DONE


def test_follow_up_api_filters(api_for, officer, lead):
    overdue = FollowUpFactory(assignee=officer, due_date=timezone.localdate() - dt.timedelta(days=1))
    FollowUpFactory(assignee=officer)
    FollowUpFactory(assignee=lead)
    api = api_for(officer)
    assert api.get(f"/api/follow-ups/?assignee={officer.pk}").json()["count"] == 2
    assert [r["id"] for r in api.get("/api/follow-ups/?overdue=true").json()["results"]] == [overdue.pk]


def test_campaign_api(api_for, lead, officer, viewer):
    person = SyntheticPersonFactory()
    assert api_for(officer).post("/api/campaigns/", {"name": "x"}).status_code == 403
    created = api_for(lead).post("/api/campaigns/", {"name": "Governors", "start_date": "2026-01-01"})
    assert created.status_code == 201
    campaign_id = created.json()["id"]
    added = api_for(officer).post(f"/api/campaigns/{campaign_id}/targets/", {"people": [person.pk]})
    assert added.status_code == 201 and added.json() == {"added": 1}
    assert api_for(viewer).post(f"/api/campaigns/{campaign_id}/targets/", {"people": [person.pk]}).status_code == 403
    targets = api_for(viewer).get(f"/api/campaigns/{campaign_id}/targets/").json()
    assert [(t["person"], t["status"]) for t in targets["results"]] == [(person.pk, "not_contacted")]
    listed = api_for(viewer).get("/api/campaigns/").json()["results"]
    assert listed[0]["counts"] == {
        "total": 1,
        "not_contacted": 1,
        "contacted": 0,
        "meeting_held": 0,
        "committed": 0,
        "declined": 0,
    }
    assert Campaign.objects.get().owner == lead


def test_campaign_targets_filter_by_status(api_for, viewer):
    campaign = CampaignFactory()
    CampaignTargetFactory(campaign=campaign)
    declined = CampaignTargetFactory(campaign=campaign, status=TargetStatus.DECLINED)
    body = api_for(viewer).get(f"/api/campaigns/{campaign.pk}/targets/?status=declined").json()
    assert [t["id"] for t in body["results"]] == [declined.pk]


def test_priorities_endpoint_shows_components_and_filters(api_for, viewer):
    ohio = StateFactory(code="OH", name="Ohio", is_battleground_2024=False)
    pa = StateFactory(code="PA", name="Pennsylvania", is_battleground_2024=True)
    strong = SyntheticPersonFactory(states=[pa], influence=5, stance="neutral")
    SyntheticPersonFactory(states=[ohio], influence=1, stance="champion")
    body = api_for(viewer).get("/api/priorities/").json()
    assert body["results"][0]["id"] == strong.pk
    components = body["results"][0]["components"]
    assert set(components) == {"exposure", "influence", "recency", "stance", "battleground", "commitments"}
    assert components["battleground"]["value"] == 1.0
    assert components["influence"]["value"] == 1.0
    assert round(sum(c["points"] for c in components.values()), 1) == round(body["results"][0]["score"], 1)
    only_ohio = api_for(viewer).get("/api/priorities/?state=OH").json()
    assert [r["states"] for r in only_ohio["results"]] == [["OH"]]
    unknown = api_for(viewer).get("/api/priorities/?state=ZZ")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


def test_campaign_targets_from_a_segment_via_api(api_for, officer, make_user):
    from core.roles import Role
    from tests.contacts.factories import SavedSegmentFactory

    ohio = StateFactory(code="OH", name="Ohio")
    person = SyntheticPersonFactory(states=[ohio])
    campaign = CampaignFactory()
    mine = SavedSegmentFactory(owner=officer, filters={"state": "OH"})
    private = SavedSegmentFactory(owner=make_user(Role.OFFICER), filters={"state": "OH"}, shared=False)
    refused = api_for(officer).post(f"/api/campaigns/{campaign.pk}/targets/", {"segment": private.pk})
    assert refused.status_code == 404
    assert campaign.targets.count() == 0
    added = api_for(officer).post(f"/api/campaigns/{campaign.pk}/targets/", {"segment": mine.pk})
    assert added.json() == {"added": 1}
    assert list(campaign.targets.values_list("person", flat=True)) == [person.pk]


def test_create_interaction_without_kind_is_a_call(api_for, officer):
    person = SyntheticPersonFactory()
    response = api_for(officer).post("/api/interactions/", {"people": [person.pk], "summary": "Quick chat"})
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "call"
    assert Interaction.objects.get().kind == "call"


@pytest.mark.parametrize("value", ["0.8", "-1.7e189", str(2**64), "0"])
def test_id_filters_refuse_values_that_are_no_id(api_for, officer, value):
    FollowUpFactory()
    api = api_for(officer)
    for url in (
        f"/api/follow-ups/?assignee={value}",
        f"/api/follow-ups/?person={value}",
        f"/api/follow-ups/?organization={value}",
        f"/api/interactions/?created_by={value}",
    ):
        response = api.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid"


def test_campaign_targets_with_malformed_id_is_not_found(api_for, officer):
    response = api_for(officer).get("/api/campaigns/null/targets/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_interaction_before_1900_is_refused(api_for, officer):
    person = SyntheticPersonFactory()
    api = api_for(officer)
    created = api.post(
        "/api/interactions/", {"people": [person.pk], "summary": "Old", "occurred_at": "1850-05-05T12:00:00Z"}
    )
    assert created.status_code == 400
    assert list(created.json()["error"]["details"]) == ["occurred_at"]
    assert Interaction.objects.count() == 0
    interaction = InteractionFactory(people=[person], created_by=officer)
    before = interaction.occurred_at
    patched = api.patch(
        f"/api/interactions/{interaction.pk}/",
        {"occurred_at": "0487-05-05T22:36:33Z", "version": interaction.version},
    )
    assert patched.status_code == 400
    assert list(patched.json()["error"]["details"]) == ["occurred_at"]
    interaction.refresh_from_db()
    assert interaction.occurred_at == before
