import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unavailable"}
    assert set(body) == {"database", "broker"}


def test_healthz_503_when_database_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    from django.db import connection

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.fixture
def broker_down(monkeypatch):
    """Point Celery at a port where nothing listens (the environment variable wins over settings)."""
    from config.celery import app

    dead = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    monkeypatch.setattr(app.conf, "broker_url", dead)
    # broker_write_url is derived from broker_url once read: point both at the closed port.
    monkeypatch.setattr(app.conf, "broker_write_url", dead)
    monkeypatch.setitem(app.conf, "broker_transport_options", {"socket_connect_timeout": 1})


def test_healthz_reports_unreachable_broker_without_failing(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_pages_work_when_broker_down(client_for, make_user, broker_down):
    assert client_for(make_user()).get("/").status_code == 200
