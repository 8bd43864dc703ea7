from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Interactions, follow-ups, campaigns, priorities, coverage, the dashboard and briefing packets."""

    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        # Contacts calls registered hooks inside its merge transaction, so merging duplicate
        # stakeholders carries their outreach history along without contacts importing outreach.
        from contacts.merge import register_merge_hook
        from outreach import receivers  # noqa: F401  (keeps cached priority scores in step with contacts)
        from outreach.services import contact_merge_hook

        register_merge_hook(contact_merge_hook)
