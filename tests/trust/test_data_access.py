"""Object-level rules the permission matrix cannot see with empty data: hidden fields on real rows,
404 (never 403) for objects a user may not see, lists that hold only permitted rows, and no mass
assignment (fields a role may not write are ignored or rejected, and nothing else changes)."""

from __future__ import annotations

import pytest

from contacts.models import Organization, Person, SavedSegment
from core.forms import VersionedFormMixin
from core.roles import Role
from outreach.models import Campaign, FollowUp, Interaction
from tests.contacts.factories import PersonFactory, SavedSegmentFactory
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db

SECRET = "data-access-secret-91c2"


@pytest.fixture
def note(make_user):
    author = make_user(Role.OFFICER, username="note-author")
    interaction = InteractionFactory(
        created_by=author, people=[SyntheticPersonFactory()], summary="Call", confidential_notes=SECRET
    )
    return author, interaction


@pytest.mark.parametrize(
    ("reader", "sees"),
    [("viewer", False), ("other-officer", False), ("author", True), ("lead", True), ("admin", True)],
)
def test_confidential_notes_key_only_for_author_lead_admin(reader, sees, note, make_user, api_for):
    author, interaction = note
    user = {
        "viewer": lambda: make_user(Role.VIEWER, username="r-viewer"),
        "other-officer": lambda: make_user(Role.OFFICER, username="r-officer"),
        "author": lambda: author,
        "lead": lambda: make_user(Role.LEAD, username="r-lead"),
        "admin": lambda: make_user(Role.ADMIN, username="r-admin"),
    }[reader]()
    client = api_for(user)
    detail = client.get(f"/api/interactions/{interaction.pk}/")
    listed = client.get("/api/interactions/")
    assert (detail.status_code, listed.status_code) == (200, 200)
    rows = listed.json()["results"]
    assert [row["id"] for row in rows] == [interaction.pk]
    if sees:
        assert (detail.json()["confidential_notes"], rows[0]["confidential_notes"]) == (SECRET, SECRET)
    else:
        assert "confidential_notes" not in detail.json()
        assert "confidential_notes" not in rows[0]
        assert SECRET not in detail.content.decode() + listed.content.decode()


def test_private_segment_of_someone_else_is_404_and_not_listed(make_user, api_for, client_for):
    owner = make_user(Role.OFFICER, username="segment-owner")
    private = SavedSegmentFactory(owner=owner, name="Mine only", shared=False)
    shared = SavedSegmentFactory(owner=owner, name="Team", shared=True)
    other = make_user(Role.LEAD, username="segment-other")
    client = api_for(other)
    assert client.get(f"/api/segments/{private.pk}/").status_code == 404
    assert client.get(f"/api/segments/{private.pk}/people/").status_code == 404
    assert client.delete(f"/api/segments/{private.pk}/").status_code == 404
    assert [row["id"] for row in client.get("/api/segments/").json()["results"]] == [shared.pk]
    page = client_for(other)
    assert page.post(f"/stakeholders/segments/{private.pk}/delete/").status_code == 404
    assert page.get(f"/stakeholders/?segment={private.pk}").status_code == 404
    assert SavedSegment.objects.filter(pk=private.pk).exists()


def test_someone_elses_import_preview_is_404(make_user, client_for):
    from contacts.choices import ImportKind
    from contacts.models import SpreadsheetImport

    uploader = make_user(Role.OFFICER, username="uploader")
    record = SpreadsheetImport.objects.create(
        token="t0k3n", kind=ImportKind.PEOPLE, uploaded_by=uploader, original_name="x.csv", size_bytes=1
    )
    other = make_user(Role.LEAD, username="not-uploader")
    assert client_for(other).get(f"/stakeholders/import/{record.token}/").status_code == 404


def test_officer_cannot_edit_someone_elses_person_and_nothing_changes(officer, lead, client_for):
    person = PersonFactory(owner=lead, title="Governor")
    response = client_for(officer).post(f"/stakeholders/{person.pk}/edit/", {"first_name": "X", "last_name": "Y"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.title, person.owner_id) == ("Governor", lead.pk)


# --- no mass assignment -------------------------------------------------------------------------


def test_interaction_api_ignores_author_and_audit_fields(officer, lead, api_for):
    person = SyntheticPersonFactory()
    response = api_for(officer).post(
        "/api/interactions/",
        {
            "kind": "call",
            "people": [person.pk],
            "summary": "s",
            "created_by": lead.pk,
            "created_at": "2001-01-01T00:00:00Z",
            "id": 999999,
            "staff": [lead.pk],
            "commitments": [{"party": "us", "description": "forged"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    interaction = Interaction.objects.get()
    assert (interaction.created_by_id, interaction.created_at.year) == (officer.pk, interaction.updated_at.year)
    assert interaction.pk != 999999
    assert list(interaction.staff.values_list("pk", flat=True)) == [officer.pk]
    assert interaction.commitments.count() == 0


def test_interaction_patch_cannot_rewrite_who_or_author(officer, lead, api_for):
    person, other = SyntheticPersonFactory(), SyntheticPersonFactory()
    interaction = InteractionFactory(created_by=officer, people=[person])
    response = api_for(officer).patch(
        f"/api/interactions/{interaction.pk}/",
        {"summary": "new", "created_by": lead.pk, "people": [other.pk], "is_synthetic": False, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    interaction.refresh_from_db()
    assert (interaction.summary, interaction.created_by_id, interaction.is_synthetic) == ("new", officer.pk, True)
    assert list(interaction.people.values_list("pk", flat=True)) == [person.pk]


def test_real_stakeholder_cannot_be_given_synthetic_history(officer, api_for):
    real = PersonFactory(is_synthetic=False)
    response = api_for(officer).post(
        "/api/interactions/", {"kind": "call", "people": [real.pk], "summary": "s", "is_synthetic": True}, format="json"
    )
    assert response.status_code == 400
    assert Interaction.objects.count() == 0


def test_follow_up_api_ignores_status_and_completion_fields(officer, lead, api_for):
    response = api_for(officer).post(
        "/api/follow-ups/",
        {
            "what": "Send figures",
            "assignee": officer.pk,
            "due_date": "2030-01-02",
            "status": "done",
            "created_by": lead.pk,
            "completed_by": lead.pk,
            "completed_at": "2030-01-01T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.created_by_id, follow_up.completed_by_id, follow_up.completed_at) == (
        "open",
        officer.pk,
        None,
        None,
    )


def test_campaign_api_ignores_owner(lead, officer, api_for):
    response = api_for(lead).post("/api/campaigns/", {"name": "Governors", "owner": officer.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert Campaign.objects.get().owner_id == lead.pk


def test_segment_api_ignores_owner(viewer, lead, api_for):
    response = api_for(viewer).post(
        "/api/segments/", {"name": "Mine", "owner": lead.pk, "filters": {"state": "MI"}}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert SavedSegment.objects.get().owner_id == viewer.pk


def test_officer_form_cannot_set_owner_source_or_synthetic_flag(officer, lead, client_for):
    response = client_for(officer).post(
        "/stakeholders/add/",
        {
            "first_name": "Pat",
            "last_name": "Example",
            "kind": "other",
            "stance": "unknown",
            "owner": lead.pk,
            "source": "import",
            "is_synthetic": "on",
            "confirm_duplicate": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(last_name="Example")
    assert (person.owner_id, person.source, person.is_synthetic) == (officer.pk, "staff", False)


def test_officer_cannot_hand_their_record_to_someone_else(officer, lead, client_for):
    person = PersonFactory(owner=officer, first_name="Kim", last_name="Owned", kind="other")
    response = client_for(officer).post(
        f"/stakeholders/{person.pk}/edit/",
        {
            "first_name": "Kim",
            "last_name": "Owned",
            "kind": "other",
            "stance": person.stance,
            "owner": lead.pk,
            "version": VersionedFormMixin.version_token(person.version),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.owner_id == officer.pk


def test_lead_may_reassign_owner(officer, lead, client_for):
    organization = Organization.objects.create(name="Acme Synthetic", org_type="company", owner=lead)
    response = client_for(lead).post(
        f"/organizations/{organization.pk}/edit/",
        {
            "name": "Acme Synthetic",
            "org_type": "company",
            "canadian_link": organization.canadian_link,
            "owner": officer.pk,
            "version": VersionedFormMixin.version_token(organization.version),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organization.refresh_from_db()
    assert organization.owner_id == officer.pk
