"""A packet's `has_confidential` is computed from everything it stores (figures JSON, HTML and the PDF
source), and a packet made without a requesting user (scheduled) stores no confidential text at all."""

import datetime as dt
import io
import json
from unittest import mock

import pytest
from django.utils import timezone
from pypdf import PdfReader

from briefings import selectors
from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket
from core.roles import Role
from outreach.choices import InteractionKind
from tests.briefings.factories import PacketTemplateFactory
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory
from trade.models import State

pytestmark = pytest.mark.django_db

PAST = "packet-marker-past-4c1e: the senator will not run again"
FUTURE = "packet-marker-future-9b2d: ask about the softwood quota privately"


def _stored(packet: BriefingPacket) -> dict[str, str]:
    with packet.pdf.open("rb") as handle:
        pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    return {"figures": json.dumps(packet.figures), "html": packet.html, "pdf": pdf_text}


def _holds(packet: BriefingPacket, marker: str) -> set[str]:
    return {name for name, text in _stored(packet).items() if marker in text}


@pytest.fixture
def person(reference_data):
    return SyntheticPersonFactory(states=[State.objects.get(code="MI")])


def _meeting(person, author, *, days: float, notes: str):
    return InteractionFactory(
        people=[person],
        created_by=author,
        kind=InteractionKind.MEETING,
        occurred_at=timezone.now() + dt.timedelta(days=days),
        summary=f"Synthetic meeting {days:+} days",
        confidential_notes=notes,
    )


@pytest.fixture
def with_notes():
    return PacketTemplateFactory(name="With notes", include_confidential=True)


def test_a_note_only_on_an_upcoming_meeting_is_not_stored_unflagged(person, lead, with_notes, request_packet):
    _meeting(person, lead, days=-5, notes="")
    _meeting(person, lead, days=3, notes=FUTURE)

    packet = request_packet(target_kind=TargetKind.PERSON, target=person, actor=lead, template=with_notes)

    assert packet.status == PacketStatus.DONE
    assert packet.has_confidential is bool(_holds(packet, FUTURE))


def test_the_flag_follows_what_is_stored_when_notes_are_printed(person, lead, with_notes, request_packet, make_user):
    _meeting(person, lead, days=-5, notes=PAST)
    _meeting(person, lead, days=3, notes=FUTURE)

    packet = request_packet(target_kind=TargetKind.PERSON, target=person, actor=lead, template=with_notes)

    assert _holds(packet, PAST) == {"figures", "html", "pdf"}
    assert packet.has_confidential is True
    # Another Officer cannot see a packet holding notes; the Lead who asked can.
    assert packet in BriefingPacket.objects.visible_to(lead)
    assert not BriefingPacket.objects.visible_to(make_user(Role.OFFICER)).filter(pk=packet.pk).exists()


def test_a_scheduled_packet_stores_no_confidential_text(person, lead, with_notes, request_packet):
    _meeting(person, lead, days=-5, notes=PAST)
    meeting = _meeting(person, lead, days=1, notes=FUTURE)

    packet = request_packet(
        target_kind=TargetKind.PERSON, target=person, template=with_notes, schedule_slot="slot-1", meeting=meeting
    )

    assert packet.requested_by is None
    assert packet.status == PacketStatus.DONE
    assert _holds(packet, PAST) == set()
    assert _holds(packet, FUTURE) == set()
    assert packet.has_confidential is False


def test_a_scheduled_packet_that_would_store_a_note_fails_and_stores_nothing(person, lead, with_notes, request_packet):
    """The last line of defence: whatever path a note took into the output, a packet that may carry
    no notes is failed rather than stored with one."""
    _meeting(person, lead, days=-5, notes=PAST)
    real_history_for = selectors.history_for

    def leaky_history_for(**kwargs):
        history = real_history_for(**kwargs)
        history["interactions"][0]["asks"] = f"copied from the notes: {PAST}"
        return history

    with mock.patch.object(selectors, "history_for", leaky_history_for):
        packet = request_packet(target_kind=TargetKind.PERSON, target=person, template=with_notes, schedule_slot="s")

    assert packet.status == PacketStatus.FAILED
    assert "confidential" in packet.error
    assert PAST not in json.dumps(packet.figures) + packet.html
    assert not packet.pdf
