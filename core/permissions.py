"""The one authorization helper: role checks for pages and the API, and `visible_to` querysets.

- Pages use `RoleRequiredMixin` (class views) or `role_required` (function views).
- The API uses `RolePermission` (the DRF default): reads need `read_role`, writes `write_role`,
  both attributes of the view. Object rules go in the model's `visible_to(user)` queryset, which
  every list view, detail view and admin changelist starts from, so an object a user may not see
  answers 404 and never appears in a list.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import Role, has_role, role_of
from core.twofactor import is_verified

security_log = logging.getLogger("envoy.security")


def role_allowed(user, role: Role) -> bool:
    """`has_role`, plus: Admin-level rights need a session verified with a second factor."""
    if not has_role(user, role):
        return False
    return role < Role.ADMIN or is_verified(user)


def _deny(request, reason: str) -> None:
    security_log.warning(
        "access-denied user=%s path=%s reason=%s",
        getattr(request.user, "username", "-") or "anonymous",
        request.path,
        reason,
    )


class RoleRequiredMixin(LoginRequiredMixin):
    """Page views: log in first, then hold `required_role` (Viewer by default)."""

    required_role: Role = Role.VIEWER

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not role_allowed(request.user, self.required_role):
            _deny(request, f"needs {self.required_role.group_name}")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(role: Role = Role.VIEWER):
    """Function-view decorator with the same rule as `RoleRequiredMixin`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not role_allowed(request.user, role):
                _deny(request, f"needs {role.group_name}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RolePermission(BasePermission):
    """DRF: safe methods need `view.read_role` (Viewer), others `view.write_role` (Officer)."""

    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        needed = getattr(view, "read_role", Role.VIEWER)
        if request.method not in SAFE_METHODS:
            needed = getattr(view, "write_role", Role.OFFICER)
        allowed = role_allowed(request.user, needed)
        if not allowed:
            _deny(request, f"needs {Role(needed).group_name}")
        return allowed


class VisibleToQuerySet(models.QuerySet):
    """Base queryset: `visible_to(user)` returns what the user may see (everything for any role)."""

    def visible_to(self, user):
        if role_of(user) is None:
            return self.none()
        return self


__all__ = [
    "Role",
    "RolePermission",
    "RoleRequiredMixin",
    "VisibleToQuerySet",
    "has_role",
    "role_allowed",
    "role_of",
    "role_required",
]
