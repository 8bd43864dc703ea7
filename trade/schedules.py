"""Default beat schedule for trade (installed by load_public_data; admins may edit it)."""

SCHEDULES = [
    {
        "name": "Refresh trade exposure (nightly)",
        "task": "trade.refresh_exposure_nightly",
        "crontab": {"minute": "30", "hour": "3"},
        "queue": "imports",
        "description": "New exposure snapshots for every current scenario version.",
    },
]
