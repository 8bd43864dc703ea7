from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContactsConfig(AppConfig):
    """People, organizations, positions, relationships and committee seats."""

    name = "contacts"
    verbose_name = "Stakeholders"
    public_data_loaders: list[str] = [
        "contacts.public_data.load_congress",
        "contacts.public_data.load_governors",
        "contacts.public_data.load_organizations",
    ]

    def ready(self) -> None:
        from contacts import search

        post_migrate.connect(search.sqlite_name_index_install, dispatch_uid="contacts.sqlite_name_index")
