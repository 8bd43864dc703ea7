"""Django admin for outreach (Admin role only). Admins may read confidential notes."""

from django.contrib import admin

from core.admin import LargeTableAdminMixin, VersionedAdminMixin
from outreach.models import (
    CalendarToken,
    Campaign,
    CampaignTarget,
    Commitment,
    FollowUp,
    Interaction,
    PriorityWeights,
)
from outreach.services import commitment_can_change, contact_stats_refresh


def _people_of(interaction_ids) -> set[int]:
    return set(
        Interaction.people.through.objects.filter(interaction_id__in=list(interaction_ids)).values_list(
            "person_id", flat=True
        )
    )


class CommitmentRuleMixin:
    """Commitments change under the one rule pages and services use (`commitment_can_change`)."""

    def _may_change(self, request, obj) -> bool:
        interaction = obj if isinstance(obj, Interaction) else getattr(obj, "interaction", None)
        return interaction is None or commitment_can_change(interaction=interaction, user=request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)


class CommitmentInline(CommitmentRuleMixin, admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(LargeTableAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "summary_short", "created_by", "sentiment", "is_synthetic")
    list_filter = ("kind", "sentiment", "is_synthetic")
    list_select_related = ("created_by",)
    search_fields = ("summary",)
    date_hierarchy = "occurred_at"
    raw_id_fields = ("people", "organizations", "stance_person", "created_by")
    filter_horizontal = ("staff", "states", "pillars")
    inlines = [CommitmentInline]

    # The admin writes rows directly, so it keeps the per-person contact figures right itself.
    def save_related(self, request, form, formsets, change):
        before = _people_of([form.instance.pk]) if change else set()
        super().save_related(request, form, formsets, change)
        contact_stats_refresh(person_ids=before | _people_of([form.instance.pk]))

    def delete_model(self, request, obj):
        people = _people_of([obj.pk])
        super().delete_model(request, obj)
        contact_stats_refresh(person_ids=people)

    def delete_queryset(self, request, queryset):
        people = _people_of(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        contact_stats_refresh(person_ids=people)

    @admin.display(description="summary")
    def summary_short(self, obj) -> str:
        return obj.summary[:80]


@admin.register(Commitment)
class CommitmentAdmin(LargeTableAdminMixin, CommitmentRuleMixin, admin.ModelAdmin):
    list_display = ("description", "party", "status", "interaction")
    list_filter = ("party", "status")
    list_select_related = ("interaction",)
    raw_id_fields = ("interaction",)

    def save_model(self, request, obj, form, change):
        before = {form.initial.get("interaction")} if change else set()
        super().save_model(request, obj, form, change)
        contact_stats_refresh(person_ids=_people_of((before | {obj.interaction_id}) - {None}))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        contact_stats_refresh(person_ids=_people_of([obj.interaction_id]))

    def delete_queryset(self, request, queryset):
        interactions = set(queryset.values_list("interaction_id", flat=True))
        super().delete_queryset(request, queryset)
        contact_stats_refresh(person_ids=_people_of(interactions))


@admin.register(FollowUp)
class FollowUpAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("what", "assignee", "due_date", "status", "person", "organization")
    list_filter = ("status",)
    list_select_related = ("assignee", "person", "organization")
    search_fields = ("what",)
    raw_id_fields = ("interaction", "person", "organization", "assignee", "created_by", "completed_by")


class CampaignTargetInline(admin.TabularInline):
    model = CampaignTarget
    extra = 0
    raw_id_fields = ("person", "organization", "last_interaction", "added_by")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "start_date", "end_date")
    list_select_related = ("owner",)
    search_fields = ("name",)
    inlines = [CampaignTargetInline]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "person", "organization", "status", "status_changed_at")
    list_filter = ("status",)
    list_select_related = ("campaign", "person", "organization")
    raw_id_fields = ("person", "organization", "last_interaction", "added_by")


@admin.register(PriorityWeights)
class PriorityWeightsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "exposure", "influence", "recency", "stance", "battleground", "commitments")

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not PriorityWeights.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Admins can see and revoke feeds; the secret itself is never stored, only its digest."""

    list_display = ("user", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("user", "token_digest", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False
