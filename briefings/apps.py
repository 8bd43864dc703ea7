from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    """Briefing packets: HTML and PDF assembled from trade exposure, stakeholders and outreach history."""

    name = "briefings"
    verbose_name = "Briefings"
