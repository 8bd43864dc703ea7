"""Audit history: every create, update and delete of a tracked model, with actor and request/job id.

How it works (the reasons are in docs/security.md):

- PostgreSQL: a row trigger on each tracked table writes `core.AuditEvent` rows, so `save()`,
  `bulk_create`, `.update()`, `.delete()` and raw SQL are all recorded. The trigger reads the
  actor from the transaction-local setting `envoy.audit_context`, which the application prepends
  (`SELECT set_config(...)`) to every write statement it sends. Writes made outside the application
  (psql) are recorded with the database role as actor.
- SQLite (local development): model signals write the same rows for `save()` and `delete()` (also
  queryset `.delete()`); `.update()`, `bulk_create` and raw SQL are NOT recorded there.

Many-to-many fields of a tracked model (a person's tags, an interaction's people...) are part of its
history: adding or removing links writes an `add` / `remove` event on the parent record, naming the
field and the linked rows (id and a readable label). On PostgreSQL statement triggers on the link
(through) table record them, one event per parent record per statement, so `.add()`, `.set()`,
`.remove()`, `.clear()`, bulk inserts, COPY and raw SQL are all caught; on SQLite the `m2m_changed`
signal does (and the through model's own save/delete signals for a through model with extra fields).

Context: web requests get `source=web` with the request's user and request id
(AuditContextMiddleware); Celery tasks get `source=job` and the task id (task_prerun signal);
management commands get `source=command` and a job id automatically; code may wrap anything in
`audit_context(...)`.

Registering a model is one line: `@audit.track()` on the class, or its label in
`settings.AUDIT_TRACKED_MODELS`. A model may declare:

- `audit_confidential_fields = ["confidential_notes"]` and a classmethod
  `audit_can_see_confidential(user, obj) -> bool` (default: Lead and above): history leaves those
  columns out for anyone the rule refuses;
- `audit_summary_fields = ["html"]`: large values shown in history as a size and checksum only;
- `audit_parents = ["person"]`: foreign keys to records whose page shows this row's history too
  (a position's changes appear in its person's history).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.backends.signals import connection_created
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

SETTING_NAME = "envoy.audit_context"
# Bookkeeping columns that change on every save: comparing rows leaves them out (see the trigger).
IGNORED_COLUMNS = ("updated_at", "version")
_WRITE_PREFIXES = ("insert", "update", "delete", "with", "merge")
_SAFE_LABEL = re.compile(r"^[a-z0-9_.]+$")


# --- registry --------------------------------------------------------------------------------


@dataclass
class TrackedModel:
    model: type[models.Model]
    confidential_fields: tuple[str, ...] = ()
    can_see_confidential: Callable | None = None
    summary_fields: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass(frozen=True)
class TrackedLink:
    """A many-to-many field of a tracked model, recorded in the history of the model's rows."""

    parent: type[models.Model]
    field: str
    through: type[models.Model]
    parent_fk: str  # foreign key of the through model pointing at the parent record
    target_fk: str  # foreign key pointing at the linked row
    target: type[models.Model]
    label_field: str  # field of the linked row shown as its label ("" for none)

    @property
    def parent_attname(self) -> str:
        return self.through._meta.get_field(self.parent_fk).attname

    @property
    def target_attname(self) -> str:
        return self.through._meta.get_field(self.target_fk).attname

    @property
    def parent_column(self) -> str:
        return self.through._meta.get_field(self.parent_fk).column

    @property
    def target_column(self) -> str:
        return self.through._meta.get_field(self.target_fk).column

    @property
    def label_column(self) -> str:
        return self.target._meta.get_field(self.label_field).column if self.label_field else ""

    @property
    def parent_label(self) -> str:
        return self.parent._meta.label_lower

    @property
    def custom_through(self) -> bool:
        """A through model declared by the app (with fields of its own), written to directly too."""
        return not self.through._meta.auto_created


# Fields tried, in order, for the readable label of a linked row (a tag's name, a user's username).
LABEL_FIELDS = ("name", "full_name", "username", "title", "code")

_registry: dict[str, TrackedModel] = {}


def track(
    model: type[models.Model] | None = None,
    *,
    confidential_fields=None,
    can_see_confidential=None,
    summary_fields=None,
    parents=None,
):
    """Record every create/update/delete of `model`. Use as `@track()` on the class or `track(Model)`."""

    def register(cls: type[models.Model]) -> type[models.Model]:
        fields = confidential_fields
        if fields is None:
            fields = getattr(cls, "audit_confidential_fields", ())
        visible = can_see_confidential or getattr(cls, "audit_can_see_confidential", None)
        summaries = summary_fields if summary_fields is not None else getattr(cls, "audit_summary_fields", ())
        parent_fields = parents if parents is not None else getattr(cls, "audit_parents", ())
        entry = TrackedModel(
            model=cls,
            confidential_fields=tuple(fields),
            can_see_confidential=visible,
            summary_fields=tuple(summaries),
            parents=tuple(parent_fields),
        )
        _registry[entry.label] = entry
        _forget_links()
        uid = f"envoy-audit-{entry.label}"
        pre_save.connect(_remember_before, sender=cls, dispatch_uid=uid, weak=False)
        post_save.connect(_record_save, sender=cls, dispatch_uid=uid, weak=False)
        post_delete.connect(_record_delete, sender=cls, dispatch_uid=uid, weak=False)
        return cls

    return register(model) if model is not None else register


def tracked_models() -> list[TrackedModel]:
    return list(_registry.values())


def tracked_entry(model: type[models.Model]) -> TrackedModel | None:
    return _registry.get(model._meta.label_lower)


def register_from_settings() -> None:
    from django.conf import settings

    for label in getattr(settings, "AUDIT_TRACKED_MODELS", []):
        model = apps.get_model(label)
        if tracked_entry(model) is None:
            track(model)


def label_field(model: type[models.Model]) -> str:
    """The field shown as a row's readable label in history (see LABEL_FIELDS); "" when none fits."""
    names = {f.name for f in model._meta.concrete_fields}
    return next((name for name in LABEL_FIELDS if name in names), "")


def tracked_links() -> list[TrackedLink]:
    """Every many-to-many field declared on a tracked model (needs the app registry to be ready)."""
    links = []
    for entry in tracked_models():
        for m2m in entry.model._meta.local_many_to_many:
            through = m2m.remote_field.through
            target = m2m.related_model
            links.append(
                TrackedLink(
                    parent=entry.model,
                    field=m2m.name,
                    through=through,
                    parent_fk=m2m.m2m_field_name(),
                    target_fk=m2m.m2m_reverse_field_name(),
                    target=target,
                    label_field=label_field(target),
                )
            )
    return links


def tracked_children(model: type[models.Model]) -> list[tuple[TrackedModel, models.ForeignKey]]:
    """Tracked models that declare a foreign key to `model` in `audit_parents`, with that key:
    their rows' history belongs on `model`'s record pages too."""
    children = []
    for entry in tracked_models():
        for name in entry.parents:
            fk = entry.model._meta.get_field(name)
            if fk.related_model is model:
                children.append((entry, fk))
    return children


# --- context ---------------------------------------------------------------------------------


@dataclass
class AuditContext:
    source: str
    request: object | None = None
    user: object | None = None
    actor: str | None = None
    request_id: str = ""
    job_id: str = ""
    extra: dict = field(default_factory=dict)

    def values(self) -> dict:
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        actor_id = None
        actor = self.actor or ""
        if user is not None and getattr(user, "is_authenticated", False):
            actor_id = user.pk
            actor = actor or user.get_username()
        return {
            "source": self.source,
            "actor_id": actor_id,
            "actor": actor or self.source,
            "request_id": self.request_id or getattr(self.request, "request_id", "") or "",
            "job_id": self.job_id,
        }


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("envoy_audit_context", default=None)


def _process_context() -> AuditContext:
    """Context for writes outside any request, task or explicit context (commands, shells, scripts)."""
    argv = sys.argv or ["?"]
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if os.path.basename(argv[0]) == "manage.py" and len(argv) > 1:
        command = argv[1]
        return AuditContext(source="command", actor=f"command:{command}", job_id=f"{command}:{os.getpid()}:{started}")
    name = os.path.basename(argv[0])
    return AuditContext(source="process", actor=f"process:{name}", job_id=f"{name}:{os.getpid()}:{started}")


_process_default: AuditContext | None = None


def current_context() -> AuditContext:
    global _process_default
    context = _current.get()
    if context is not None:
        return context
    if _process_default is None:
        _process_default = _process_context()
    return _process_default


@contextlib.contextmanager
def audit_context(
    *, source: str, user=None, request=None, actor: str | None = None, request_id: str = "", job_id: str = ""
) -> Iterator[AuditContext]:
    """Attribute every write inside the block to this actor and request/job id. Also a decorator:
    `@audit_context(source="job", actor="job:nightly", job_id=...)` via contextlib's ContextDecorator."""
    context = AuditContext(source=source, user=user, request=request, actor=actor, request_id=request_id, job_id=job_id)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def _context_json() -> str:
    return json.dumps(current_context().values(), cls=DjangoJSONEncoder)


@contextlib.contextmanager
def statement_context(cursor) -> Iterator[None]:
    """For statements sent past Django's execute wrapper (COPY through the driver's cursor): set the
    current context for the block's duration, so the triggers attribute those rows like any other
    write. `cursor` is a Django cursor on PostgreSQL; elsewhere this does nothing."""
    if cursor.db.vendor != "postgresql":
        yield
        return
    cursor.execute(f"SELECT set_config('{SETTING_NAME}', %s, false)", [_context_json()])
    try:
        yield
    finally:
        cursor.execute(f"SELECT set_config('{SETTING_NAME}', '', false)")


# --- PostgreSQL: context injection and triggers ------------------------------------------------------


def _inject_context(execute, sql, params, many, context):
    """Execute wrapper: prepend `set_config('envoy.audit_context', ..., true)` to write statements."""
    text = sql.decode() if isinstance(sql, bytes) else sql
    head = text.lstrip()[:8].lower()
    if not head.startswith(_WRITE_PREFIXES) or getattr(context["cursor"], "name", None):
        return execute(sql, params, many, context)
    payload = _context_json()
    if many:
        cursor = context["cursor"]
        cursor.execute(f"SELECT set_config('{SETTING_NAME}', %s, false)", [payload])
        try:
            return execute(sql, params, many, context)
        finally:
            cursor.execute(f"SELECT set_config('{SETTING_NAME}', '', false)")
    if params is None:
        # Without parameters the driver does not parse placeholders; with ours it does.
        text = text.replace("%", "%%")
    if isinstance(params, dict):
        prefix = f"SELECT set_config('{SETTING_NAME}', %(envoy_audit_context)s, true); "
        params = {**params, "envoy_audit_context": payload}
    else:
        prefix = f"SELECT set_config('{SETTING_NAME}', %s, true); "
        params = (payload, *(params or ()))
    result = execute(prefix + text, params, many, context)
    # Move to the result of the real statement (psycopg returns one result set per statement).
    while result is not None and hasattr(result, "nextset") and result.nextset():
        pass
    return result


def _install_wrapper(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql" and _inject_context not in connection.execute_wrappers:
        connection.execute_wrappers.append(_inject_context)


connection_created.connect(_install_wrapper, dispatch_uid="envoy-audit-wrapper")

# Columns "updated_at" and "version" are ignored when comparing rows (they change on every save).
TRIGGER_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION envoy_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ctx jsonb;
  old_row jsonb;
  new_row jsonb;
  before_values jsonb;
  after_values jsonb;
BEGIN
  BEGIN
    ctx := NULLIF(current_setting('envoy.audit_context', true), '')::jsonb;
  EXCEPTION WHEN others THEN
    ctx := NULL;
  END;
  ctx := COALESCE(ctx, jsonb_build_object('source', 'database', 'actor', 'database:' || session_user));
  IF TG_OP = 'INSERT' THEN
    new_row := to_jsonb(NEW);
    after_values := new_row;
  ELSIF TG_OP = 'DELETE' THEN
    old_row := to_jsonb(OLD);
    before_values := old_row;
  ELSE
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, n.value)
      INTO before_values, after_values
      FROM jsonb_each(old_row) o JOIN jsonb_each(new_row) n ON n.key = o.key
     WHERE o.value IS DISTINCT FROM n.value AND o.key NOT IN ('updated_at', 'version');
    IF before_values IS NULL THEN
      RETURN NULL;
    END IF;
  END IF;
  INSERT INTO core_auditevent
    (model, object_id, action, at, before, after, actor_id, actor_label, source, request_id, job_id)
  VALUES (
    TG_ARGV[0], COALESCE(new_row, old_row) ->> TG_ARGV[1], lower(TG_OP), clock_timestamp(),
    before_values, after_values, NULLIF(ctx ->> 'actor_id', '')::integer,
    left(COALESCE(ctx ->> 'actor', ''), 200), left(COALESCE(ctx ->> 'source', ''), 20),
    left(COALESCE(ctx ->> 'request_id', ''), 64), left(COALESCE(ctx ->> 'job_id', ''), 200)
  );
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION envoy_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'core_auditevent is append-only';
END
$$;

CREATE OR REPLACE TRIGGER envoy_audit_append_only BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION envoy_audit_append_only();
"""

# Many-to-many links: one statement trigger per operation on each link (through) table, with the
# statement's rows as transition tables. One event per parent record per statement: action `add` with
# the new links in `after`, or `remove` with the removed ones in `before`, as
# {"<field>": [{"id": <linked row id>, "label": <its label column, or null>}, ...]}.
# An UPDATE that moves a link (a merge re-pointing it) is a remove of the old pair and an add of the new.
# Arguments: parent label, field name, parent column, target column, target table, target pk column,
# target label column ('' for none).
LINK_TRIGGER_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION envoy_audit_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ctx jsonb;
  label_sql text;
  removed_rows text;
  added_rows text;
  statement text;
BEGIN
  BEGIN
    ctx := NULLIF(current_setting('envoy.audit_context', true), '')::jsonb;
  EXCEPTION WHEN others THEN
    ctx := NULL;
  END;
  ctx := COALESCE(ctx, jsonb_build_object('source', 'database', 'actor', 'database:' || session_user));
  IF TG_ARGV[6] = '' THEN
    label_sql := 'NULL';
  ELSE
    label_sql := format('t.%I', TG_ARGV[6]);
  END IF;
  IF TG_OP = 'INSERT' THEN
    added_rows := 'envoy_new_links';
  ELSIF TG_OP = 'DELETE' THEN
    removed_rows := 'envoy_old_links';
  ELSE
    removed_rows := format(
      '(SELECT o.* FROM envoy_old_links o WHERE NOT EXISTS (SELECT 1 FROM envoy_new_links n '
      'WHERE n.%1$I = o.%1$I AND n.%2$I = o.%2$I))', TG_ARGV[2], TG_ARGV[3]);
    added_rows := format(
      '(SELECT n.* FROM envoy_new_links n WHERE NOT EXISTS (SELECT 1 FROM envoy_old_links o '
      'WHERE n.%1$I = o.%1$I AND n.%2$I = o.%2$I))', TG_ARGV[2], TG_ARGV[3]);
  END IF;
  statement := format(
    'INSERT INTO core_auditevent '
    '(model, object_id, action, at, before, after, actor_id, actor_label, source, request_id, job_id) '
    'SELECT $1, l.parent_id::text, $2, clock_timestamp(), '
    '  CASE WHEN $2 = ''remove'' THEN jsonb_build_object($3, l.links) END, '
    '  CASE WHEN $2 = ''add'' THEN jsonb_build_object($3, l.links) END, '
    '  NULLIF($4 ->> ''actor_id'', '''')::integer, left(COALESCE($4 ->> ''actor'', ''''), 200), '
    '  left(COALESCE($4 ->> ''source'', ''''), 20), left(COALESCE($4 ->> ''request_id'', ''''), 64), '
    '  left(COALESCE($4 ->> ''job_id'', ''''), 200) '
    'FROM (SELECT r.%1$I AS parent_id, '
    '        jsonb_agg(jsonb_build_object(''id'', r.%2$I, ''label'', %3$s) ORDER BY r.%2$I) AS links '
    '      FROM %%s r LEFT JOIN %4$I t ON t.%5$I = r.%2$I GROUP BY r.%1$I) l',
    TG_ARGV[2], TG_ARGV[3], label_sql, TG_ARGV[4], TG_ARGV[5]);
  IF removed_rows IS NOT NULL THEN
    EXECUTE format(statement, removed_rows) USING TG_ARGV[0], 'remove', TG_ARGV[1], ctx;
  END IF;
  IF added_rows IS NOT NULL THEN
    EXECUTE format(statement, added_rows) USING TG_ARGV[0], 'add', TG_ARGV[1], ctx;
  END IF;
  RETURN NULL;
END
$$;
"""

_LINK_TRIGGERS = (
    ("envoy_audit_links_insert", "INSERT", "NEW TABLE AS envoy_new_links"),
    ("envoy_audit_links_delete", "DELETE", "OLD TABLE AS envoy_old_links"),
    ("envoy_audit_links_update", "UPDATE", "OLD TABLE AS envoy_old_links NEW TABLE AS envoy_new_links"),
)


def triggers_install(*, using=None) -> list[str]:
    """Create or replace the audit functions, one row trigger per tracked table and the statement
    triggers on the link tables of their many-to-many fields (PostgreSQL only).

    Idempotent; run after every migrate (post_migrate) and by `manage.py audit_install`.
    """
    from django.db import connections

    conn = connections[using or "default"]
    if conn.vendor != "postgresql":
        return []
    installed = []
    with conn.cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTION_SQL)
        existing = set(conn.introspection.table_names(cursor))
        for entry in tracked_models():
            table = entry.model._meta.db_table
            if table not in existing:
                continue
            label, pk_column = entry.label, entry.model._meta.pk.column
            if not (_SAFE_LABEL.match(label) and _SAFE_LABEL.match(pk_column)):
                raise ValueError(f"unexpected characters in {label}.{pk_column}")
            # Identifiers are checked above; DDL cannot take bound parameters.
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER envoy_audit AFTER INSERT OR UPDATE OR DELETE "
                f"ON {conn.ops.quote_name(table)} FOR EACH ROW "
                f"EXECUTE FUNCTION envoy_audit_row('{label}', '{pk_column}')"
            )
            installed.append(table)
        cursor.execute(LINK_TRIGGER_FUNCTION_SQL)
        for link in tracked_links():
            table = link.through._meta.db_table
            if table not in existing or link.target._meta.db_table not in existing:
                continue
            arguments = (
                link.parent_label,
                link.field,
                link.parent_column,
                link.target_column,
                link.target._meta.db_table,
                link.target._meta.pk.column,
                link.label_column,
            )
            if not all(_SAFE_LABEL.match(value) for value in arguments if value):
                raise ValueError(f"unexpected characters in the link {link.parent_label}.{link.field}")
            quoted = ", ".join(f"'{value}'" for value in arguments)
            for name, operation, transition in _LINK_TRIGGERS:
                # Identifiers are checked above; DDL cannot take bound parameters.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER {operation} ON {conn.ops.quote_name(table)} "
                    f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION envoy_audit_links({quoted})"
                )
            installed.append(table)
    return installed


def install_after_migrate(sender, using="default", **kwargs) -> None:
    if sender.name == "core":
        triggers_install(using=using)


# --- SQLite (and any non-PostgreSQL database): signal fallback -------------------------------------


def _row(instance: models.Model) -> dict:
    """The row as the database holds it (what the PostgreSQL trigger records): file fields as their
    stored name, and a value saved as an expression (`F("n") + 1`) read back from the database."""
    values = {}
    for f in instance._meta.concrete_fields:
        value = f.value_from_object(instance)
        if hasattr(value, "resolve_expression"):
            value = type(instance)._base_manager.filter(pk=instance.pk).values_list(f.attname, flat=True).first()
        if isinstance(value, FieldFile):
            value = value.name or None
        values[f.column] = value
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _uses_triggers() -> bool:
    return connection.vendor == "postgresql"


def _remember_before(sender, instance, raw=False, **kwargs) -> None:
    if _uses_triggers() or instance.pk is None:
        return
    columns = [f.attname for f in sender._meta.concrete_fields]
    previous = sender._base_manager.filter(pk=instance.pk).values(*columns).first()
    if previous is None:
        instance._audit_before = None
        return
    by_column = {f.column: previous[f.attname] for f in sender._meta.concrete_fields}
    instance._audit_before = json.loads(json.dumps(by_column, cls=DjangoJSONEncoder))


def _context_columns(values: dict) -> dict:
    return {
        "actor_id": values["actor_id"],
        "actor_label": values["actor"][:200],
        "source": values["source"][:20],
        "request_id": (values["request_id"] or "")[:64],
        "job_id": (values["job_id"] or "")[:200],
    }


def _write(sender, instance, action: str, before, after) -> None:
    from core.models import AuditEvent

    AuditEvent.objects.create(
        model=sender._meta.label_lower,
        object_id=str(instance.pk),
        action=action,
        at=timezone.now(),
        before=before,
        after=after,
        **_context_columns(current_context().values()),
    )


def _record_save(sender, instance, created, raw=False, **kwargs) -> None:
    if _uses_triggers():
        return
    after = _row(instance)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created or before is None:
        _write(sender, instance, "insert", None, after)
        return
    changed = [k for k in after if k not in IGNORED_COLUMNS and before.get(k) != after[k]]
    if changed:
        _write(sender, instance, "update", {k: before.get(k) for k in changed}, {k: after[k] for k in changed})


def _record_delete(sender, instance, **kwargs) -> None:
    if _uses_triggers():
        return
    _write(sender, instance, "delete", _row(instance), None)


# --- SQLite: many-to-many links -----------------------------------------------------------------------

_links_by_through: dict[type[models.Model], TrackedLink] | None = None


def _forget_links() -> None:
    global _links_by_through
    _links_by_through = None


def _link_for(through) -> TrackedLink | None:
    global _links_by_through
    if _links_by_through is None:
        _links_by_through = {link.through: link for link in tracked_links()}
    return _links_by_through.get(through)


def _write_links(link: TrackedLink, action: str, pairs: Iterable[tuple], using: str | None = None) -> None:
    """One `add`/`remove` event per parent record, like the PostgreSQL link trigger writes."""
    from core.models import AuditEvent

    by_parent: dict = {}
    for parent_id, target_id in pairs:
        by_parent.setdefault(parent_id, set()).add(target_id)
    if not by_parent:
        return
    labels = {}
    if link.label_field:
        target_ids = set().union(*by_parent.values())
        labels = dict(
            link.target._base_manager.using(using)
            .filter(pk__in=target_ids)
            .values_list("pk", link.label_field)
            .order_by()
        )
    values, now = current_context().values(), timezone.now()
    events = []
    for parent_id, target_ids in by_parent.items():
        links = {link.field: [{"id": pk, "label": labels.get(pk)} for pk in sorted(target_ids)]}
        events.append(
            AuditEvent(
                model=link.parent_label,
                object_id=str(parent_id),
                action=action,
                at=now,
                before=links if action == "remove" else None,
                after=links if action == "add" else None,
                **_context_columns(values),
            )
        )
    AuditEvent.objects.using(using).bulk_create(events)


def _linked_pairs(link: TrackedLink, instance, reverse: bool, pk_set, using) -> list[tuple]:
    """(parent id, target id) of the links a remove/clear is about to delete (read before it does)."""
    own, other = (link.target_attname, link.parent_attname) if reverse else (link.parent_attname, link.target_attname)
    rows = link.through._base_manager.using(using).filter(**{own: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other}__in": pk_set})
    return list(rows.values_list(link.parent_attname, link.target_attname).order_by())


def _record_links(sender, instance, action, reverse, model, pk_set, using=None, **kwargs) -> None:
    """m2m_changed: `.add()`, `.remove()`, `.clear()` and `.set()` from either side of the relation."""
    if _uses_triggers():
        return
    link = _link_for(sender)
    if link is None:
        return
    if link.custom_through and action != "post_add":
        return  # removals delete through-model rows, whose own delete signal records them
    pending = instance.__dict__.setdefault("_audit_links_pending", {})
    if action in ("pre_remove", "pre_clear"):
        pending[sender] = _linked_pairs(link, instance, reverse, pk_set, using)
    elif action in ("post_remove", "post_clear"):
        _write_links(link, "remove", pending.pop(sender, []), using)
    elif action == "post_add" and pk_set:
        pairs = [(pk, instance.pk) for pk in pk_set] if reverse else [(instance.pk, pk) for pk in pk_set]
        _write_links(link, "add", pairs, using)


def _link_pair(link: TrackedLink, instance) -> tuple:
    return getattr(instance, link.parent_attname), getattr(instance, link.target_attname)


def _remember_link(sender, instance, raw=False, using=None, **kwargs) -> None:
    """Through models with fields of their own are also saved directly: remember the pair a save moves."""
    link = _link_for(sender)
    if _uses_triggers() or link is None or instance.pk is None:
        return
    instance._audit_link_before = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values_list(link.parent_attname, link.target_attname)
        .first()
    )


def _record_link_save(sender, instance, created, raw=False, using=None, **kwargs) -> None:
    link = _link_for(sender)
    if _uses_triggers() or link is None:
        return
    before, after = getattr(instance, "_audit_link_before", None), _link_pair(link, instance)
    instance._audit_link_before = None
    if before == after and not created:
        return
    if before is not None and not created:
        _write_links(link, "remove", [before], using)
    _write_links(link, "add", [after], using)


def _record_link_delete(sender, instance, using=None, **kwargs) -> None:
    link = _link_for(sender)
    if _uses_triggers() or link is None:
        return
    _write_links(link, "remove", [_link_pair(link, instance)], using)


m2m_changed.connect(_record_links, dispatch_uid="envoy-audit-links", weak=False)


def connect_link_receivers() -> None:
    """Signals for through models with fields of their own (run once the app registry is ready)."""
    _forget_links()
    for link in tracked_links():
        if link.custom_through:
            uid = f"envoy-audit-link-{link.through._meta.label_lower}"
            pre_save.connect(_remember_link, sender=link.through, dispatch_uid=uid, weak=False)
            post_save.connect(_record_link_save, sender=link.through, dispatch_uid=uid, weak=False)
            post_delete.connect(_record_link_delete, sender=link.through, dispatch_uid=uid, weak=False)


# --- Celery: every task runs in a job context ------------------------------------------------------

_task_contexts: dict[str, contextlib.AbstractContextManager] = {}


def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    name = getattr(task, "name", None) or getattr(sender, "name", "task")
    manager = audit_context(source="job", actor=f"job:{name}", job_id=str(task_id or ""))
    manager.__enter__()
    _task_contexts[str(task_id)] = manager


def _task_finished(sender=None, task_id=None, **kwargs) -> None:
    manager = _task_contexts.pop(str(task_id), None)
    if manager is not None:
        manager.__exit__(None, None, None)


task_prerun.connect(_task_started, dispatch_uid="envoy-audit-task-start", weak=False)
task_postrun.connect(_task_finished, dispatch_uid="envoy-audit-task-end", weak=False)
