from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """People, organizations, positions, relationships and committee seats."""

    name = "contacts"
    verbose_name = "Stakeholders"
    public_data_loaders: list[str] = []
