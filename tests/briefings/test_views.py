import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket
from core.roles import Role
from tests.briefings.factories import PacketFactory, PacketTemplateFactory
from trade.models import State

pytestmark = pytest.mark.django_db


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(rows: int, **kwargs) -> None:
    PacketFactory.create_batch(rows - BriefingPacket.objects.count(), **kwargs)


@pytest.mark.parametrize(
    "url",
    ["/briefings/", "/api/briefings/", "/admin/briefings/briefingpacket/"],
)
def test_list_pages_query_count_constant_from_10_to_200_rows(
    url, reference_data, admin_user_role, client_for, make_user
):
    requester = make_user(Role.VIEWER, username="requester")
    client = client_for(admin_user_role)
    _grow(10, requested_by=requester)
    small = _count_queries(client, url)
    _grow(200, requested_by=requester)
    large = _count_queries(client, url)
    assert small == large


@pytest.mark.parametrize("url", ["/admin/briefings/talkingpoint/", "/admin/briefings/packettemplate/"])
def test_admin_changelists_query_count_constant(url, reference_data, admin_user_role, client_for):
    from tests.briefings.factories import TalkingPointFactory

    client = client_for(admin_user_role)
    factory = TalkingPointFactory if "talkingpoint" in url else PacketTemplateFactory
    pillars = list(__import__("trade.models", fromlist=["Pillar"]).Pillar.objects.all())
    kwargs = (
        (lambda i: {"pillar": pillars[i % len(pillars)], "state": State.objects.first()})
        if "talkingpoint" in url
        else (lambda i: {})
    )
    for i in range(10):
        factory(**kwargs(i))
    small = _count_queries(client, url)
    for i in range(190):
        factory(**kwargs(i))
    assert _count_queries(client, url) == small


def test_request_from_a_page_generates_and_shows_the_packet(
    reference_data, officer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/briefings/request/", {"target_kind": "state", "target_id": "vt"})

    packet = BriefingPacket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/briefings/{packet.pk}/"
    assert (packet.target_key, packet.requested_by, packet.generated_for) == (
        "state:VT",
        officer,
        officer.get_full_name(),
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'href="/briefings/{packet.pk}/pdf/"'.encode() in page.content
    html = client.get(f"/briefings/{packet.pk}/html/")
    assert html.status_code == 200
    assert html["Content-Security-Policy"].startswith("default-src 'none'")
    assert b"Vermont" in html.content
    pdf = client.get(f"/briefings/{packet.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_request_with_an_unknown_target_re_renders_with_what_was_typed(reference_data, officer, client_for):
    response = client_for(officer).post("/briefings/request/", {"target_kind": "person", "target_id": "999999"})

    assert response.status_code == 400
    assert b"No such target." in response.content
    assert b'value="999999"' in response.content
    assert BriefingPacket.objects.count() == 0


def test_progress_fragment_polls_until_done(reference_data, viewer, client_for):
    packet = PacketFactory(requested_by=viewer)
    client = client_for(viewer)

    queued = client.get(f"/briefings/{packet.pk}/status/")
    assert b'hx-trigger="every 2s"' in queued.content
    detail = client.get(f"/briefings/{packet.pk}/")
    assert b'http-equiv="refresh"' in detail.content

    BriefingPacket.objects.filter(pk=packet.pk).update(status=PacketStatus.FAILED, error="boom")
    failed = client.get(f"/briefings/{packet.pk}/status/")
    assert b"hx-trigger" not in failed.content
    assert b"boom" in failed.content
    # htmx polling a finished packet is told to reload the whole page (versions table included).
    polled = client.get(f"/briefings/{packet.pk}/status/", headers={"HX-Request": "true"})
    assert (polled.status_code, polled["HX-Refresh"]) == (204, "true")


def test_packets_of_confidential_content_are_404_for_other_viewers(reference_data, lead, viewer, client_for, api_for):
    packet = PacketFactory(requested_by=lead, has_confidential=True, status=PacketStatus.QUEUED)
    client = client_for(viewer)

    for url in (f"/briefings/{packet.pk}/", f"/briefings/{packet.pk}/html/", f"/briefings/{packet.pk}/pdf/"):
        assert client.get(url).status_code == 404
    api = api_for(viewer)
    for url in (f"/api/briefings/{packet.pk}/", f"/api/briefings/{packet.pk}/pdf", f"/api/briefings/{packet.pk}/html"):
        assert api.get(url).status_code == 404
    assert api.get("/api/briefings/").json()["count"] == 0
    assert client_for(lead).get(f"/briefings/{packet.pk}/").status_code == 200


def test_anonymous_users_are_sent_to_login(reference_data, client):
    packet = PacketFactory()
    assert client.get(f"/briefings/{packet.pk}/pdf/").status_code == 302
    assert client.get("/briefings/").status_code == 302


def test_api_create_retrieve_and_download(reference_data, officer, api_for, django_capture_on_commit_callbacks):
    api = api_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/briefings/", {"target_kind": TargetKind.STATE, "target_id": "VT"}, format="json")

    assert created.status_code == 202
    packet_id = created.json()["id"]
    body = api.get(f"/api/briefings/{packet_id}/").json()
    assert body["status"] == "done"
    assert body["links"]["pdf"] == f"http://testserver/api/briefings/{packet_id}/pdf"
    assert body["links"]["html"] == f"http://testserver/api/briefings/{packet_id}/html"
    pdf = api.get(f"/api/briefings/{packet_id}/pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    html = api.get(f"/api/briefings/{packet_id}/html")
    assert html.status_code == 200
    assert b"Vermont" in html.content


def test_api_create_rejects_unknown_targets_and_changes_nothing(reference_data, officer, api_for):
    api = api_for(officer)
    response = api.post("/api/briefings/", {"target_kind": "state", "target_id": "ZZ"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = api.post("/api/briefings/", {"target_kind": "planet", "target_id": "1"}, format="json")
    assert response.status_code == 400
    assert BriefingPacket.objects.count() == 0


def test_files_of_an_unfinished_packet_are_404(reference_data, viewer, client_for):
    packet = PacketFactory(requested_by=viewer)
    assert client_for(viewer).get(f"/briefings/{packet.pk}/pdf/").status_code == 404


def test_person_organization_state_and_campaign_pages_offer_a_packet(reference_data, officer, client_for):
    from outreach.models import Campaign
    from tests.outreach.factories import SyntheticOrganizationFactory, SyntheticPersonFactory

    client = client_for(officer)
    person = SyntheticPersonFactory()
    organization = SyntheticOrganizationFactory()
    # An owner is set: the campaign page cannot render a campaign without one (reported to outreach).
    campaign = Campaign.objects.create(name="Synthetic campaign", owner=officer)
    pages = {
        f"/stakeholders/{person.pk}/": ("person", str(person.pk)),
        f"/organizations/{organization.pk}/": ("organization", str(organization.pk)),
        "/states/MI/": ("state", "MI"),
        f"/campaigns/{campaign.pk}/": ("campaign", str(campaign.pk)),
    }
    for url, (kind, target_id) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert 'action="/briefings/request/"' in content, url
        assert f'name="target_kind" value="{kind}"' in content, url
        assert f'name="target_id" value="{target_id}"' in content, url


def test_api_and_form_take_the_packet_language(
    reference_data, officer, api_for, client_for, django_capture_on_commit_callbacks
):
    api = api_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/briefings/", {"target_kind": TargetKind.STATE, "target_id": "VT", "language": "fr"}, format="json"
        )
    assert created.status_code == 202
    assert created.json()["language"] == "fr"
    assert b'<html lang="fr">' in api.get(f"/api/briefings/{created.json()['id']}/html").content
    refused = api.post("/api/briefings/", {"target_kind": "state", "target_id": "VT", "language": "de"}, format="json")
    assert refused.status_code == 400

    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/briefings/request/", {"target_kind": "state", "target_id": "VT"})
    assert response.status_code == 302
    packet = BriefingPacket.objects.latest("id")
    assert packet.language == "en"  # a one-click request from another page: English
    detail = client.get(f"/briefings/{packet.pk}/").content.decode()
    assert '<input type="hidden" name="language" value="en">' in detail


def test_a_packet_is_requested_by_name_never_by_id(reference_data, officer, client_for):
    """ "Find by name" lists the matching targets of the chosen type (typos forgiven); a page's one-click
    request arrives with its target already chosen and named."""
    from tests.contacts.factories import PersonFactory

    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    PersonFactory(first_name="Alan", last_name="Brown", full_name="Alan Brown")
    client = client_for(officer)
    html = client.get("/briefings/request/", {"target_kind": "person", "target_q": "Witmer"}).content.decode()
    assert f'<option value="{whitmer.pk}" selected>Gretchen Whitmer' in html  # the best match, chosen
    assert "Alan Brown" not in html
    states = client.get("/briefings/request/", {"target_kind": "state", "target_q": "michig"}).content.decode()
    assert '<option value="MI" selected>Michigan (MI)</option>' in states
    chosen = client.get("/briefings/request/", {"target_kind": "person", "target_id": whitmer.pk}).content.decode()
    assert f'<option value="{whitmer.pk}" selected>Gretchen Whitmer' in chosen
