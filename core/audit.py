"""Audit history: every create, update and delete of a tracked model, with actor and request/job id.

How it works (the reasons are in docs/security.md):

- PostgreSQL: a row trigger on each tracked table writes `core.AuditEvent` rows, so `save()`,
  `bulk_create`, `.update()`, `.delete()` and raw SQL are all recorded. The trigger reads the
  actor from the transaction-local setting `envoy.audit_context`, which the application prepends
  (`SELECT set_config(...)`) to every write statement it sends. Writes made outside the application
  (psql) are recorded with the database role as actor.
- SQLite (local development): model signals write the same rows for `save()` and `delete()` (also
  queryset `.delete()`); `.update()`, `bulk_create` and raw SQL are NOT recorded there.

Context: web requests get `source=web` with the request's user and request id
(AuditContextMiddleware); Celery tasks get `source=job` and the task id (task_prerun signal);
management commands get `source=command` and a job id automatically; code may wrap anything in
`audit_context(...)`.

Registering a model is one line: `@audit.track()` on the class, or its label in
`settings.AUDIT_TRACKED_MODELS`. A model may declare `audit_confidential_fields = ["confidential_notes"]`
and a classmethod `audit_can_see_confidential(user, obj) -> bool` (default: Lead and above).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.backends.signals import connection_created
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

SETTING_NAME = "envoy.audit_context"
IGNORED_COLUMNS = ("updated_at",)
_WRITE_PREFIXES = ("insert", "update", "delete", "with", "merge")
_SAFE_LABEL = re.compile(r"^[a-z0-9_.]+$")


# --- registry --------------------------------------------------------------------------------


@dataclass
class TrackedModel:
    model: type[models.Model]
    confidential_fields: tuple[str, ...] = ()
    can_see_confidential: Callable | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_registry: dict[str, TrackedModel] = {}


def track(model: type[models.Model] | None = None, *, confidential_fields=None, can_see_confidential=None):
    """Record every create/update/delete of `model`. Use as `@track()` on the class or `track(Model)`."""

    def register(cls: type[models.Model]) -> type[models.Model]:
        fields = confidential_fields
        if fields is None:
            fields = getattr(cls, "audit_confidential_fields", ())
        visible = can_see_confidential or getattr(cls, "audit_can_see_confidential", None)
        entry = TrackedModel(model=cls, confidential_fields=tuple(fields), can_see_confidential=visible)
        _registry[entry.label] = entry
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

# Column "updated_at" is ignored when comparing rows (it changes on every save).
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
     WHERE o.value IS DISTINCT FROM n.value AND o.key <> 'updated_at';
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


def triggers_install(*, using=None) -> list[str]:
    """Create or replace the audit function and one trigger per tracked table (PostgreSQL only).

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


def _write(sender, instance, action: str, before, after) -> None:
    from core.models import AuditEvent

    values = current_context().values()
    AuditEvent.objects.create(
        model=sender._meta.label_lower,
        object_id=str(instance.pk),
        action=action,
        at=timezone.now(),
        before=before,
        after=after,
        actor_id=values["actor_id"],
        actor_label=values["actor"][:200],
        source=values["source"][:20],
        request_id=(values["request_id"] or "")[:64],
        job_id=(values["job_id"] or "")[:200],
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
