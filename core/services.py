"""Core write services: staff accounts and roles."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from core.roles import Role, ensure_role_groups


@transaction.atomic
def user_set_role(*, user, role: Role | None):
    """Put the user in exactly one role group; Admins get Django-admin access (is_staff)."""
    groups = ensure_role_groups()
    user.groups.remove(*groups.values())
    if role is not None:
        user.groups.add(groups[role])
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_envoy_role"):
        del user._envoy_role
    return user


@transaction.atomic
def demo_user_ensure(*, username: str, password: str | None) -> tuple[object, str | None]:
    """Create the demo login (role Lead) if it does not exist. Returns (user, password if created)."""
    User = get_user_model()
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, None
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, password=password, first_name="Demo", last_name="Officer")
    user_set_role(user=user, role=Role.LEAD)
    return user, password
