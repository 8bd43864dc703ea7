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
