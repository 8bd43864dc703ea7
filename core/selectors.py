"""Core read selectors: audit history of a record, as a person may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext as _

from core.audit import tracked_entry
from core.models import AuditEvent
from core.roles import Role, has_role

HISTORY_HIDDEN_COLUMNS = ("id", "created_at", "updated_at")


@dataclass
class HistoryChange:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime
    action: str
    action_label: str
    actor: str
    source: str
    request_id: str
    job_id: str
    changes: list[HistoryChange] = field(default_factory=list)
    hidden_changes: int = 0


def history_can_see(user) -> bool:
    """Audit history is shown to Lead and Admin only."""
    return has_role(user, Role.LEAD)


def _confidential_visible(entry, user, obj) -> bool:
    if not entry.confidential_fields:
        return True
    if entry.can_see_confidential is not None:
        return bool(entry.can_see_confidential(user, obj))
    return has_role(user, Role.LEAD)


def _display(model_field: models.Field | None, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None:
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("yes") if value else _("no")
        if model_field.is_relation:
            return f"#{value}"
    return str(value)


def history_for(obj: models.Model, user, *, limit: int = 100) -> list[HistoryEntry] | None:
    """The record's changes, newest first; None when the user may not see history (below Lead)
    or the model is not tracked. Confidential columns are left out (and counted in
    `hidden_changes`) unless the model's rule lets this user see them. One query."""
    entry = tracked_entry(type(obj))
    if entry is None or not history_can_see(user):
        return None
    by_column = {f.column: f for f in obj._meta.concrete_fields}
    hidden = set(HISTORY_HIDDEN_COLUMNS)
    if not _confidential_visible(entry, user, obj):
        confidential_columns = {obj._meta.get_field(name).column for name in entry.confidential_fields}
    else:
        confidential_columns = set()
    events = AuditEvent.objects.filter(model=entry.label, object_id=str(obj.pk)).order_by("-at", "-id")[:limit]
    history: list[HistoryEntry] = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        columns = [c for c in {**before, **after} if c not in hidden]
        if event.action != AuditEvent.Action.UPDATE:
            columns = [c for c in columns if (after or before).get(c) not in (None, "", [], {})]
        item = HistoryEntry(
            at=event.at,
            action=event.action,
            action_label=event.get_action_display(),
            actor=event.actor_label,
            source=event.source,
            request_id=event.request_id,
            job_id=event.job_id,
        )
        for column in columns:
            if column in confidential_columns:
                item.hidden_changes += 1
                continue
            model_field = by_column.get(column)
            label = str(model_field.verbose_name) if model_field is not None else column
            item.changes.append(
                HistoryChange(
                    field=label,
                    before=_display(model_field, before.get(column)) if event.action != "insert" else "",
                    after=_display(model_field, after.get(column)) if event.action != "delete" else "",
                )
            )
        history.append(item)
    return history
