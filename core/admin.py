import logging
from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

from core.models import AuditEvent, JobSlot, OutboxMessage
from core.permissions import role_allowed
from core.roles import Role

security_log = logging.getLogger("envoy.security")


class LargeTablePaginator(Paginator):
    """Admin paginator for tables too large to COUNT(*) on every changelist view.

    Counts exactly up to `exact_count_limit` rows (a COUNT over a LIMITed subquery, cheap whatever the
    table size). Beyond that, on PostgreSQL, the page count comes from the planner: the table's
    `reltuples` statistic when the changelist is unfiltered, the EXPLAIN row estimate when it is
    filtered or searched. The result count shown is then approximate, which is what admin users of
    million-row tables want rather than a page that waits for a sequential scan. Other databases
    count exactly.
    """

    exact_count_limit = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        unordered = queryset.order_by()
        capped = unordered[: self.exact_count_limit + 1].count()
        if capped <= self.exact_count_limit:
            return capped
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        estimate = self._estimate(unordered, connection)
        return max(estimate, capped) if estimate is not None else super().count

    @staticmethod
    def _estimate(queryset: QuerySet, connection) -> int | None:
        with connection.cursor() as cursor:
            if not queryset.query.where:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                    [connection.ops.quote_name(queryset.model._meta.db_table)],
                )
                row = cursor.fetchone()
                # -1 means "never analyzed": no estimate, count instead.
                return row[0] if row and row[0] >= 0 else None
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            import json

            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


class LargeTableAdminMixin:
    """For ModelAdmins of tables that grow without bound (interactions, people, outbox...):
    no second COUNT(*) of the whole table, and a paginator that never counts past its limit."""

    paginator = LargeTablePaginator
    show_full_result_count = False


def _admin_site_permission(request) -> bool:
    """Only the Admin role (and superusers), verified with a second factor, may open Django admin."""
    allowed = request.user.is_active and role_allowed(request.user, Role.ADMIN)
    if not allowed and request.user.is_authenticated:
        security_log.warning("access-denied user=%s path=%s reason=admin-site", request.user.username, request.path)
    return allowed


admin.site.has_permission = _admin_site_permission
admin.site.site_header = "Envoy CRM administration"
admin.site.site_title = "Envoy CRM admin"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("id", "task_name", "queue", "created_at", "dispatched_at", "completed_at", "attempts")
    list_filter = ("task_name", "queue")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(JobSlot)
class JobSlotAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "claimed_at")
    list_filter = ("job",)
    readonly_fields = ("job", "slot", "claimed_at")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (PostgreSQL refuses updates and deletes)."""

    list_display = ("at", "model", "object_id", "action", "actor_label", "source", "request_id", "job_id")
    list_filter = ("model", "action", "source")
    search_fields = ("object_id", "actor_label", "request_id", "job_id")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
