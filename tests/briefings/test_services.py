import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket
from briefings.services import packet_compare, packet_generate
from core.errors import ConflictError
from core.models import OutboxMessage
from core.roles import Role
from outreach.models import Campaign, CampaignTarget
from tests.briefings.factories import PacketFactory, PacketTemplateFactory
from tests.outreach.factories import InteractionFactory, SyntheticOrganizationFactory, SyntheticPersonFactory
from trade.models import State

pytestmark = pytest.mark.django_db

SECRET = "Confidential: the chief of staff is leaving in March."


def _pdf_text(packet: BriefingPacket) -> str:
    with packet.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def person_with_secret(reference_data, make_user):
    author = make_user(Role.OFFICER, username="author")
    person = SyntheticPersonFactory(states=[State.objects.get(code="MI")])
    InteractionFactory(
        people=[person], created_by=author, summary="Call about the auto sector", confidential_notes=SECRET
    )
    return person


def test_confidential_notes_absent_for_another_officer_even_when_the_template_asks(
    person_with_secret, officer, request_packet
):
    template = PacketTemplateFactory(name="With notes", include_confidential=True)

    packet = request_packet(target_kind=TargetKind.PERSON, target=person_with_secret, actor=officer, template=template)

    packet.refresh_from_db()
    assert packet.status == PacketStatus.DONE
    assert "Call about the auto sector" in packet.html
    assert SECRET not in packet.html
    assert SECRET not in _pdf_text(packet)
    assert packet.has_confidential is False
    assert packet.figures["history"]["interactions"][0]["visible_confidential_notes"] == ""


def test_confidential_notes_present_for_a_lead_when_the_template_asks(person_with_secret, lead, request_packet):
    template = PacketTemplateFactory(name="With notes", include_confidential=True)

    packet = request_packet(target_kind=TargetKind.PERSON, target=person_with_secret, actor=lead, template=template)

    packet.refresh_from_db()
    assert SECRET in packet.html
    assert "chief of staff is leaving" in _pdf_text(packet)
    assert packet.has_confidential is True


def test_confidential_notes_absent_for_a_lead_when_the_template_does_not_ask(person_with_secret, lead, request_packet):
    packet = request_packet(target_kind=TargetKind.PERSON, target=person_with_secret, actor=lead)

    packet.refresh_from_db()
    assert SECRET not in packet.html
    assert packet.has_confidential is False


def test_confidential_packet_hidden_from_other_non_leads(person_with_secret, lead, viewer, make_user, request_packet):
    template = PacketTemplateFactory(name="With notes", include_confidential=True)
    packet = request_packet(target_kind=TargetKind.PERSON, target=person_with_secret, actor=lead, template=template)

    assert list(BriefingPacket.objects.visible_to(viewer)) == []
    assert list(BriefingPacket.objects.visible_to(make_user(Role.LEAD, username="lead2"))) == [packet]


def test_regenerating_makes_a_new_version_and_keeps_the_old_one(reference_data, officer, request_packet):
    state = State.objects.get(code="VT")
    first = request_packet(target_kind=TargetKind.STATE, target=state, actor=officer)
    second = request_packet(target_kind=TargetKind.STATE, target=state, actor=officer)

    assert (first.version, second.version) == (1, 2)
    assert first.target_key == second.target_key == "state:VT"
    assert BriefingPacket.objects.filter(target_key="state:VT", status=PacketStatus.DONE).count() == 2


def test_generated_packet_cannot_be_changed(reference_data, officer, request_packet):
    packet = request_packet(target_kind=TargetKind.STATE, target=State.objects.get(code="VT"), actor=officer)
    packet.refresh_from_db()
    html = packet.html

    packet.html = "tampered"
    with pytest.raises(ConflictError):
        packet.save()
    assert BriefingPacket.objects.get(pk=packet.pk).html == html


def test_retried_task_does_not_make_a_second_version(reference_data, officer, request_packet):
    from briefings.tasks import generate_packet

    packet = request_packet(target_kind=TargetKind.STATE, target=State.objects.get(code="VT"), actor=officer)
    message = OutboxMessage.objects.get(task_name="briefings.generate_packet")
    packet.refresh_from_db()
    generated_at = packet.generated_at

    # The same message delivered again, then the task called again directly: nothing new happens.
    generate_packet.apply(kwargs={"packet_id": packet.pk, "outbox_id": message.pk}, throw=True)
    generate_packet.apply(kwargs={"packet_id": packet.pk}, throw=True)

    assert BriefingPacket.objects.count() == 1
    assert BriefingPacket.objects.get().generated_at == generated_at
    assert message.kwargs == {"packet_id": packet.pk}


def test_campaign_packet_is_a_batch_with_one_packet_per_target(reference_data, lead, request_packet):
    campaign = Campaign.objects.create(name="Border governors (synthetic)", objective="Meet them all")
    people = [SyntheticPersonFactory(), SyntheticPersonFactory()]
    organization = SyntheticOrganizationFactory()
    for person in people:
        CampaignTarget.objects.create(campaign=campaign, person=person)
    CampaignTarget.objects.create(campaign=campaign, organization=organization)

    batch = request_packet(target_kind=TargetKind.CAMPAIGN, target=campaign, actor=lead)

    batch.refresh_from_db()
    children = list(batch.children.order_by("id"))
    assert [c.target_key for c in children] == [
        f"person:{people[0].pk}",
        f"person:{people[1].pk}",
        f"organization:{organization.pk}",
    ]
    assert all(c.status == PacketStatus.DONE for c in children)
    assert batch.status == PacketStatus.DONE
    assert [row["packet_id"] for row in batch.figures["campaign"]["targets"]] == [c.pk for c in children]
    assert people[0].display_name in batch.html


def test_compare_lists_moved_figures_and_new_interactions(reference_data, state_trade, officer, request_packet):
    state_trade("VT")
    state = State.objects.get(code="VT")
    person = SyntheticPersonFactory(states=[state])
    InteractionFactory(people=[person], summary="First call")
    old = request_packet(target_kind=TargetKind.STATE, target=state, actor=officer)
    # A revised BTS figure for 2024 and a new interaction arrive before the next version.
    from trade.models import TradeFlow

    flow = TradeFlow.objects.get(state=state, year=2024, flow="export", month__isnull=True, hs_chapter__isnull=True)
    TradeFlow.objects.filter(pk=flow.pk).update(value_usd=flow.value_usd + 1_000_000)
    new_call = InteractionFactory(
        people=[person], summary="Second call", occurred_at=timezone.now() - dt.timedelta(hours=1)
    )
    new = request_packet(target_kind=TargetKind.STATE, target=state, actor=officer)
    old.refresh_from_db()
    new.refresh_from_db()

    comparison = packet_compare(old=old, new=new)

    assert [(row["label"], row["delta"]) for row in comparison["moved"]] == [("Exports to Canada, 2024", 1_000_000)]
    assert [row["id"] for row in comparison["new_interactions"]] == [new_call.pk]


def test_talking_points_follow_the_targets_own_pillars_first(reference_data, state_trade, officer, request_packet):
    from briefings.public_data import load_talking_points
    from trade.models import Pillar

    state_trade("MI")
    load_talking_points(stdout=io.StringIO())
    person = SyntheticPersonFactory(states=[State.objects.get(code="MI")])
    person.pillars.set([Pillar.objects.get(code="defense")])

    packet = request_packet(target_kind=TargetKind.PERSON, target=person, actor=officer)

    pillars = [point["pillar"] for point in packet.figures["talking_points"]]
    # Defense (tagged by staff) first, then Michigan's largest pillars by trade (autos leads).
    assert pillars[:3] == ["Defense", "Defense", "Autos"]


def test_caveats_label_partial_years_and_never_call_the_gap_a_deficit(
    reference_data, state_trade, officer, request_packet
):
    from briefings.services import _caveats

    context = {
        "trade": {
            "series": [{"year": 2025, "partial": False}, {"year": 2026, "partial": True}],
            "detail": {"year": 2024, "months": 8, "partial": True},
            "gdp": None,
        },
        "exposure": None,
        "scenario": None,
    }

    caveats = _caveats(context)

    assert "2026: partial year, figures to date only." in caveats
    assert "Pillar and chapter figures for 2024 cover 8 months only (partial year)." in caveats
    state_trade("VT")
    packet = request_packet(target_kind=TargetKind.STATE, target=State.objects.get(code="VT"), actor=officer)
    text = _pdf_text(packet)
    # "deficit" appears once: in the caveat that says the gap is never labelled one.
    assert text.count("deficit") == 1
    assert "where an export shipment begins" in packet.html


def test_a_running_packet_is_left_to_its_worker_unless_that_run_is_stale(reference_data, viewer):
    packet = PacketFactory(requested_by=viewer, status=PacketStatus.RUNNING, started_at=timezone.now())
    assert packet_generate(packet_id=packet.pk).status == PacketStatus.RUNNING
    assert BriefingPacket.objects.get(pk=packet.pk).html == ""

    BriefingPacket.objects.filter(pk=packet.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    assert packet_generate(packet_id=packet.pk).status == PacketStatus.DONE


def test_a_pdf_left_by_a_killed_attempt_is_written_over_not_beside(reference_data, viewer, media_root):
    """A worker killed after writing the PDF but before its transaction committed leaves a file no row
    names; the retry puts the packet's PDF in its place, so the packet has one file."""
    packet = PacketFactory(requested_by=viewer)
    name = f"briefings/{packet.target_key.replace(':', '-')}/v1-{packet.pk}.pdf"
    leftover = media_root / name
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"%PDF-1.7 cut short")

    packet = packet_generate(packet_id=packet.pk)

    assert packet.status == PacketStatus.DONE
    assert packet.pdf.name == name
    assert len(PdfReader(io.BytesIO(leftover.read_bytes())).pages) >= 1
    assert [path.name for path in leftover.parent.iterdir()] == [leftover.name]


def test_packet_share_of_gdp_says_which_years_of_trade_and_gdp_it_combines(
    reference_data, state_trade, officer, request_packet
):
    import re

    state_trade("MI", scenarios=True)
    packet = request_packet(target_kind=TargetKind.STATE, target=State.objects.get(code="MI"), actor=officer)
    label = re.search(r"two-way trade, share of state GDP \(([^)]*)\)", packet.html)
    assert label is not None, "the share of GDP is printed without its years"
    assert re.fullmatch(r"\d{4} trade ÷ 2022 GDP|2022 trade and GDP", label.group(1))


def test_a_packet_generated_in_french_prints_its_figures_the_french_way(state_trade, officer, request_packet):
    state_trade("MI", scenarios=True)
    michigan = State.objects.get(code="MI")

    packet = request_packet(target_kind=TargetKind.STATE, target=michigan, actor=officer, language="fr")

    assert packet.status == PacketStatus.DONE
    assert packet.language == "fr"
    assert '<html lang="fr">' in packet.html
    assert "En vigueur aujourd’hui" in packet.html  # the default scenario's name, in French
    # Michigan's 2024 exports to Canada in the bundled BTS file: 23,299,152,909 US dollars.
    assert "23\xa0299\xa0152\xa0909\xa0$\xa0US" in packet.html  # the exact table
    # The card: the latest full year, 2025, whose exports the bundled file gives as 21,166,959,580.
    assert packet.figures["trade"]["latest"]["exports"] == 21166959580
    assert '<div class="value">21,2\xa0G$\xa0US</div>' in packet.html
    assert "US$23,299,152,909" not in packet.html and "US$21.2B" not in packet.html


def test_a_packet_is_in_english_unless_french_is_asked_for_whatever_the_requester_reads(
    state_trade, officer, request_packet
):
    """The leave-behind is for US readers: a French-speaking officer's request still makes it in English."""
    from django.utils import translation

    state_trade("MI", scenarios=True)
    michigan = State.objects.get(code="MI")

    with translation.override("fr"):
        packet = request_packet(target_kind=TargetKind.STATE, target=michigan, actor=officer)

    assert packet.language == "en"
    assert '<html lang="en">' in packet.html
    assert "US$21.2B" in packet.html and "G$" not in packet.html


def test_a_packet_in_an_unknown_language_is_refused(state_trade, officer):
    from briefings.services import packet_request
    from core.errors import DomainValidationError

    state_trade("MI")
    with pytest.raises(DomainValidationError) as refused:
        packet_request(target_kind=TargetKind.STATE, target=State.objects.get(code="MI"), actor=officer, language="de")
    assert "language" in refused.value.details


def test_a_person_flagged_for_verification_is_flagged_in_the_packet_too(reference_data, officer, request_packet):
    """Flagged governors read as flagged in the packet, not as settled facts (the page already warns)."""
    person = SyntheticPersonFactory(
        states=[State.objects.get(code="MI")],
        needs_verification=True,
        verification_note="Term ends 2027-01-01: check who took office (synthetic).",
    )
    packet = request_packet(target_kind=TargetKind.PERSON, target=person, actor=officer)
    packet.refresh_from_db()
    assert "Verify before use:" in packet.html
    assert "check who took office (synthetic)" in _pdf_text(packet)
    unflagged = request_packet(
        target_kind=TargetKind.PERSON,
        target=SyntheticPersonFactory(states=[State.objects.get(code="MI")]),
        actor=officer,
    )
    unflagged.refresh_from_db()
    assert "Verify before use:" not in unflagged.html
