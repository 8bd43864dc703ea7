from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Interactions, follow-ups, campaigns, priorities, coverage, the dashboard and briefing packets."""

    name = "outreach"
    verbose_name = "Outreach"
