"""Packet history on the packet page: Leads and Admins only, the stored HTML and figures as a size and
checksum (never the content), and the packet's confidential-notes rule for anyone else."""

import hashlib
import json

import pytest

from briefings.choices import TargetKind
from briefings.models import BriefingPacket
from core import selectors
from core.roles import Role
from core.selectors import history_for
from tests.briefings.factories import PacketTemplateFactory
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory
from trade.models import State

pytestmark = pytest.mark.django_db

SECRET = "audit-packet-secret: the chief of staff is leaving in March."


@pytest.fixture
def officer_author(make_user):
    return make_user(Role.OFFICER, username="author")


@pytest.fixture
def confidential_packet(reference_data, officer_author, request_packet):
    """A packet whose requester (the notes' author, an Officer) may read the notes, so it carries them."""
    person = SyntheticPersonFactory(states=[State.objects.get(code="MI")])
    InteractionFactory(
        people=[person], created_by=officer_author, summary="Call about autos", confidential_notes=SECRET
    )
    template = PacketTemplateFactory(name="With notes", include_confidential=True)
    packet = request_packet(target_kind=TargetKind.PERSON, target=person, actor=officer_author, template=template)
    assert packet.has_confidential and SECRET in packet.html
    return packet


def _done_update(history):
    return next(entry for entry in history if any(change.field == "HTML" for change in entry.changes))


def test_packet_page_shows_history_to_leads_with_the_html_as_size_and_checksum(confidential_packet, lead, client_for):
    body = client_for(lead).get(f"/briefings/{confidential_packet.pk}/").content.decode()
    assert f'id="history-briefingpacket-{confidential_packet.pk}"' in body
    digest = hashlib.sha256(confidential_packet.html.encode()).hexdigest()[:12]
    assert f"{len(confidential_packet.html):,} characters, sha256 {digest}" in body
    # Neither the stored document nor the figures (which carry the notes) are printed.
    assert SECRET not in body
    assert "<!DOCTYPE" not in body.split('id="history-briefingpacket')[1]
    changes = {change.field: change.after for change in _done_update(history_for(confidential_packet, lead)).changes}
    assert changes["contains confidential notes"] == "yes"
    figures = json.dumps(confidential_packet.figures, sort_keys=True)
    digest = hashlib.sha256(figures.encode()).hexdigest()[:12]
    assert changes["figures used"] == f"{len(figures):,} characters, sha256 {digest}"


def test_packet_history_is_hidden_from_viewers_and_officers(confidential_packet, officer_author, client_for):
    response = client_for(officer_author).get(f"/briefings/{confidential_packet.pk}/")
    assert response.status_code == 200  # the requester may open the packet...
    assert "history-briefingpacket" not in response.content.decode()  # ...but not its history


def test_packet_history_follows_the_notes_rule_for_anyone_it_refuses(
    confidential_packet, officer_author, make_user, monkeypatch
):
    """History is Lead-only; were it opened wider, the packet's notes rule still hides its content."""
    other = make_user(Role.OFFICER, username="other-officer")
    assert BriefingPacket.audit_can_see_confidential(other, confidential_packet) is False
    assert BriefingPacket.audit_can_see_confidential(officer_author, confidential_packet) is True
    assert BriefingPacket.audit_can_see_confidential(make_user(Role.LEAD, username="l2"), confidential_packet)
    monkeypatch.setattr(selectors, "history_can_see", lambda user: True)
    refused = next(e for e in history_for(confidential_packet, other) if e.hidden_changes)
    assert refused.hidden_changes == 2
    assert not any(change.field in ("HTML", "figures used") for change in refused.changes)
    allowed = _done_update(history_for(confidential_packet, officer_author))
    assert "characters, sha256" in next(c.after for c in allowed.changes if c.field == "HTML")


def test_packet_without_notes_shows_its_summary_to_anyone_who_may_see_history(reference_data, officer, request_packet):
    packet = request_packet(target_kind=TargetKind.STATE, target=State.objects.get(code="VT"), actor=officer)
    assert BriefingPacket.audit_can_see_confidential(officer, packet) is True


def test_admin_audit_log_shows_packet_html_as_size_and_checksum(confidential_packet, admin_user_role, client_for):
    from core.models import AuditEvent

    event = AuditEvent.objects.filter(
        model="briefings.briefingpacket", object_id=str(confidential_packet.pk), action="update", after__has_key="html"
    ).get()
    body = client_for(admin_user_role).get(f"/admin/core/auditevent/{event.pk}/change/").content.decode()
    assert "characters, sha256" in body and "figures" in body
    assert SECRET not in body
