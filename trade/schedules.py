"""Default beat schedule for trade (installed by load_public_data; admins may edit it)."""

SCHEDULES = [
    {
        "name": "Refresh trade exposure (nightly)",
        "task": "trade.refresh_exposure_nightly",
        "crontab": {"minute": "30", "hour": "3"},
        "queue": "imports",
        "description": "New exposure snapshots for every current scenario version.",
    },
    {
        "name": "Refresh 'in force today' scenarios when a tariff measure starts or ends",
        "task": "trade.refresh_rolling_regimes",
        "crontab": {"minute": "10", "hour": "0"},
        "queue": "imports",
        "description": "Recomputes rolling regime scenarios whose snapshot predates a measure's start or end.",
    },
]
