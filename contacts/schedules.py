"""Beat schedule for stakeholders (installed by `load_public_data`; admins may edit it afterwards)."""

SCHEDULES = [
    {
        "name": "Delete uploaded import files that no import points at",
        "task": "contacts.sweep_orphan_import_uploads",
        "crontab": {"minute": "30", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "default",
    },
    {
        "name": "Roll offices over to their recorded successors",
        "task": "contacts.roll_over_offices",
        # Just after midnight in Ottawa (05:10 UTC): an office changes hands at the start of its day.
        "crontab": {"minute": "10", "hour": "5", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "queue": "default",
    },
]
