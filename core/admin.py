import json
import logging

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from core.models import AuditEvent, JobSlot, OutboxMessage
from core.pagination import LargeTablePaginator
from core.permissions import role_allowed
from core.roles import Role
from core.selectors import event_values

security_log = logging.getLogger("envoy.security")


__all__ = ["LargeTableAdminMixin", "LargeTablePaginator", "VersionedAdminMixin"]


class LargeTableAdminMixin:
    """For ModelAdmins of tables that grow without bound (interactions, people, outbox...):
    no second COUNT(*) of the whole table, and a paginator that never counts past its limit."""

    paginator = LargeTablePaginator
    show_full_result_count = False


class VersionedAdminForm(forms.ModelForm):
    """An admin change form that carries the version it was opened at (`core.models.VersionedModel`).

    A save after someone else's (a page, the API, another Admin) is refused with the form shown again,
    what was typed kept; the refusal moves the carried version on, so saving again after reviewing
    the record is a deliberate choice, as on the staff edit pages (docs/security.md, "Concurrent edits").
    """

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("read_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        read, current = cleaned.get("read_version"), self.instance.version
        if read != current:
            data = self.data.copy()
            data[self.add_prefix("read_version")] = current
            self.data = data
            raise ValidationError(
                _(
                    "Someone else saved this record (now version %(current)s) after you opened it (version %(read)s): "
                    "check the record's history, then save again to keep your changes."
                ),
                code="edit_conflict",
                params={"current": current, "read": read if read is not None else _("unknown")},
            )
        return cleaned


class VersionedAdminMixin:
    """For ModelAdmins of versioned records: change forms refuse a save made after someone else's."""

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        named = {name for _title, options in fieldsets for name in options["fields"]}
        if obj is None or "read_version" in named or not fieldsets:
            return fieldsets
        title, options = fieldsets[-1]
        return [*fieldsets[:-1], (title, {**options, "fields": [*options["fields"], "read_version"]})]


def _admin_site_permission(request) -> bool:
    """Only the Admin role (and superusers), verified with a second factor, may open Django admin."""
    allowed = request.user.is_active and role_allowed(request.user, Role.ADMIN)
    if not allowed and request.user.is_authenticated:
        security_log.warning("access-denied user=%s path=%s reason=admin-site", request.user.username, request.path)
    return allowed


admin.site.has_permission = _admin_site_permission
admin.site.site_header = "Envoy CRM administration"
admin.site.site_title = "Envoy CRM admin"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("id", "task_name", "queue", "created_at", "dispatched_at", "completed_at", "attempts")
    list_filter = ("task_name", "queue")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(JobSlot)
class JobSlotAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "claimed_at")
    list_filter = ("job",)
    readonly_fields = ("job", "slot", "claimed_at")


def _json(values) -> str:
    return "—" if values is None else json.dumps(values, indent=1, sort_keys=True, cls=DjangoJSONEncoder)


@admin.register(AuditEvent)
class AuditEventAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only (PostgreSQL refuses updates and deletes)."""

    list_display = ("at", "model", "object_id", "action", "actor_label", "source", "request_id", "job_id")
    list_filter = ("model", "action", "source")
    search_fields = ("object_id", "actor_label", "request_id", "job_id")
    date_hierarchy = "at"
    fields = (
        "at", "model", "object_id", "action", "before_values", "after_values", "actor", "actor_label", "source",
        "request_id", "job_id",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description="before")
    def before_values(self, obj: AuditEvent) -> str:
        return _json(event_values(obj, "before"))

    @admin.display(description="after")
    def after_values(self, obj: AuditEvent) -> str:
        return _json(event_values(obj, "after"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
