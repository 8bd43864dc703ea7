"""Viewers read packets; requesting one (generation) needs an Officer — on the pages, through the API
and in the service, by the one rule `BriefingPacket.REQUEST_ROLE`. A refused request changes nothing."""

import pytest

from briefings.choices import TargetKind
from briefings.models import BriefingPacket
from core.errors import PermissionDeniedError
from core.models import OutboxMessage
from core.roles import Role
from trade.models import State

pytestmark = pytest.mark.django_db


def _nothing_queued():
    return not BriefingPacket.objects.exists() and not OutboxMessage.objects.exists()


def test_a_viewer_cannot_request_a_packet_through_the_api(reference_data, viewer, api_for):
    response = api_for(viewer).post("/api/briefings/", {"target_kind": "state", "target_id": "VT"}, format="json")
    assert response.status_code == 403
    assert _nothing_queued()
    assert api_for(viewer).get("/api/briefings/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_cannot_request_a_packet_from_the_pages(reference_data, viewer, client_for, method):
    client = client_for(viewer)
    response = getattr(client, method)("/briefings/request/", {"target_kind": "state", "target_id": "VT"})
    assert response.status_code == 403
    assert _nothing_queued()


def test_the_service_refuses_a_viewer(reference_data, viewer):
    from briefings.services import packet_request

    with pytest.raises(PermissionDeniedError):
        packet_request(target_kind=TargetKind.STATE, target=State.objects.get(code="VT"), actor=viewer)
    assert _nothing_queued()


def test_an_officer_may_request(reference_data, officer, api_for):
    response = api_for(officer).post("/api/briefings/", {"target_kind": "state", "target_id": "VT"}, format="json")
    assert response.status_code == 202
    assert BriefingPacket.objects.get().requested_by == officer


def test_pages_offer_the_request_buttons_only_to_those_who_may(reference_data, make_user, client_for):
    for role, offered in ((Role.VIEWER, False), (Role.OFFICER, True)):
        content = client_for(make_user(role)).get("/states/VT/").content.decode()
        assert ('action="/briefings/request/"' in content) is offered
        content = client_for(make_user(role)).get("/briefings/").content.decode()
        assert ('href="/briefings/request/"' in content) is offered


def test_a_request_resolves_its_target_through_the_visibility_rule(django_user_model):
    """The page and the API resolve a target among what the requester may see: nothing, without a role."""
    from briefings.services import target_resolve
    from core.errors import NotFoundError
    from tests.contacts.factories import PersonFactory

    person = PersonFactory()
    assert target_resolve(kind="person", target_id=person.pk) == person  # a schedule or the command line
    with pytest.raises(NotFoundError):
        target_resolve(kind="person", target_id=person.pk, user=django_user_model.objects.create_user("no-role"))
