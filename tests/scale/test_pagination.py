import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.admin import LargeTablePaginator
from core.api.pagination import LargeTablePagination
from core.models import OutboxMessage
from core.roles import Role

pytestmark = pytest.mark.django_db


class SmallLimitPaginator(LargeTablePaginator):
    exact_count_limit = 5


def _tags(n: int):
    Tag = apps.get_model("contacts.Tag")
    Tag.objects.bulk_create([Tag(name=f"tag {i:03d}") for i in range(n)])
    return Tag.objects.all()


def test_counts_exactly_up_to_the_limit():
    tags = _tags(5)

    assert SmallLimitPaginator(tags, 2).count == 5
    assert SmallLimitPaginator(tags.filter(name__gte="tag 003"), 2).count == 2
    assert SmallLimitPaginator(tags.none(), 2).count == 0


def test_count_query_is_bounded_by_the_limit():
    tags = _tags(8)

    with CaptureQueriesContext(connection) as captured:
        SmallLimitPaginator(tags, 2).count  # noqa: B018

    assert "LIMIT 6" in captured.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL estimates instead")
def test_other_databases_count_exactly_past_the_limit():
    tags = _tags(8)

    assert SmallLimitPaginator(tags, 2).count == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL-only")
def test_postgresql_uses_planner_estimates_past_the_limit():
    tags = _tags(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_tag")

    unfiltered = SmallLimitPaginator(tags, 10)
    filtered = SmallLimitPaginator(tags.filter(name__gte="tag 010"), 10)

    assert unfiltered.count == 40  # ANALYZE of a small table counts every row
    assert filtered.count >= 6  # never below what was counted exactly
    assert unfiltered.num_pages == 4


def test_outbox_changelist_runs_no_full_table_count(client_for, make_user):
    OutboxMessage.objects.bulk_create([OutboxMessage(task_name=f"task {i}") for i in range(3)])
    client = client_for(make_user(Role.ADMIN, username="scale-admin"))

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/core/outboxmessage/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "core_outboxmessage" in q["sql"]]
    assert len(counts) == 1
    assert "LIMIT 10001" in counts[0]


def test_api_pagination_counts_with_the_large_table_paginator():
    tags = _tags(5).order_by("name")
    pagination = LargeTablePagination()
    request = Request(APIRequestFactory().get("/api/tags/", {"page_size": 2, "page": 2}))

    rows = pagination.paginate_queryset(tags, request)
    response = pagination.get_paginated_response([t.name for t in rows])

    assert isinstance(pagination.page.paginator, LargeTablePaginator)
    assert response.data["count"] == 5
    assert response.data["results"] == ["tag 002", "tag 003"]
