"""Core write services: staff accounts and roles."""

from __future__ import annotations

import logging
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from core.roles import Role, ensure_role_groups

security_log = logging.getLogger("envoy.security")


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


@transaction.atomic
def user_deactivate(*, user, actor=None):
    """Deactivate a staff account: it can no longer log in, its sessions end, its API tokens are revoked.

    The session and token clean-up is done by the `is_active` signal receiver in core.signals, so the
    same happens when an admin unticks "active" in Django admin or a command saves the user.
    """
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    security_log.warning(
        "user-deactivate user=%s by=%s", user.get_username(), getattr(actor, "username", None) or "system"
    )
    return user
