from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """People, organizations, positions, relationships and committee seats."""

    name = "contacts"
    verbose_name = "Stakeholders"
    public_data_loaders: list[str] = [
        "contacts.public_data.load_congress",
        "contacts.public_data.load_governors",
        "contacts.public_data.load_organizations",
    ]
