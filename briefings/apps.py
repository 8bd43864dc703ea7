from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    """Briefing packets: HTML and PDF assembled from trade exposure, stakeholders and outreach history."""

    name = "briefings"
    verbose_name = "Briefings"
    public_data_loaders = ["briefings.public_data.load_talking_points"]
