import pytest

from contacts.models import SavedSegment
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_people_endpoint_uses_page_filter_names(public_people, api_for, viewer):
    response = api_for(viewer).get("/api/people/", {"state": "MI", "type": "senator"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(r["last_name"] for r in rows) == ["Peters", "Slotkin"]
    assert all(r["states"] == ["MI"] for r in rows)
    from contacts.models import CommitteeMembership

    for row in rows:
        expected = CommitteeMembership.objects.filter(person_id=row["id"]).values_list("committee__code", flat=True)
        assert sorted(c["code"] for c in row["committees"]) == sorted(expected)


def test_segments_create_list_people_and_delete(public_people, api_for, lead, viewer):
    api = api_for(lead)
    response = api.post(
        "/api/segments/", {"name": "W&M", "filters": {"committee": "HSWM", "bogus": "x"}, "shared": True}, format="json"
    )
    assert response.status_code == 201
    segment = SavedSegment.objects.get()
    assert segment.filters == {"committee": "HSWM"}
    people = api_for(viewer).get(f"/api/segments/{segment.pk}/people/?page_size=200").json()
    assert people["count"] == 45
    assert api_for(viewer).delete(f"/api/segments/{segment.pk}/").status_code == 403
    assert SavedSegment.objects.count() == 1
    assert api.delete(f"/api/segments/{segment.pk}/").status_code == 204
    assert SavedSegment.objects.count() == 0


def test_people_endpoint_needs_a_role(api_for, make_user):
    PersonFactory()
    assert api_for(make_user(None)).get("/api/people/").status_code == 403


def test_positions_and_relationships_endpoints(public_people, api_for, viewer):
    positions = api_for(viewer).get("/api/positions/", {"current": "true", "page_size": 100}).json()
    assert positions["count"] == 51
    assert api_for(viewer).get("/api/relationships/").json()["count"] == 0
    assert api_for(viewer).get("/api/organizations/", {"type": "governors_office"}).json()["count"] == 51


def test_organization_without_headquarters_state_matches_the_schema(api_for, viewer):
    from tests.contacts.factories import OrganizationFactory

    organization = OrganizationFactory(hq_state=None)
    api = api_for(viewer)
    assert api.get(f"/api/organizations/{organization.pk}/").json()["hq_state"] is None
    schema = api.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Organization"]["properties"]["hq_state"]["nullable"] is True
