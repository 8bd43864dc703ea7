from django.contrib import admin

from contacts.models import (
    Committee,
    CommitteeMembership,
    ContactPoint,
    InfluenceEntry,
    InfluenceWeights,
    MergeRecord,
    OfficeTransition,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    PublicDataRelease,
    Relationship,
    SavedSegment,
    SourceChange,
    SpreadsheetImport,
    StanceEntry,
    Tag,
)
from contacts.ownership import staff_changes_mark
from contacts.services import public_influence_refresh
from core.admin import LargeTableAdminMixin, VersionedAdminMixin


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ("kind", "label", "value", "is_preferred", "source")


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("organization", "title", "start_date", "end_date", "is_current")


class _HistoryInline(admin.TabularInline):
    """Stance and influence change only through their service (the person's edit page, interactions,
    imports), which keeps the current value right; the admin shows the history read-only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StanceEntryInline(_HistoryInline):
    model = StanceEntry
    fields = ("stance", "set_at", "recorded_at", "source", "set_by", "reason")


class InfluenceEntryInline(_HistoryInline):
    model = InfluenceEntry
    fields = ("influence", "rationale", "set_at", "recorded_at", "source", "set_by", "reason")


class StaffOwnedAdminMixin:
    """Fields changed in the admin are staff edits too: a re-import must not overwrite them."""

    def save_model(self, request, obj, form, change):
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            names = [f.name for f in obj._meta.concrete_fields if f.name in form.changed_data]
            before = {name: getattr(stored, name) for name in names}
            staff_changes_mark(record=obj, before=before, actor=request.user)
        super().save_model(request, obj, form, change)


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ("committee",)


class RelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "from_person"
    extra = 0
    autocomplete_fields = ("to_person", "to_organization")


@admin.register(Person)
class PersonAdmin(LargeTableAdminMixin, VersionedAdminMixin, StaffOwnedAdminMixin, admin.ModelAdmin):
    list_display = (
        "full_name", "kind", "title", "party", "stance", "influence", "owner", "is_current_office_holder",
        "needs_verification", "is_synthetic",
    )  # fmt: skip
    list_filter = (
        "kind",
        "stance",
        "is_current_office_holder",
        "needs_verification",
        "chamber",
        "source",
        "is_synthetic",
    )
    list_select_related = ("owner",)
    search_fields = ("full_name", "preferred_name", "title", "bioguide_id", "openstates_id")
    autocomplete_fields = ("owner", "tags")
    filter_horizontal = ("states", "pillars")
    readonly_fields = (
        "name_key", "public_influence", "public_influence_basis", "imported_at", "created_at", "updated_at",
        "stance", "influence", "influence_rationale",
    )  # fmt: skip
    inlines = [
        PositionInline, ContactPointInline, StanceEntryInline, InfluenceEntryInline, CommitteeMembershipInline,
        RelationshipInline,
    ]  # fmt: skip


class PresenceInline(admin.TabularInline):
    model = OrganizationStatePresence
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(LargeTableAdminMixin, VersionedAdminMixin, StaffOwnedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "org_type", "hq_state", "canadian_link", "website", "owner", "is_synthetic")
    list_filter = ("org_type", "canadian_link", "source", "is_synthetic")
    list_select_related = ("hq_state", "owner")
    search_fields = ("name", "website", "description")
    autocomplete_fields = ("parent", "owner", "tags")
    filter_horizontal = ("pillars",)
    readonly_fields = ("name_key", "created_at", "updated_at")
    inlines = [PresenceInline, ContactPointInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StanceEntry)
class StanceEntryAdmin(LargeTableAdminMixin, _ReadOnlyAdmin):
    list_display = ("person", "stance", "set_at", "recorded_at", "source", "set_by")
    list_filter = ("stance", "source")
    list_select_related = ("person", "set_by")
    search_fields = ("person__full_name", "reason")


@admin.register(InfluenceEntry)
class InfluenceEntryAdmin(LargeTableAdminMixin, _ReadOnlyAdmin):
    list_display = ("person", "influence", "set_at", "recorded_at", "source", "set_by")
    list_filter = ("influence", "source")
    list_select_related = ("person", "set_by")
    search_fields = ("person__full_name", "reason")


@admin.register(SourceChange)
class SourceChangeAdmin(LargeTableAdminMixin, _ReadOnlyAdmin):
    """Reviewed on the Leads' source-changes page, which applies the decision; listed here read-only."""

    list_display = ("__str__", "field", "release", "status", "created_at", "resolved_by")
    list_filter = ("status",)
    list_select_related = ("person", "organization", "position__person", "position__organization", "resolved_by")


@admin.register(PublicDataRelease)
class PublicDataReleaseAdmin(_ReadOnlyAdmin):
    list_display = ("label", "source", "created_at")
    list_filter = ("source",)


@admin.register(OrganizationStatePresence)
class OrganizationStatePresenceAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "state", "employees")
    list_filter = ("state",)
    list_select_related = ("organization", "state")
    search_fields = ("organization__name",)
    autocomplete_fields = ("organization",)


@admin.register(ContactPoint)
class ContactPointAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "person", "organization", "kind", "is_preferred", "source")
    list_filter = ("kind", "source", "is_preferred")
    list_select_related = ("person", "organization")
    search_fields = ("value", "person__full_name", "organization__name")
    autocomplete_fields = ("person", "organization")


@admin.register(Position)
class PositionAdmin(LargeTableAdminMixin, StaffOwnedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "title", "organization", "start_date", "is_current")
    list_filter = ("is_current", "organization__org_type")
    list_select_related = ("person", "organization")
    search_fields = ("person__full_name", "organization__name", "title")
    autocomplete_fields = ("person", "organization")


@admin.register(Relationship)
class RelationshipAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("from_person", "kind", "to_person", "to_organization", "strength")
    list_filter = ("kind", "strength")
    list_select_related = ("from_person", "to_person", "to_organization")
    search_fields = ("from_person__full_name", "to_person__full_name", "to_organization__name")
    autocomplete_fields = ("from_person", "to_person", "to_organization")


@admin.register(OfficeTransition)
class OfficeTransitionAdmin(admin.ModelAdmin):
    """Successors recorded by staff (also from the person page); the daily job rolls them over."""

    list_display = ("predecessor", "successor", "takes_office_on", "rolled_over_at", "recorded_by")
    list_filter = ("takes_office_on",)
    list_select_related = ("predecessor", "successor", "recorded_by")
    search_fields = ("predecessor__full_name", "successor__full_name")
    autocomplete_fields = ("predecessor", "successor")
    readonly_fields = ("recorded_by", "rolled_over_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "chamber", "parent")
    list_filter = ("chamber",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "committee", "party_side", "rank", "title")
    list_filter = ("committee", "party_side")
    list_select_related = ("person", "committee")
    search_fields = ("person__full_name", "committee__code", "committee__name")
    autocomplete_fields = ("person", "committee")


@admin.register(SavedSegment)
class SavedSegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shared", "created_at")
    list_filter = ("shared",)
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username")


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    list_display = ("kind", "duplicate_label", "kept_person", "kept_organization", "actor", "created_at")
    list_filter = ("kind",)
    list_select_related = ("kept_person", "kept_organization", "actor")
    search_fields = ("duplicate_label",)
    readonly_fields = [f.name for f in MergeRecord._meta.fields]


@admin.register(SpreadsheetImport)
class SpreadsheetImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "status", "uploaded_by", "created_at", "applied_at")
    list_filter = ("kind", "status")
    list_select_related = ("uploaded_by",)
    search_fields = ("original_name",)
    # The uploaded file is never offered for download, here or anywhere else.
    exclude = ("file", "token")
    readonly_fields = (
        "original_name",
        "kind",
        "status",
        "size_bytes",
        "uploaded_by",
        "preview",
        "result",
        "applied_at",
    )


@admin.register(InfluenceWeights)
class InfluenceWeightsAdmin(admin.ModelAdmin):
    """The points of the public record; saving recomputes everyone's influence from it."""

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not InfluenceWeights.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        public_influence_refresh()
