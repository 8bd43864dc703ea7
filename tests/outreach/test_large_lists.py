"""The interaction list page and /api/interactions/ never COUNT(*) past 10,000 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import LargeTablePaginator
from tests.outreach.factories import InteractionFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates: PostgreSQL only")


def _interaction_counts(captured) -> list[str]:
    sqls = [q["sql"] for q in captured.captured_queries]
    return [sql for sql in sqls if "COUNT(" in sql and '"outreach_interaction"' in sql]


def test_list_page_count_is_bounded(client_for, lead):
    InteractionFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        response = client_for(lead).get("/interactions/")

    assert response.status_code == 200
    assert isinstance(response.context["page_obj"].paginator, LargeTablePaginator)
    counts = _interaction_counts(captured)
    assert counts and all("LIMIT 10001" in sql for sql in counts)
    assert "3 interactions" in response.content.decode()


def test_api_count_is_bounded_and_flagged_exact(api_for, lead):
    InteractionFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        response = api_for(lead).get("/api/interactions/")

    assert response.json()["count"] == 3
    assert response.json()["count_is_estimate"] is False
    counts = _interaction_counts(captured)
    assert counts and all("LIMIT 10001" in sql for sql in counts)


@postgresql_only
def test_past_the_limit_the_page_says_about(client_for, api_for, lead, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "exact_count_limit", 2)
    InteractionFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE outreach_interaction")

    page = client_for(lead).get("/interactions/").content.decode()

    assert "About 4 interactions" in page
    assert api_for(lead).get("/api/interactions/").json()["count_is_estimate"] is True


def test_campaign_lists_paginate_an_ordered_queryset(api_for, lead):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    from tests.outreach.factories import CampaignFactory, CampaignTargetFactory

    campaign = CampaignFactory()
    CampaignTargetFactory(campaign=campaign)
    client = api_for(lead)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listed = client.get("/api/campaigns/")
        targets = client.get(f"/api/campaigns/{campaign.pk}/targets/")

    assert (listed.status_code, targets.status_code) == (200, 200)
    assert [w for w in caught if issubclass(w.category, UnorderedObjectListWarning)] == []
