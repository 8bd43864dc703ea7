"""Core read selectors: audit history of a record, as a person may see it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
        if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
            moment = parse_datetime(value)
            if moment is not None:  # in the reader's time zone, as every time on a page
                return timezone.localtime(
                    moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
                ).strftime("%Y-%m-%d %H:%M")
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


# The column that names a row of a model, first found: a row's label in histories, read in SQL, and
# how a deleted row is still recognised from its last event.
LABEL_COLUMNS = ("full_name", "name", "title", "what", "description", "value", "username", "code", "text")
RECORD_LABEL_MAX_CHARS = 80


def _label_column(model: type[models.Model]) -> str | None:
    names = {f.name for f in model._meta.concrete_fields}
    return next((column for column in LABEL_COLUMNS if column in names), None)


def _row_labels(wanted: dict[type[models.Model], set[str]]) -> dict[tuple[type[models.Model], str], str]:
    """{(model, id): label} of the rows wanted, in one query (a UNION over their tables) whatever the
    number of rows or models; a row gone since is left out, a model with no label column gives ""."""
    parts = []
    for index, (model, ids) in enumerate(sorted(wanted.items(), key=lambda item: item[0]._meta.label)):
        column = _label_column(model)
        pks = [pk for pk in ids if str(pk).isdigit()]
        if not pks:
            continue
        # A model without a label column still answers which rows exist (an empty label).
        text = Cast(column, models.TextField()) if column else models.Value("", output_field=models.TextField())
        parts.append(
            (
                model,
                model._base_manager.filter(pk__in=pks)
                .annotate(
                    label_model=models.Value(index),
                    label_id=Cast("pk", models.CharField()),
                    label_text=text,
                )
                .values_list("label_model", "label_id", "label_text")
                .order_by(),
            )
        )
    if not parts:
        return {}
    by_index = {
        index: model for index, (model, _ids) in enumerate(sorted(wanted.items(), key=lambda item: item[0]._meta.label))
    }
    query = parts[0][1].union(*(queryset for _model, queryset in parts[1:]), all=True)
    return {(by_index[index], str(pk)): _short(text) for index, pk, text in query}


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= RECORD_LABEL_MAX_CHARS else text[: RECORD_LABEL_MAX_CHARS - 1].rstrip() + "…"


def _relation_ids(history: list[HistoryEntry]) -> dict[type[models.Model], set[str]]:
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in history:
        for change in entry.changes:
            if change.related_model is not None:
                ids = {str(value) for value in (change.raw_before, change.raw_after) if value not in (None, "")}
                wanted.setdefault(change.related_model, set()).update(ids)
    return wanted


def _apply_relation_labels(history: list[HistoryEntry], labels: dict) -> None:
    """Foreign keys in the changes read as the rows they point at ("Michigan Manufacturers
    Association", not "#559"); a row deleted since keeps its id."""
    for entry in history:
        for change in entry.changes:
            if change.related_model is None:
                continue
            if change.raw_before not in (None, "") and change.before:
                change.before = labels.get((change.related_model, str(change.raw_before)), change.before)
            if change.raw_after not in (None, "") and change.after:
                change.after = labels.get((change.related_model, str(change.raw_after)), change.after)


def _record_label(model: type[models.Model], event: AuditEvent, labels: dict, newest: dict) -> str:
    """A row shown in a history, as "Position: Chair"; a row deleted since is "Position (deleted):
    Chair", named from its newest event. Never an internal id."""
    kind = str(model._meta.verbose_name).capitalize()
    label = labels.get((model, str(event.object_id)))
    if label is not None:
        return f"{kind}: {label}" if label else kind
    column = _label_column(model)
    values = newest.get((model, str(event.object_id))) or {}
    named = _short(str(values.get(column) or "")) if column else ""
    if named:
        return _("%(kind)s (deleted): %(label)s") % {"kind": kind, "label": named}
    return _("%(kind)s (deleted)") % {"kind": kind}


def _labelled(history_events: list[tuple[AuditEvent, TrackedModel, HistoryEntry]], own_label: str | None) -> None:
    """Fill in each entry's record label and its foreign keys' labels: one query for all of them."""
    wanted: dict[type[models.Model], set[str]] = {}
    newest: dict = {}
    for event, tracked, _item in history_events:
        if tracked.label == own_label:
            continue
        wanted.setdefault(tracked.model, set()).add(str(event.object_id))
        key = (tracked.model, str(event.object_id))
        if key not in newest:  # events come newest first
            newest[key] = event.before if event.action == AuditEvent.Action.DELETE else event.after
    history = [item for _event, _tracked, item in history_events]
    for model, ids in _relation_ids(history).items():
        wanted.setdefault(model, set()).update(ids)
    labels = _row_labels(wanted)
    for event, tracked, item in history_events:
        if tracked.label != own_label:
            item.record = _record_label(tracked.model, event, labels, newest)
    _apply_relation_labels(history, labels)


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
    them (for another record's rows, the rule without an object: Lead and above). Two queries: the
    events, then the labels of the rows they name.
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
    rows: list[tuple[AuditEvent, TrackedModel, HistoryEntry]] = []
    seen: set[int] = set()
    for event in events:
        if event.pk in seen:  # a row pointing at the record twice (a relationship with itself)
            continue
        seen.add(event.pk)
        tracked = models_by_label[event.model]
        if tracked is entry:
            item = _entry(event, entry, show_confidential=_confidential_visible(entry, user, obj))
        else:
            item = _entry(event, tracked, show_confidential=_confidential_visible(tracked, user, None))
        rows.append((event, tracked, item))
    _labelled(rows, entry.label)
    return [item for _event, _tracked, item in rows]


def model_history(model: type[models.Model], user, *, limit: int = 100) -> list[HistoryEntry] | None:
    """The latest changes to any row of `model` (a library page: talking points, data releases),
    newest first, each marked with its record, deleted rows included. None below Lead. Two queries
    (the events, then the labels of the rows they name)."""
    entry = tracked_entry(model)
    if entry is None or not history_can_see(user):
        return None
    events = list(AuditEvent.objects.filter(model=entry.label).order_by("-at", "-id")[:limit])
    rows = [
        (event, entry, _entry(event, entry, show_confidential=_confidential_visible(entry, user, None)))
        for event in events
    ]
    _labelled(rows, None)
    return [item for _event, _tracked, item in rows]


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
