"""Beat schedule for outreach (installed by `load_public_data`; admins may edit it afterwards)."""

SCHEDULES = [
    {
        "name": "Email each staff member their due and overdue follow-ups",
        "task": "outreach.send_follow_up_digests",
        # 11:00 UTC is 06:00 or 07:00 in Ottawa, before the working day starts.
        "crontab": {"minute": "0", "hour": "11", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "default",
    },
    {
        "name": "Refresh the contact figures of people whose scheduled interaction has taken place",
        "task": "outreach.refresh_contact_stats",
        "crontab": {"minute": "*/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "default",
    },
    {
        "name": "Recompute the who-to-call-next ranking when it is stale",
        "task": "outreach.refresh_priority_scores",
        "crontab": {"minute": "*/5", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "default",
    },
]
