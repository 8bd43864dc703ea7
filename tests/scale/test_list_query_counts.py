"""Every list page, list endpoint and admin changelist of `bench/targets.py` runs as many queries at 200
synthetic rows as at 10 (and at most 15) — the constant-query target of the scale benchmark."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_pages import route_exists
from bench.targets import MAX_LIST_QUERIES, PAGES
from core.roles import Role
from core.synthetic import synthetic_seed

LIST_TARGETS = [t for t in PAGES if t.kind in {"list", "admin"} and "{search}" not in t.path]


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("target", LIST_TARGETS, ids=[t.name for t in LIST_TARGETS])
def test_query_count_is_constant_from_10_to_200_rows(target, reference_data, make_user, client):
    path = target.path.format(state="MI")
    if not route_exists(path):
        pytest.skip(f"{path} is not built on this branch yet")
    client.force_login(make_user(Role.ADMIN, username="scale-admin"))
    synthetic_seed(people=10, organizations=10, interactions=10, follow_ups=10, seed=1)
    small = _count(client, path)

    synthetic_seed(people=190, organizations=190, interactions=190, follow_ups=190, seed=2)
    large = _count(client, path)

    assert large == small
    if target.kind == "list":
        assert large <= MAX_LIST_QUERIES
