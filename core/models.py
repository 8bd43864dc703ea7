"""Shared base model, the job bookkeeping tables (outbox and scheduled slots) and the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: every project table records when a row was created and last updated."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Abstract base for records people edit: `version` goes up on every save of an existing row.

    An edit page or API client sends back the version it read; `core.concurrency.version_check`
    refuses the save when the row has moved on, so a second editor never silently overwrites the
    first (docs/security.md, "Concurrent edits"). The bump is `F("version") + 1`, so two saves can
    never produce the same version, and it happens in `save()` so every save path (services, merge,
    imports, admin) counts as a change. Queryset `.update()` and `bulk_update` bypass `save()`:
    code that changes editable fields that way must bump the version itself.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A copy (pk set to None to insert a new row) starts its own count.
        bumped = not self._state.adding and self.pk is not None
        if bumped:
            self.version = models.F("version") + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)
        if bumped:
            self.refresh_from_db(fields=["version"])


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


class AuditEvent(models.Model):
    """One create, update or delete of a tracked row: who, when, what changed, through which request or job.

    Written by database triggers on PostgreSQL (so bulk and raw SQL writes are caught too) and by
    model signals on SQLite; see core.audit and docs/security.md. Rows are append-only: on PostgreSQL
    a trigger refuses UPDATE and DELETE on this table.

    `before`/`after` are keyed by column name: the whole row for create (after) and delete (before),
    only the changed columns for an update. Links of a many-to-many field added to or removed from
    the record are `add`/`remove` events keyed by the field name, each link as `{"id", "label"}`
    (after for add, before for remove). `actor` is a user id kept even if the user is later
    deleted (no constraint); `actor_label` is the readable name (username, `job:<task>`,
    `command:<name>`, `database:<role>` for writes made outside the application).
    """

    class Action(models.TextChoices):
        INSERT = "insert", "created"
        UPDATE = "update", "updated"
        DELETE = "delete", "deleted"
        ADD = "add", "linked"
        REMOVE = "remove", "unlinked"

    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=6, choices=Action.choices)
    at = models.DateTimeField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=20, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "-at"], name="auditevent_object_idx")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id} {self.action} by {self.actor_label}"


def _language_choices():
    return settings.LANGUAGES


class UserPreference(models.Model):
    """What a staff member chose for themselves: the interface language and the time zone pages use.

    Blank means "not chosen": the language then follows the browser (Accept-Language) and the time zone
    is the deployment's `TIME_ZONE`. The values are copied into the session at login and on change
    (core.preferences), so no request reads this table.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(_("language"), max_length=8, blank=True, choices=_language_choices)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'}, {self.time_zone or '-'})"
