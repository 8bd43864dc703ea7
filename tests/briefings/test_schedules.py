import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from briefings.choices import PacketStatus
from briefings.models import BriefingPacket
from briefings.tasks import schedule_campaign_packets, schedule_meeting_packets
from core.models import OutboxMessage
from core.roles import Role
from core.schedules import schedules_install
from outreach.choices import InteractionKind
from outreach.models import Campaign, CampaignTarget
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference_data, make_user):
    staff = [make_user(Role.OFFICER, username="jtremblay", email="jtremblay@envoy.example"),
             make_user(Role.LEAD, username="mroy", email="mroy@envoy.example")]  # fmt: skip

    def _meeting(hours_ahead: float, kind: str = InteractionKind.MEETING):
        interaction = InteractionFactory(
            kind=kind,
            occurred_at=timezone.now() + dt.timedelta(hours=hours_ahead),
            summary="Planned meeting (synthetic)",
            people=[SyntheticPersonFactory()],
        )
        interaction.staff.set(staff)
        return interaction

    return _meeting


def test_meeting_47_hours_ahead_gets_exactly_one_packet_when_the_job_runs_twice(
    meeting, django_capture_on_commit_callbacks
):
    upcoming = meeting(47)
    person = upcoming.people.get()

    with django_capture_on_commit_callbacks(execute=True):
        first = schedule_meeting_packets.apply().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = schedule_meeting_packets.apply().get()

    packet = BriefingPacket.objects.get()
    assert (first, second) == (1, 1)
    assert packet.target_key == f"person:{person.pk}"
    assert packet.meeting == upcoming
    assert packet.status == PacketStatus.DONE
    assert packet.requested_by is None
    assert packet.schedule_slot.startswith(f"meeting-{upcoming.pk}-")
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["jtremblay@envoy.example", "mroy@envoy.example"]
    assert f"/briefings/{packet.pk}/" in mail.outbox[0].body


def test_meetings_outside_the_lead_time_or_in_the_past_get_no_packet(meeting, django_capture_on_commit_callbacks):
    meeting(49)
    meeting(-2)
    meeting(10, kind=InteractionKind.EMAIL)

    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_meeting_packets.apply().get() == 0

    assert BriefingPacket.objects.count() == 0
    assert mail.outbox == []


def test_lead_time_is_a_setting(meeting, settings, django_capture_on_commit_callbacks):
    settings.BRIEFING_MEETING_LEAD_HOURS = 72
    meeting(60)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting_packets.apply()

    assert BriefingPacket.objects.count() == 1


def test_a_moved_meeting_gets_a_packet_for_its_new_time(meeting, django_capture_on_commit_callbacks):
    upcoming = meeting(47)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting_packets.apply()
    upcoming.occurred_at += dt.timedelta(hours=1)
    upcoming.save()

    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting_packets.apply()

    assert list(BriefingPacket.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_weekly_campaign_packets_once_per_week_for_active_campaigns(reference_data, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    active = Campaign.objects.create(name="Active (synthetic)", start_date=today - dt.timedelta(days=3))
    CampaignTarget.objects.create(campaign=active, person=SyntheticPersonFactory())
    Campaign.objects.create(name="Ended (synthetic)", end_date=today - dt.timedelta(days=1))
    Campaign.objects.create(name="Not started (synthetic)", start_date=today + dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        schedule_campaign_packets.apply()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_campaign_packets.apply()

    batch = BriefingPacket.objects.get(batch_parent__isnull=True)
    assert batch.campaign == active
    assert batch.status == PacketStatus.DONE
    assert batch.children.count() == 1
    year, week, _ = today.isocalendar()
    assert batch.schedule_slot == f"weekly-{year}-W{week:02d}"


def _die_on_request_for(monkeypatch, target):
    """Make the schedule die (as a killed worker would) when it reaches `target`, after the packets it
    requested before it were made."""
    from briefings import services

    real = services.packet_request
    reached = []

    def request_or_die(**kwargs):
        if kwargs["target"] == target:
            reached.append(target)
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(services, "packet_request", request_or_die)
    return reached


def test_a_campaign_schedule_run_that_dies_part_way_leaves_no_batch_and_its_retry_makes_each_once(
    reference_data, monkeypatch, django_capture_on_commit_callbacks
):
    campaigns = []
    for name in ("First (synthetic)", "Second (synthetic)"):
        campaigns.append(Campaign.objects.create(name=name))
        CampaignTarget.objects.create(campaign=campaigns[-1], person=SyntheticPersonFactory())
    reached = _die_on_request_for(monkeypatch, campaigns[1])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        schedule_campaign_packets.apply(throw=True)

    assert reached == [campaigns[1]]
    assert BriefingPacket.objects.count() == 0
    assert not OutboxMessage.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_campaign_packets.apply(throw=True).get() == 2
    batches = BriefingPacket.objects.filter(batch_parent__isnull=True).order_by("campaign_id")
    assert [batch.campaign for batch in batches] == campaigns
    assert BriefingPacket.objects.count() == 4
    assert set(BriefingPacket.objects.values_list("status", flat=True)) == {PacketStatus.DONE}


def test_a_meeting_schedule_run_that_dies_part_way_leaves_no_packet(meeting, monkeypatch):
    upcoming = meeting(10)
    second = SyntheticPersonFactory()
    upcoming.people.add(second)
    reached = _die_on_request_for(monkeypatch, second)

    with pytest.raises(RuntimeError):
        schedule_meeting_packets.apply(throw=True)

    assert reached == [second]
    assert BriefingPacket.objects.count() == 0
    assert not OutboxMessage.objects.exists()


def test_schedules_are_installed_for_beat():
    from django_celery_beat.models import PeriodicTask

    schedules_install()

    tasks = dict(PeriodicTask.objects.filter(task__startswith="briefings.").values_list("task", "queue"))
    assert tasks == {"briefings.schedule_meeting_packets": "packets", "briefings.schedule_campaign_packets": "packets"}
