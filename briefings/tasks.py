"""Briefing tasks: generation on the "packets" queue and the two schedules."""

from __future__ import annotations

from celery import shared_task

from briefings import services
from core.jobs import outbox_task


@shared_task(name="briefings.generate_packet", queue="packets", time_limit=10 * 60, soft_time_limit=9 * 60)
@outbox_task
def generate_packet(*, packet_id: int) -> str | None:
    """Render one queued packet. A redelivered or retried message finds the packet finished and stops."""
    packet = services.packet_generate(packet_id=packet_id)
    return packet.status if packet else None


@shared_task(name="briefings.schedule_meeting_packets", queue="packets", time_limit=5 * 60)
def schedule_meeting_packets() -> int:
    """Queue packets for meetings starting within BRIEFING_MEETING_LEAD_HOURS (one per target per meeting)."""
    return len(services.meeting_packets_schedule())


@shared_task(name="briefings.schedule_campaign_packets", queue="packets", time_limit=5 * 60)
def schedule_campaign_packets() -> int:
    """Queue this week's packet for every active campaign (one per campaign per ISO week)."""
    return len(services.campaign_packets_schedule())
