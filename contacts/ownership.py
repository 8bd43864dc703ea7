"""Field-level ownership of people, organizations and positions, and the review of source changes.

Every record keeps, in `field_owners`, who set each field's current value: a public release
(`{"by": "source", "release": label}`) or staff (`{"by": "staff", "user": id, "username": ..., "at": iso}`).
Public imports go through `source_values_apply`: a field the source owns (or nobody claimed yet) takes
the source's value; a field staff changed keeps the staff value, and the source's differing value is
kept aside as a pending `SourceChange` for a Lead to accept or dismiss. So re-running an import, or
deploying again, never loses a correction made by staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from contacts.choices import SourceChangeStatus
from contacts.models import Organization, Person, Position, SourceChange

STAFF = "staff"
SOURCE = "source"
OwnedRecord = Person | Organization | Position


def json_value(value: Any) -> Any:
    """A field value as JSON (dates as ISO text, related rows as their id)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _owner_field(record: OwnedRecord) -> str:
    return type(record)._meta.model_name


def staff_changes_mark(
    *, record: OwnedRecord, before: Mapping[str, Any], actor, at: dt.datetime | None = None
) -> list[str]:
    """Mark as staff-owned each field whose value now differs from `before`; returns their names.

    The caller saves the record (with `field_owners`)."""
    at = at or timezone.now()
    owners = dict(record.field_owners or {})
    changed = []
    for name, old in before.items():
        if getattr(record, name) != old:
            previous = owners.get(name) or {}
            owners[name] = {
                "by": STAFF,
                "user": getattr(actor, "pk", None),
                "username": actor.get_username() if actor is not None else "",
                "at": at.isoformat(),
                # What the source said when staff took the field over: only a different value from a
                # later release is worth a review.
                "source_value": previous.get("source_value") if previous.get("by") == STAFF else json_value(old),
            }
            changed.append(name)
    record.field_owners = owners
    return changed


def source_values_apply(
    *, record: OwnedRecord, values: Mapping[str, Any], release: str
) -> tuple[bool, bool, list[SourceChange]]:
    """Apply a public release's values to a record without overwriting staff edits.

    Returns (values changed, ownership changed, source changes to record). Nothing is saved: imports
    write in bulk, then hand the source changes to `source_changes_record`.
    """
    owners = dict(record.field_owners or {})
    changed = owners_changed = False
    for_review: list[SourceChange] = []
    for name, value in values.items():
        owner = owners.get(name) or {}
        current = getattr(record, name)
        if owner.get("by") == STAFF and current != value:
            if json_value(value) == owner.get("source_value"):
                continue  # the source still says what staff corrected
            change = SourceChange(
                field=name, staff_value=json_value(current), source_value=json_value(value), release=release
            )
            setattr(change, _owner_field(record), record)
            for_review.append(change)
            continue
        # A field nobody claimed, the source's own, or one where the source now agrees with staff.
        if current != value:
            setattr(record, name, value)
            changed = True
        if owner.get("by") != SOURCE or owner.get("release") != release:
            owners[name] = {"by": SOURCE, "release": release}
            owners_changed = True
    record.field_owners = owners
    return changed, owners_changed, for_review


def source_changes_record(changes: Iterable[SourceChange]) -> int:
    """Keep one pending review per record and field, holding the latest release's value.

    A value a Lead already dismissed ("keep ours") for that field is not raised again. Returns how
    many fields wait for review after this import.
    """
    count = 0
    for change in changes:
        owner = "person" if change.person_id else "organization" if change.organization_id else "position"
        record_filter = {f"{owner}_id": getattr(change, f"{owner}_id"), "field": change.field}
        if SourceChange.objects.filter(
            **record_filter, status=SourceChangeStatus.KEPT, source_value=change.source_value
        ).exists():
            continue
        SourceChange.objects.update_or_create(
            **record_filter,
            status=SourceChangeStatus.PENDING,
            defaults={
                "staff_value": change.staff_value,
                "source_value": change.source_value,
                "release": change.release,
            },
        )
        count += 1
    return count


def field_provenance(record: OwnedRecord) -> list[dict[str, Any]]:
    """The record's fields with who set them, for the record's page (staff first, then by name)."""
    rows = []
    meta = type(record)._meta
    for name, owner in (record.field_owners or {}).items():
        if not any(f.name == name for f in meta.concrete_fields):
            continue  # a field that no longer exists keeps no row on the page
        label = str(meta.get_field(name).verbose_name)
        rows.append(
            {
                "field": name,
                "label": label,
                "by": owner.get("by"),
                "release": owner.get("release", ""),
                "username": owner.get("username", ""),
                "at": dt.datetime.fromisoformat(owner["at"]) if owner.get("at") else None,
            }
        )
    return sorted(rows, key=lambda r: (r["by"] != STAFF, r["label"]))
