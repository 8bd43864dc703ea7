"""Pagination for tables that grow without bound (people, interactions, the audit log...)."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet


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
    _count_is_estimate = False

    @property
    def count_is_estimate(self) -> bool:
        """True when `count` is the planner's estimate: pages show it as "about N"."""
        self.count  # noqa: B018 - computing the count decides it
        return self._count_is_estimate

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
        if estimate is None:
            return super().count
        self._count_is_estimate = True
        return max(estimate, capped)

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
