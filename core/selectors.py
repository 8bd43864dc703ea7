"""Core read selectors: audit history of a record, as a person may see it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core import formatting
from core.audit import TrackedModel, tracked_children, tracked_entry, tracked_models
from core.models import AuditEvent
from core.roles import Role, has_role

# `version` (VersionedModel) is bookkeeping, like the timestamps: an insert records it, history hides it.
HISTORY_HIDDEN_COLUMNS = ("id", "created_at", "updated_at", "version")
# Longer values are cut in the history table (the full value stays in the audit log).
HISTORY_VALUE_MAX_CHARS = 500
LINK_ACTIONS = (AuditEvent.Action.ADD, AuditEvent.Action.REMOVE)


@dataclass
class HistoryChange:
    field: str
    before: str
    after: str
    # The model field's name and the stored values, for code that compares them (edit conflicts).
    name: str = ""
    raw_before: object = None
    raw_after: object = None
    # The model a foreign key points at: its ids are shown as the rows' labels (`_label_relations`).
    related_model: type[models.Model] | None = None


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
    # Which record, when the history shows more than the page's own record ("Position #12").
    record: str = ""


def history_can_see(user) -> bool:
    """Audit history is shown to Lead and Admin only."""
    return has_role(user, Role.LEAD)


def _confidential_visible(entry: TrackedModel, user, obj) -> bool:
    if not entry.confidential_fields:
        return True
    if entry.can_see_confidential is not None:
        return bool(entry.can_see_confidential(user, obj))
    return has_role(user, Role.LEAD)


def _summary(value) -> str:
    """A large value as its size and checksum: enough to tell versions apart without printing them."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return _("%(count)s characters, sha256 %(digest)s") % {"count": formatting.integer(len(text)), "digest": digest}


def _display(model_field: models.Field | None, value, *, summarize: bool = False) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if summarize:
        return _summary(value)
    if model_field is not None:
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("yes") if value else _("no")
        if model_field.is_relation:
            return f"#{value}"
    text = json.dumps(value, cls=DjangoJSONEncoder) if isinstance(value, dict | list) else str(value)
    if len(text) > HISTORY_VALUE_MAX_CHARS:
        return _("%(start)s… (%(count)s characters)") % {
            "start": text[:HISTORY_VALUE_MAX_CHARS],
            "count": formatting.integer(len(text)),
        }
    return text


def _links_display(links) -> str:
    """Linked rows as their labels ("Michigan, Ohio"), or their ids when a row has no label."""
    if not isinstance(links, list):
        return _display(None, links)
    return ", ".join(str(item.get("label") or f"#{item.get('id')}") for item in links if isinstance(item, dict))


def _entry(event: AuditEvent, tracked: TrackedModel, *, show_confidential: bool, record: str = "") -> HistoryEntry:
    """One event as the history table shows it, for a reader who may (or may not) see confidential fields."""
    model = tracked.model
    item = HistoryEntry(
        at=event.at,
        action=event.action,
        action_label=event.get_action_display(),
        actor=event.actor_label,
        source=event.source,
        request_id=event.request_id,
        job_id=event.job_id,
        record=record,
    )
    before, after = event.before or {}, event.after or {}
    if event.action in LINK_ACTIONS:
        for name, links in (after or before).items():
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except models.FieldDoesNotExist:
                label = name
            text = _links_display(links)
            added = event.action == AuditEvent.Action.ADD
            item.changes.append(
                HistoryChange(field=label, before="" if added else text, after=text if added else "", name=name)
            )
        return item
    by_column = {f.column: f for f in model._meta.concrete_fields}
    hidden = () if show_confidential else tracked.confidential_fields
    confidential = {model._meta.get_field(name).column for name in hidden}
    summarized = {model._meta.get_field(name).column for name in tracked.summary_fields}
    columns = [c for c in {**before, **after} if c not in HISTORY_HIDDEN_COLUMNS]
    if event.action != AuditEvent.Action.UPDATE:
        columns = [c for c in columns if (after or before).get(c) not in (None, "", [], {})]
    for column in columns:
        if column in confidential:
            item.hidden_changes += 1
            continue
        model_field = by_column.get(column)
        label = str(model_field.verbose_name) if model_field is not None else column
        summarize = column in summarized
        old = _display(model_field, before.get(column), summarize=summarize) if event.action != "insert" else ""
        new = _display(model_field, after.get(column), summarize=summarize) if event.action != "delete" else ""
        item.changes.append(
            HistoryChange(
                field=label,
                before=old,
                after=new,
                name=model_field.name if model_field is not None else column,
                raw_before=before.get(column),
                raw_after=after.get(column),
                related_model=model_field.related_model
                if model_field is not None and model_field.is_relation
                else None,
            )
        )
    return item


def _label_relations(history: list[HistoryEntry]) -> None:
    """Foreign keys in the changes read as the rows they point at ("Gretchen Whitmer", not "#559"):
    one query per model pointed at, whatever the number of entries. A row deleted since keeps its id."""
    wanted: dict[type[models.Model], set] = {}
    for entry in history:
        for change in entry.changes:
            if change.related_model is not None:
                ids = {value for value in (change.raw_before, change.raw_after) if value not in (None, "")}
                wanted.setdefault(change.related_model, set()).update(ids)
    labels: dict[tuple[type[models.Model], str], str] = {}
    for model, ids in wanted.items():
        for row in _with_foreign_keys(model._base_manager.filter(pk__in=ids)):
            labels[model, str(row.pk)] = _row_label(row)
    for entry in history:
        for change in entry.changes:
            if change.related_model is None:
                continue
            if change.raw_before not in (None, "") and change.before:
                change.before = labels.get((change.related_model, str(change.raw_before)), change.before)
            if change.raw_after not in (None, "") and change.after:
                change.after = labels.get((change.related_model, str(change.raw_after)), change.after)


def _with_foreign_keys(queryset: models.QuerySet) -> models.QuerySet:
    """Rows with the rows their foreign keys point at, so their labels ("Chair, Michigan Manufacturers
    Association") cost no query each."""
    names = [f.name for f in queryset.model._meta.concrete_fields if f.is_relation]
    return queryset.select_related(*names) if names else queryset


def _row_label(row: models.Model) -> str:
    """A row as a reader knows it: a user by name, anything else as its own label."""
    if hasattr(row, "get_full_name"):
        return row.get_full_name() or row.get_username()
    return str(row)


# Columns that name a row well enough to recognise it once the row is gone (from its last event).
DELETED_ROW_LABEL_COLUMNS = ("full_name", "name", "title", "description", "value", "what")


def _record_label(model: type[models.Model], event: AuditEvent, labels: dict) -> str:
    """A row shown in a history, as "Position: Chair, Michigan Manufacturers Association"; a row
    deleted since is "Position (deleted): Chair", named from its last event. Never an internal id."""
    kind = str(model._meta.verbose_name).capitalize()
    label, deleted = labels.get((model, str(event.object_id)), ("", True))
    if not deleted:
        return f"{kind}: {label}"
    if label:
        return _("%(kind)s (deleted): %(label)s") % {"kind": kind, "label": label}
    return _("%(kind)s (deleted)") % {"kind": kind}


def _record_labels(events: list[AuditEvent], tracked_by_label: dict) -> dict:
    """{(model, id): (label, deleted)} for each row the events (newest first) are about: a row that
    still exists by its own label (one query per model), a deleted one from its newest event's values."""
    ids: dict[type[models.Model], set[str]] = {}
    for event in events:
        ids.setdefault(tracked_by_label[event.model].model, set()).add(event.object_id)
    labels: dict = {}
    for model, object_ids in ids.items():
        pks = [pk for pk in object_ids if pk.isdigit()]
        for row in _with_foreign_keys(model._base_manager.filter(pk__in=pks)):
            labels[model, str(row.pk)] = (str(row), False)
    for event in events:
        key = (tracked_by_label[event.model].model, str(event.object_id))
        if key not in labels:
            values = event.before if event.action == AuditEvent.Action.DELETE else event.after
            values = values or {}
            named = next((str(values[c]) for c in DELETED_ROW_LABEL_COLUMNS if values.get(c) not in (None, "")), "")
            labels[key] = (named, True)
    return labels


def _deleted_rows_pointing_at(fk: models.ForeignKey, pk) -> models.Q:
    """Delete events of rows whose foreign key `fk` held `pk` (the row itself is gone; its last
    values are in `before`). PostgreSQL uses the partial GIN index on delete events."""
    if connection.vendor == "postgresql":
        return models.Q(action=AuditEvent.Action.DELETE, before__contains={fk.column: pk})
    return models.Q(action=AuditEvent.Action.DELETE, **{f"before__{fk.column}": pk})


def history_for(obj: models.Model, user, *, limit: int = 100) -> list[HistoryEntry] | None:
    """The record's changes, newest first, with those of the rows that belong to it (models that name
    it in `audit_parents`: a person's positions, relationships, contact points, follow-ups...), each
    marked with its record; rows deleted since are found through their delete event, which holds the
    last values of the row.

    None when the user may not see history (below Lead) or the model is not tracked. Confidential
    columns are left out (and counted in `hidden_changes`) unless the model's rule lets this user see
    them (for another record's rows, the rule without an object: Lead and above). A fixed number of
    queries: the events, then the labels of the rows they name (one per model).
    """
    entry = tracked_entry(type(obj))
    if entry is None or not history_can_see(user):
        return None
    own = AuditEvent.objects.filter(model=entry.label, object_id=str(obj.pk)).order_by()
    children = tracked_children(type(obj))
    if children:
        parts = []
        for child, fk in children:
            current = (
                child.model._base_manager.filter(**{fk.attname: obj.pk})
                .annotate(audit_object_id=Cast("pk", models.CharField()))
                .values("audit_object_id")
                .order_by()
            )
            events = AuditEvent.objects.filter(model=child.label).order_by()
            deleted = events.filter(_deleted_rows_pointing_at(fk, obj.pk)).values("object_id")
            parts += [events.filter(object_id__in=current), events.filter(object_id__in=deleted)]
        query = own.union(*parts, all=True)
    else:
        query = own
    events = list(query.order_by("-at", "-id")[:limit])
    models_by_label = {entry.label: entry, **{child.label: child for child, _fk in children}}
    labels = _record_labels([e for e in events if e.model != entry.label], models_by_label)
    history: list[HistoryEntry] = []
    seen: set[int] = set()
    for event in events:
        if event.pk in seen:  # a row pointing at the record twice (a relationship with itself)
            continue
        seen.add(event.pk)
        tracked = models_by_label[event.model]
        if tracked is entry:
            history.append(_entry(event, entry, show_confidential=_confidential_visible(entry, user, obj)))
        else:
            history.append(
                _entry(
                    event,
                    tracked,
                    show_confidential=_confidential_visible(tracked, user, None),
                    record=_record_label(tracked.model, event, labels),
                )
            )
    _label_relations(history)
    return history


def model_history(model: type[models.Model], user, *, limit: int = 100) -> list[HistoryEntry] | None:
    """The latest changes to any row of `model` (a library page: talking points, data releases),
    newest first, each marked with its record, deleted rows included. None below Lead. A fixed number
    of queries (the events, then the labels of the rows they name)."""
    entry = tracked_entry(model)
    if entry is None or not history_can_see(user):
        return None
    events = list(AuditEvent.objects.filter(model=entry.label).order_by("-at", "-id")[:limit])
    labels = _record_labels(events, {entry.label: entry})
    history = [
        _entry(
            event,
            entry,
            show_confidential=_confidential_visible(entry, user, None),
            record=_record_label(model, event, labels),
        )
        for event in events
    ]
    _label_relations(history)
    return history


def event_values(event: AuditEvent, side: str) -> dict | None:
    """`event.before` or `event.after` for display (the admin's audit log), with the model's large
    fields (`audit_summary_fields`) as size and checksum instead of their content."""
    values = getattr(event, side)
    tracked = next((entry for entry in tracked_models() if entry.label == event.model), None)
    if not isinstance(values, dict) or tracked is None or not tracked.summary_fields:
        return values
    summarized = {tracked.model._meta.get_field(name).column for name in tracked.summary_fields}
    return {
        column: _summary(value) if column in summarized and value not in (None, "", [], {}) else value
        for column, value in values.items()
    }


def changes_since(obj: models.Model, user, *, since: datetime) -> list[HistoryEntry]:
    """What was saved on `obj` after `since` (oldest first), as `user` may see it: the changes an
    editor who opened the record at `since` has not seen. Used to name the other person's change
    when a save is refused (core.forms.VersionedFormMixin); unlike `history_for` it is not limited
    to Leads, since the editor may see the record's current values anyway, and confidential columns
    follow the same rule as history. One query.
    """
    entry = tracked_entry(type(obj))
    if entry is None:
        return []
    events = AuditEvent.objects.filter(model=entry.label, object_id=str(obj.pk), at__gt=since).order_by("at", "id")
    show_confidential = _confidential_visible(entry, user, obj)
    return [_entry(event, entry, show_confidential=show_confidential) for event in events[:50]]
