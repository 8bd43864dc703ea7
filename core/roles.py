"""The four staff roles and how a user's role is found.

Roles are Django groups (created by a data migration and re-synced after every migrate) ordered
Viewer < Officer < Lead < Admin: each role can do everything the roles below it can.
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import transaction
from django.utils.translation import pgettext_lazy


class Role(enum.IntEnum):
    VIEWER = 10
    OFFICER = 20
    LEAD = 30
    ADMIN = 40

    @property
    def group_name(self) -> str:
        """The Django group's name: a stable key, never translated."""
        return self.name.capitalize()

    @property
    def label(self) -> str:
        """The role as a staff member reads it, in their language."""
        return str(ROLE_LABELS[self])


# Listed after the class so the catalogue holds each name; read through `Role.label`.
ROLE_LABELS = {
    Role.VIEWER: pgettext_lazy("staff role", "Viewer"),
    Role.OFFICER: pgettext_lazy("staff role", "Officer"),
    Role.LEAD: pgettext_lazy("staff role", "Lead"),
    Role.ADMIN: pgettext_lazy("staff role", "Admin"),
}


ROLE_BY_GROUP = {role.group_name: role for role in Role}


def role_of(user) -> Role | None:
    """The highest role the user holds, or None (anonymous, inactive or no role group)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_envoy_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = user.groups.values_list("name", flat=True)
        roles = [ROLE_BY_GROUP[name] for name in names if name in ROLE_BY_GROUP]
        role = max(roles) if roles else None
    user._envoy_role = role
    return role


def has_role(user, role: Role) -> bool:
    current = role_of(user)
    return current is not None and current >= role


def ensure_role_groups() -> dict[Role, Group]:
    """Create the role groups if missing and give Admin every model permission (for Django admin)."""
    with transaction.atomic():
        groups = {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
        admin_group = groups[Role.ADMIN]
        missing = Permission.objects.exclude(group=admin_group)
        if missing.exists():
            admin_group.permissions.add(*missing)
    return groups


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    # Runs after migrate and after test-database flushes, so the groups always exist.
    if sender.name == "core":
        ensure_role_groups()
