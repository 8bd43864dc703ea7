"""Beat schedule for briefing packets (installed by `load_public_data`; admins may edit it afterwards).

Both jobs are safe to fire twice: packets are unique per (target, schedule slot), so a second run in
the same slot finds the packets the first one made.
"""

SCHEDULES = [
    {
        "name": "Briefing packets for upcoming meetings",
        "task": "briefings.schedule_meeting_packets",
        "crontab": {"minute": "*/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "packets",
        "description": "Every 15 minutes: a packet per attendee for meetings within BRIEFING_MEETING_LEAD_HOURS.",
    },
    {
        "name": "Weekly briefing packets for active campaigns",
        "task": "briefings.schedule_campaign_packets",
        # Mondays 10:00 UTC (05:00 or 06:00 in Ottawa), ready before the week starts.
        "crontab": {"minute": "0", "hour": "10", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"},
        "queue": "packets",
    },
]
