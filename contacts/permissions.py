"""Who may change which stakeholder record (reading is `visible_to` on the querysets)."""

from __future__ import annotations

from core.roles import Role, has_role


def can_edit_person(user, person) -> bool:
    """Leads and Admins edit everyone; Officers edit the people they own (and create new ones)."""
    if has_role(user, Role.LEAD):
        return True
    return has_role(user, Role.OFFICER) and person is not None and person.owner_id == user.pk


def can_edit_organization(user, organization) -> bool:
    if has_role(user, Role.LEAD):
        return True
    return has_role(user, Role.OFFICER) and organization is not None and organization.owner_id == user.pk


def can_create(user) -> bool:
    return has_role(user, Role.OFFICER)


def can_merge(user) -> bool:
    """Merging rewrites other staff members' records, so it is a Lead's call."""
    return has_role(user, Role.LEAD)


def can_see_staff_notes(user) -> bool:
    """Staff notes go into exports only for Leads and Admins (they may hold sensitive remarks)."""
    return has_role(user, Role.LEAD)
