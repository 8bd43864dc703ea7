from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Shared infrastructure: roles, permissions, API conventions, the job outbox, health."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import audit, roles, signals  # noqa: F401  (signal receivers)

        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="core.sync_role_groups")
        audit.register_from_settings()
        audit.connect_link_receivers()
        post_migrate.connect(audit.install_after_migrate, dispatch_uid="core.audit_triggers")
