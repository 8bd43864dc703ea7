"""The stakeholder list page and /api/people/ never COUNT(*) past 10,000 rows; beyond that they say "about"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import LargeTablePaginator
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates: PostgreSQL only")


def _person_counts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and '"contacts_person"' in q["sql"]]


def test_list_page_counts_are_bounded_and_exact_below_the_limit(client_for, viewer):
    PersonFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        response = client_for(viewer).get("/stakeholders/")

    assert response.status_code == 200
    assert isinstance(response.context["page"].paginator, LargeTablePaginator)
    assert all("LIMIT 10001" in sql for sql in _person_counts(captured)) and _person_counts(captured)
    assert "3 people" in response.content.decode()
    assert "About" not in response.content.decode()


def test_api_people_count_is_bounded_and_flagged_exact(api_for, viewer):
    PersonFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        response = api_for(viewer).get("/api/people/?q=Testfirst")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert response.json()["count_is_estimate"] is False
    assert all("LIMIT 10001" in sql for sql in _person_counts(captured)) and _person_counts(captured)


@postgresql_only
def test_past_the_limit_pages_show_an_estimate(client_for, api_for, viewer, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "exact_count_limit", 2)
    PersonFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_person")

    page = client_for(viewer).get("/stakeholders/").content.decode()
    api = api_for(viewer).get("/api/people/").json()

    assert "About 4 people" in page
    assert api["count_is_estimate"] is True
    assert api["count"] == 4  # ANALYZE of a small table counts every row


@pytest.mark.parametrize("path", ["/api/positions/", "/api/relationships/"])
def test_link_endpoints_use_the_large_table_pagination(path, api_for, viewer):
    from tests.contacts.factories import PositionFactory, RelationshipFactory

    PositionFactory()
    RelationshipFactory()

    body = api_for(viewer).get(path).json()

    assert (body["count"], body["count_is_estimate"]) == (1, False)
