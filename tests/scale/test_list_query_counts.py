"""Every list page, list endpoint and admin changelist of `bench/targets.py` runs as many queries at 200
synthetic rows as at 10 (and at most 15) — the constant-query target of the scale benchmark."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_pages import route_exists
from bench.targets import MAX_LIST_QUERIES, PAGES
from core.roles import Role
from core.synthetic import synthetic_seed

Person = apps.get_model("contacts.Person")

LIST_TARGETS = [t for t in PAGES if t.kind in {"list", "admin"} and "{search}" not in t.path and t.in_query_count_test]


def _all_match_filters(state) -> None:
    """Every synthetic person matches the filtered targets, so both sizes list rows (0 rows skip prefetches)."""
    people = Person.objects.filter(is_synthetic=True)
    people.update(stance="supportive")
    Person.states.through.objects.bulk_create(
        [Person.states.through(person_id=pk, state_id=state.pk) for pk in people.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("target", LIST_TARGETS, ids=[t.name for t in LIST_TARGETS])
def test_query_count_is_constant_from_10_to_200_rows(target, reference_data, make_user, client_for):
    state = reference_data[0][0]
    path = target.path.format(state=state.code)
    if not route_exists(path):
        pytest.skip(f"{path} is not built on this branch yet")
    client = client_for(make_user(Role.ADMIN, username="scale-admin"))
    synthetic_seed(people=10, organizations=10, interactions=10, follow_ups=10, seed=1)
    _all_match_filters(state)
    small = _count(client, path)

    synthetic_seed(people=190, organizations=190, interactions=190, follow_ups=190, seed=2)
    _all_match_filters(state)
    large = _count(client, path)

    assert large == small
    if target.kind == "list":
        assert large <= MAX_LIST_QUERIES
