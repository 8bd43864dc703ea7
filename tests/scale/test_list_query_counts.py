"""Every list page, list endpoint and admin changelist runs as many queries at 200 synthetic rows as at 10
(and a list at most 15): the constant-query target that the scale benchmark (`bench/targets.py`) measures
at 100,000 rows. A new list page gets a line here and one there; the test does not import the bench,
which is a set of scripts, not a library."""

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.synthetic import synthetic_seed

Person = apps.get_model("contacts.Person")

MAX_LIST_QUERIES = 15

# (name, path, kind): kind "list" (constant and at most MAX_LIST_QUERIES) or "admin" (constant). "{state}"
# is a state code. The exposure API is left to trade's own query-count test: it needs the public
# reference data.
LIST_TARGETS = [
    ("Stakeholder list", "/stakeholders/", "list"),
    ("Stakeholder list, page 50", "/stakeholders/?page=50", "list"),
    ("Stakeholder list, filtered", "/stakeholders/?state={state}&stance=supportive", "list"),
    ("Organization list", "/organizations/", "list"),
    ("State list", "/states/", "list"),
    ("Interactions list", "/interactions/", "list"),
    ("Interactions list, page 100", "/interactions/?page=100", "list"),
    ("Follow-ups (mine)", "/follow-ups/", "list"),
    ("Campaigns", "/campaigns/", "list"),
    ("Who to call next", "/priorities/", "list"),
    ("Briefings", "/briefings/", "list"),
    ("Admin: people", "/admin/contacts/person/", "admin"),
    ("Admin: organizations", "/admin/contacts/organization/", "admin"),
    ("Admin: interactions", "/admin/outreach/interaction/", "admin"),
    ("Admin: follow-ups", "/admin/outreach/followup/", "admin"),
    ("API: people", "/api/people/", "list"),
    ("API: people, page_size 200", "/api/people/?page_size=200", "list"),
    ("API: organizations", "/api/organizations/", "list"),
    ("API: positions", "/api/positions/", "list"),
    ("API: relationships", "/api/relationships/", "list"),
    ("API: segments", "/api/segments/", "list"),
    ("API: interactions", "/api/interactions/", "list"),
    ("API: interactions, page_size 200", "/api/interactions/?page_size=200", "list"),
    ("API: follow-ups", "/api/follow-ups/", "list"),
    ("API: campaigns", "/api/campaigns/", "list"),
    ("API: priorities", "/api/priorities/", "list"),
    ("API: states", "/api/states/", "list"),
    ("API: briefing packets", "/api/briefings/", "list"),
]


def _route_exists(path: str) -> bool:
    """Is the page built on this branch? (Admin URLs resolve for any model: check the registry.)"""
    from django.contrib import admin
    from django.urls import Resolver404, resolve

    route = urlsplit(path).path
    try:
        resolve(route)
    except Resolver404:
        return False
    parts = route.strip("/").split("/")
    if parts[0] == "admin" and len(parts) >= 3:
        return any(
            model._meta.app_label == parts[1] and model._meta.model_name == parts[2] for model in admin.site._registry
        )
    return True


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
@pytest.mark.parametrize(("path_template", "kind"), [t[1:] for t in LIST_TARGETS], ids=[t[0] for t in LIST_TARGETS])
def test_query_count_is_constant_from_10_to_200_rows(path_template, kind, reference_data, make_user, client_for):
    state = reference_data[0][0]
    path = path_template.format(state=state.code)
    if not _route_exists(path):
        pytest.skip(f"{path} is not built on this branch yet")
    client = client_for(make_user(Role.ADMIN, username="scale-admin"))
    synthetic_seed(people=10, organizations=10, interactions=10, follow_ups=10, seed=1)
    _all_match_filters(state)
    small = _count(client, path)

    synthetic_seed(people=190, organizations=190, interactions=190, follow_ups=190, seed=2)
    _all_match_filters(state)
    large = _count(client, path)

    assert large == small
    if kind == "list":
        assert large <= MAX_LIST_QUERIES
