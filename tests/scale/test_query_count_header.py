import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

WITH_MIDDLEWARE = ["core.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]


@override_settings(MIDDLEWARE=WITH_MIDDLEWARE, QUERY_COUNT_HEADER=True)
def test_header_counts_the_queries_of_the_request(client, viewer):
    client.force_login(viewer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["X-Query-Count"] == str(len(captured.captured_queries))
    assert float(response["X-Query-Time-Ms"]) >= 0


@override_settings(MIDDLEWARE=WITH_MIDDLEWARE)
def test_header_is_off_unless_the_setting_turns_it_on(client):
    assert not getattr(settings, "QUERY_COUNT_HEADER", False)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert "X-Query-Count" not in response
    assert "X-Query-Time-Ms" not in response


def test_default_settings_do_not_install_it():
    assert "core.middleware.QueryCountHeaderMiddleware" not in settings.MIDDLEWARE
