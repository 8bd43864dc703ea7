"""The data releases page: every role reads it (query count constant at 10 vs 200 releases); Leads and
Admins also see the releases' history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.trade.factories import DataReleaseFactory

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/data-releases/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["viewer", "lead"])
def test_release_page_query_count_constant(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    DataReleaseFactory.create_batch(10, is_synthetic=True)
    small = _queries(client)
    DataReleaseFactory.create_batch(190, is_synthetic=True)
    assert _queries(client) == small


def test_release_page_lists_releases_and_shows_history_to_leads_only(viewer, lead, client_for):
    release = DataReleaseFactory(title="Synthetic vintage for the page", is_synthetic=True)
    release.coverage = "2020–2024"
    release.save()
    viewer_body = client_for(viewer).get("/data-releases/").content.decode()
    assert "Synthetic vintage for the page" in viewer_body
    assert 'id="history-datarelease"' not in viewer_body
    lead_body = client_for(lead).get("/data-releases/").content.decode()
    assert 'id="history-datarelease"' in lead_body
    history = lead_body.split('id="history-datarelease"')[1]
    assert "Data release: Synthetic vintage for the page" in history and "2020–2024" in history
