"""Who may change an interaction's commitments: its author, the staff who were there, Leads and Admins.

The same rule answers on the interaction page (buttons and the status POST), in the service and in
the admin; an Officer's PATCH of someone else's interaction is refused with 403, not 400."""

import pytest

from core.roles import Role
from outreach import services
from outreach.choices import CommitmentStatus
from outreach.models import Commitment
from tests.outreach.factories import CommitmentFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_interaction(make_user):
    """An interaction a Lead logged, with an Officer on its staff and one open commitment."""
    author = make_user(Role.LEAD, username="commit-author")
    on_staff = make_user(Role.OFFICER, username="commit-staff")
    interaction = InteractionFactory(created_by=author, summary="Lead's meeting")
    interaction.staff.set([author, on_staff])
    commitment = CommitmentFactory(interaction=interaction, description="Send the softwood figures")
    return {"author": author, "on_staff": on_staff, "interaction": interaction, "commitment": commitment}


def _post_status(client, commitment, status="dropped"):
    return client.post(f"/commitments/{commitment.pk}/status/", {"status": status})


def test_another_officer_cannot_drop_a_commitment_of_a_leads_interaction(client_for, make_user, lead_interaction):
    commitment = lead_interaction["commitment"]
    response = _post_status(client_for(make_user(Role.OFFICER, username="other-officer")), commitment)
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert (commitment.status, commitment.resolved_at) == (CommitmentStatus.OPEN, None)


@pytest.mark.parametrize("who", ["author", "on_staff", "lead", "admin"])
def test_author_staff_leads_and_admins_change_commitments(client_for, make_user, lead_interaction, who):
    user = lead_interaction.get(who) or make_user(Role.LEAD if who == "lead" else Role.ADMIN, username=f"c-{who}")
    commitment = lead_interaction["commitment"]
    response = _post_status(client_for(user), commitment)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DROPPED


@pytest.mark.parametrize(
    ("who", "may"), [("viewer", False), ("other officer", False), ("on_staff", True), ("author", True)]
)
def test_the_rule_itself(make_user, lead_interaction, who, may):
    users = {
        "viewer": lambda: make_user(Role.VIEWER),
        "other officer": lambda: make_user(Role.OFFICER),
        "on_staff": lambda: lead_interaction["on_staff"],
        "author": lambda: lead_interaction["author"],
    }
    user = users[who]()
    assert services.commitment_can_change(interaction=lead_interaction["interaction"], user=user) is may


def test_the_service_refuses_with_a_permission_error(make_user, lead_interaction):
    from core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.commitment_resolve(
            commitment=lead_interaction["commitment"], status="dropped", actor=make_user(Role.OFFICER)
        )
    assert Commitment.objects.get().status == CommitmentStatus.OPEN


def test_the_page_offers_the_buttons_only_to_those_who_may(client_for, make_user, lead_interaction):
    url = f"/interactions/{lead_interaction['interaction'].pk}/"
    action = f"/commitments/{lead_interaction['commitment'].pk}/status/"
    assert action not in client_for(make_user(Role.OFFICER, username="other")).get(url).content.decode()
    assert action in client_for(lead_interaction["on_staff"]).get(url).content.decode()


def test_the_admin_asks_the_same_rule(rf, make_user, lead_interaction):
    from django.contrib import admin

    commitment = lead_interaction["commitment"]
    model_admin = admin.site._registry[Commitment]
    request = rf.get("/")
    request.user = make_user(Role.ADMIN)
    assert model_admin.has_change_permission(request, commitment)
    request.user = make_user(Role.OFFICER)
    assert not model_admin.has_change_permission(request, commitment)
    assert not model_admin.has_delete_permission(request, commitment)


def test_an_officers_patch_of_someone_elses_interaction_is_403(api_for, make_user, lead_interaction):
    interaction = lead_interaction["interaction"]
    response = api_for(make_user(Role.OFFICER)).patch(f"/api/interactions/{interaction.pk}/", {"summary": "changed"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    interaction.refresh_from_db()
    assert interaction.summary == "Lead's meeting"
