import pytest
from django.db import transaction

from core.jobs import job_enqueue, job_slot_claim, outbox_dispatch
from core.models import JobSlot, OutboxMessage
from core.schedules import schedules_install

pytestmark = pytest.mark.django_db


def test_slot_is_claimed_once():
    assert job_slot_claim(job="digest", slot="2026-11-25") is True
    assert job_slot_claim(job="digest", slot="2026-11-25") is False
    assert job_slot_claim(job="digest", slot="2026-11-26") is True
    assert JobSlot.objects.count() == 2


def test_enqueue_runs_after_commit_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = job_enqueue("core.ping", kwargs={})
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert message.attempts == 1
    # A second sweep finds nothing pending.
    assert outbox_dispatch() == 0


def test_enqueue_with_dedupe_key_is_idempotent():
    first = job_enqueue("core.ping", dedupe_key="same")
    second = job_enqueue("core.ping", dedupe_key="same")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue("core.ping")
        raise RuntimeError("boom")
    assert OutboxMessage.objects.count() == 0


def test_default_schedules_install_once_and_keep_admin_edits():
    from django_celery_beat.models import PeriodicTask

    created, kept = schedules_install()
    assert created >= 1 and kept == 0
    task = PeriodicTask.objects.get(name="Dispatch pending outbox messages")
    task.enabled = False
    task.save()
    created_again, kept_again = schedules_install()
    assert created_again == 0 and kept_again == created
    task.refresh_from_db()
    assert task.enabled is False


CLOSED_PORT_BROKER = "redis://127.0.0.1:8157/0"  # nothing listens here: a broker outage


@pytest.fixture
def broker_down(monkeypatch):
    """Publish for real (not eagerly) to a broker that refuses connections."""
    from config.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT_BROKER)
    monkeypatch.setitem(app.conf, "broker_url", CLOSED_PORT_BROKER)
    # Publishing uses broker_write_url, which another test may have pinned: point it at the closed port too.
    monkeypatch.setitem(app.conf, "broker_write_url", CLOSED_PORT_BROKER)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_transport_options", {"visibility_timeout": 3600, "socket_connect_timeout": 2})
    return app


def test_publish_connection_tries_once_with_a_short_timeout(settings, broker_down):
    from core.jobs import publish_connection

    settings.OUTBOX_PUBLISH_CONNECT_TIMEOUT = 0.25
    connection = publish_connection(broker_down)
    assert connection.connect_timeout == 0.25
    assert connection.transport_options["max_retries"] == 0
    assert connection.transport_options["socket_connect_timeout"] == 0.25
    assert connection._extract_failover_opts() == {"timeout": 0.25, "max_retries": 0}


def test_interaction_saved_during_broker_outage_leaves_its_message_pending(
    api_for, officer, broker_down, django_capture_on_commit_callbacks
):
    """The request succeeds; the outbox row records the failed attempt and waits for the sweep."""
    from outreach.models import Interaction
    from tests.outreach.factories import SyntheticPersonFactory

    person = SyntheticPersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(officer).post(
            "/api/interactions/", {"kind": "call", "people": [person.pk], "summary": "During the outage"}
        )
    assert response.status_code == 201, response.json()
    assert Interaction.objects.filter(summary="During the outage").count() == 1
    message = OutboxMessage.objects.get(task_name="outreach.notify_stakeholder_owners")
    assert message.dispatched_at is None
    assert message.attempts == 1
    assert "8157" in message.last_error
