from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from briefings.models import BriefingPacket, PacketTemplate, TalkingPoint


@admin.register(PacketTemplate)
class PacketTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "is_default", "include_confidential", "updated_at")
    list_filter = ("is_default", "include_confidential")
    readonly_fields = ("version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "description", "is_default", "version")}),
        (
            _("Sections"),
            {
                "fields": (
                    "show_who",
                    "show_trade",
                    "show_exposure",
                    "show_talking_points",
                    "show_who_matters",
                    "show_history",
                    "show_asks",
                    "show_sources",
                )
            },
        ),
        (_("Confidentiality"), {"fields": ("include_confidential",)}),
    )

    def save_model(self, request, obj, form, change):
        # Packets record the template version they used: any edit makes a new version number.
        if change and form.changed_data:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


@admin.register(TalkingPoint)
class TalkingPointAdmin(admin.ModelAdmin):
    list_display = ("short_text", "pillar", "sector", "state", "priority", "is_active")
    list_filter = ("is_active", "pillar", "state")
    list_select_related = ("pillar", "state")
    search_fields = ("text", "source", "sector")
    autocomplete_fields = ()
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("talking point"))
    def short_text(self, obj: TalkingPoint) -> str:
        return obj.text[:90]


@admin.register(BriefingPacket)
class BriefingPacketAdmin(admin.ModelAdmin):
    """Packets are generated, never edited: the admin shows them read-only."""

    list_display = ("target_label", "target_kind", "version", "status", "requested_by", "schedule_slot", "created_at")
    list_filter = ("status", "target_kind")
    list_select_related = ("requested_by",)
    search_fields = ("target_label", "target_key", "schedule_slot")
    exclude = ("html", "figures")
    readonly_fields = [field.name for field in BriefingPacket._meta.fields if field.name not in ("html", "figures")]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
