"""Merging two records of the same person (or organization) into one, without losing a related row.

Other apps attach their own rows to people and organizations (outreach: interactions, follow-ups,
campaign targets). Contacts must not import them, so they register a hook here:

    register_merge_hook(my_hook)   # my_hook(*, keep, duplicate, kind) with kind "person" or "organization"

Hooks run inside the merge transaction, before the duplicate is deleted, and must move their rows from
`duplicate` to `keep`; they may return a dict of {table label: rows moved} recorded in the merge history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from contacts.choices import AssessmentSource, MergeKind, Stance
from contacts.models import (
    CommitteeMembership,
    ContactPoint,
    InfluenceEntry,
    MergeRecord,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    Relationship,
    StanceEntry,
)
from contacts.permissions import can_merge
from contacts.services import PermissionDeniedError, person_assessments_refresh, person_set_stance
from core.errors import DomainValidationError

MergeHook = Callable[..., dict[str, int] | None]
_HOOKS: list[MergeHook] = []

PERSON_FILL_FIELDS = (
    "honorific", "first_name", "middle_name", "suffix", "preferred_name", "title", "bio", "office", "party",
    "chamber", "district", "term_start", "term_end", "influence", "influence_rationale", "owner_id",
    "verification_note",
)  # fmt: skip
ORGANIZATION_FILL_FIELDS = ("description", "hq_state_id", "canadian_link", "website", "parent_id", "owner_id")


def register_merge_hook(hook: MergeHook) -> MergeHook:
    """Register `hook(*, keep, duplicate, kind)`; registering the same callable twice has no effect."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def _snapshot(instance) -> dict[str, Any]:
    data = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _fill_blanks(keep, duplicate, names) -> None:
    for name in names:
        if getattr(keep, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(keep, name, getattr(duplicate, name))


def _run_hooks(*, keep, duplicate, kind: str, moved: dict[str, int]) -> None:
    for hook in _HOOKS:
        result = hook(keep=keep, duplicate=duplicate, kind=kind)
        for label, count in (result or {}).items():
            moved[label] = moved.get(label, 0) + count


@transaction.atomic
def contact_merge(*, keep: Person | Organization, duplicate: Person | Organization, actor) -> MergeRecord:
    """Keep `keep`, move every related row of `duplicate` to it, delete `duplicate`, record the merge."""
    if not can_merge(actor):
        raise PermissionDeniedError(_("Only Leads and Admins can merge records."))
    if type(keep) is not type(duplicate) or not isinstance(keep, Person | Organization):
        raise DomainValidationError(_("Only two people or two organizations can be merged."))
    if keep.pk == duplicate.pk:
        raise DomainValidationError(_("A record cannot be merged into itself."))
    model = type(keep)
    locked = {obj.pk: obj for obj in model.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
    if len(locked) != 2:
        raise DomainValidationError(_("One of the records no longer exists."))
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if isinstance(keep, Person):
        kind, moved = MergeKind.PERSON, _merge_people(keep=keep, duplicate=duplicate)
    else:
        kind, moved = MergeKind.ORGANIZATION, _merge_organizations(keep=keep, duplicate=duplicate)
    _run_hooks(keep=keep, duplicate=duplicate, kind=str(kind), moved=moved)
    snapshot, label, duplicate_id = _snapshot(duplicate), str(duplicate), duplicate.pk
    duplicate.delete()
    return MergeRecord.objects.create(
        kind=kind,
        kept_person=keep if kind == MergeKind.PERSON else None,
        kept_organization=keep if kind == MergeKind.ORGANIZATION else None,
        duplicate_id=duplicate_id,
        duplicate_label=label[:250],
        duplicate_snapshot=snapshot,
        moved=moved,
        actor=actor,
    )


def _merge_people(*, keep: Person, duplicate: Person) -> dict[str, int]:
    moved: dict[str, int] = {}
    moved["positions"] = Position.objects.filter(person=duplicate).update(person=keep)
    moved["contact_points"] = ContactPoint.objects.filter(person=duplicate).update(person=keep)
    moved["stance_entries"] = StanceEntry.objects.filter(person=duplicate).update(person=keep)
    moved["influence_entries"] = InfluenceEntry.objects.filter(person=duplicate).update(person=keep)
    # An edge between the two records would point from the kept person to itself: it says nothing.
    moved["relationships_between_the_two_removed"] = (
        Relationship.objects.filter(from_person=duplicate, to_person=keep).delete()[0]
        + Relationship.objects.filter(from_person=keep, to_person=duplicate).delete()[0]
    )
    moved["relationships_out"] = Relationship.objects.filter(from_person=duplicate).update(from_person=keep)
    moved["relationships_in"] = Relationship.objects.filter(to_person=duplicate).update(to_person=keep)
    held = set(CommitteeMembership.objects.filter(person=keep).values_list("committee_id", flat=True))
    moved["committee_seats_already_held"] = CommitteeMembership.objects.filter(
        person=duplicate, committee_id__in=held
    ).delete()[0]
    moved["committee_seats"] = CommitteeMembership.objects.filter(person=duplicate).update(person=keep)
    moved["merge_history"] = MergeRecord.objects.filter(kept_person=duplicate).update(kept_person=keep)
    for relation in ("tags", "states", "pillars"):
        extra = list(getattr(duplicate, relation).exclude(pk__in=getattr(keep, relation).values("pk")))
        getattr(keep, relation).add(*extra)
        moved[relation] = len(extra)

    _fill_blanks(keep, duplicate, PERSON_FILL_FIELDS)
    if duplicate.notes:
        keep.notes = f"{keep.notes}\n\n{duplicate.notes}".strip()
    keep.is_current_office_holder = keep.is_current_office_holder or duplicate.is_current_office_holder
    keep.needs_verification = keep.needs_verification or duplicate.needs_verification
    keep.external_ids = {**duplicate.external_ids, **keep.external_ids}
    unique_ids = {}
    for name in ("bioguide_id", "openstates_id"):
        if not getattr(keep, name) and getattr(duplicate, name):
            unique_ids[name] = getattr(duplicate, name)
    if unique_ids:
        # Free the unique ids on the duplicate before the kept record takes them.
        Person.objects.filter(pk=duplicate.pk).update(**dict.fromkeys(unique_ids))
        for name, value in unique_ids.items():
            setattr(keep, name, value)
    keep.save()
    # Both histories are now the kept person's: the stance rule picks the current values from them.
    person_assessments_refresh(person=keep)
    if keep.stance == Stance.UNKNOWN and duplicate.stance != Stance.UNKNOWN:
        # The duplicate's stance had no history: bring it over as a dated entry.
        person_set_stance(
            person=keep, stance=duplicate.stance, actor=None, reason=f"Kept from the merged record “{duplicate}”.",
            source=AssessmentSource.MERGE,
        )  # fmt: skip
    return moved


def _merge_organizations(*, keep: Organization, duplicate: Organization) -> dict[str, int]:
    moved: dict[str, int] = {}
    moved["positions"] = Position.objects.filter(organization=duplicate).update(organization=keep)
    moved["contact_points"] = ContactPoint.objects.filter(organization=duplicate).update(organization=keep)
    moved["relationships_in"] = Relationship.objects.filter(to_organization=duplicate).update(to_organization=keep)
    moved["child_organizations"] = Organization.objects.filter(parent=duplicate).exclude(pk=keep.pk).update(parent=keep)
    present = {p.state_id: p for p in OrganizationStatePresence.objects.filter(organization=keep)}
    moved["state_presence"] = 0
    moved["state_presence_already_listed"] = 0
    for presence in OrganizationStatePresence.objects.filter(organization=duplicate):
        kept = present.get(presence.state_id)
        if kept is None:
            presence.organization = keep
            presence.save(update_fields=["organization", "updated_at"])
            moved["state_presence"] += 1
        else:
            if kept.employees is None and presence.employees is not None:
                kept.employees, kept.employees_source = presence.employees, presence.employees_source
                kept.save(update_fields=["employees", "employees_source", "updated_at"])
            presence.delete()
            moved["state_presence_already_listed"] += 1
    moved["merge_history"] = MergeRecord.objects.filter(kept_organization=duplicate).update(kept_organization=keep)
    for relation in ("tags", "pillars"):
        extra = list(getattr(duplicate, relation).exclude(pk__in=getattr(keep, relation).values("pk")))
        getattr(keep, relation).add(*extra)
        moved[relation] = len(extra)
    if keep.parent_id == duplicate.pk:
        keep.parent = None
    _fill_blanks(keep, duplicate, ORGANIZATION_FILL_FIELDS)
    if keep.parent_id == duplicate.pk:
        keep.parent = None
    if duplicate.notes:
        keep.notes = f"{keep.notes}\n\n{duplicate.notes}".strip()
    keep.external_ids = {**duplicate.external_ids, **keep.external_ids}
    keep.save()
    return moved
