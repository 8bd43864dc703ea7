"""Shared base model and the job bookkeeping tables (outbox and scheduled slots)."""

from django.db import models


class TimeStampedModel(models.Model):
    """Abstract base: every project table records when a row was created and last updated."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A task to send to Celery, written in the same transaction as the change that needs it.

    The web request never talks to the broker inside its transaction: it records the task here and,
    after commit, tries to publish it. When the broker is down the row waits; `dispatch_outbox`
    (beat, every minute, and at worker start) publishes what is pending once the broker is back.
    The consuming task marks `completed_at`, so a message delivered twice runs once in effect.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=50, default="default")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["dispatched_at", "id"], name="outbox_pending_idx")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class JobSlot(models.Model):
    """One row per (job, slot) claimed: two beat processes or a retried run still do a slot once."""

    job = models.CharField(max_length=100)
    slot = models.CharField(max_length=100)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="jobslot_unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot}"
