"""Admin for trade: reference data, releases and import runs (with an upload page and dry-run preview),
trade figures (read-only, provenance shown), versioned scenarios, exposure snapshots."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.admin import VersionedAdminMixin
from core.jobs import job_enqueue
from trade.choices import ImportFormat
from trade.models import (
    DataRelease,
    ExposureFigure,
    ExposureMeasureFigure,
    ExposureSnapshot,
    HSChapter,
    ImportRun,
    NationalTradeFlow,
    Pillar,
    PillarHSCode,
    ScenarioChapterRate,
    ScenarioMeasureRate,
    ScenarioOverlay,
    ScenarioRate,
    State,
    StateEconomics,
    TariffMeasure,
    TariffScenario,
    TariffTimelineReview,
    TradeFlow,
    UsmcaUtilization,
)
from trade.services import SCENARIO_COPY_FIELDS, scenario_revise, trade_file_import

UPLOAD_DIR = "trade_uploads"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Figures come from imports and the engine, never from hand edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StateEconomicsInline(admin.TabularInline):
    model = StateEconomics
    extra = 0


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "fips", "census_region", "is_battleground_2024", "is_pseudo"]
    list_filter = ["census_region", "is_battleground_2024", "is_pseudo"]
    search_fields = ["code", "name"]
    inlines = [StateEconomicsInline]


@admin.register(StateEconomics)
class StateEconomicsAdmin(admin.ModelAdmin):
    list_display = ["state", "year", "gdp_usd", "population", "source"]
    list_select_related = ["state"]
    list_filter = ["year"]


@admin.register(HSChapter)
class HSChapterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source"]
    search_fields = ["code", "name"]


class PillarHSCodeInline(admin.TabularInline):
    model = PillarHSCode
    extra = 0
    fields = ["hs_code", "hs_level", "chapter", "confidence", "counts_at_chapter_level", "description", "basis"]
    autocomplete_fields = ["chapter"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_partial_chapter_approximation"]
    inlines = [PillarHSCodeInline]


@admin.register(PillarHSCode)
class PillarHSCodeAdmin(admin.ModelAdmin):
    list_display = ["pillar", "hs_code", "hs_level", "chapter", "confidence", "counts_at_chapter_level", "source_group"]
    list_filter = ["pillar", "hs_level", "confidence", "counts_at_chapter_level"]
    list_select_related = ["pillar", "chapter"]
    search_fields = ["hs_code", "description"]


@admin.register(DataRelease)
class DataReleaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "vintage_date", "format", "coverage", "row_count", "is_synthetic", "created_at"]
    list_filter = ["format", "is_synthetic"]
    search_fields = ["title", "source", "file_name", "checksum"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "format",
        "status",
        "rows_read",
        "rows_imported",
        "rows_rejected",
        "release",
        "started_by",
        "started_at",
    ]
    list_filter = ["status", "format", "dry_run"]
    list_select_related = ["release", "started_by"]
    search_fields = ["file_name", "checksum"]
    change_list_template = "admin/trade/importrun/change_list.html"

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="trade_importrun_upload"),
            path(
                "upload/<int:run_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="trade_importrun_confirm",
            ),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not request.user.has_perm("trade.add_importrun"):
            raise PermissionDenied

    def upload_view(self, request):
        """Upload a file, validate it without writing (dry run) and show the preview."""
        self._check(request)
        form = TradeUploadForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import a trade file"),
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            stored = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{hashlib.sha256(content).hexdigest()}.upload"
            stored.parent.mkdir(parents=True, exist_ok=True)
            stored.write_bytes(content)
            run = trade_file_import(
                content=content,
                file_name=upload.name,
                format=form.cleaned_data["format"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                dry_run=True,
                user=request.user,
            )
            context.update({"run": run, "title": _("Preview: %(name)s") % {"name": upload.name}})
        return render(request, "admin/trade/importrun/upload.html", context)

    def confirm_view(self, request, run_id: int):
        """Queue the real import of a previewed file (Celery, `imports` queue, after commit)."""
        self._check(request)
        run = get_object_or_404(ImportRun, pk=run_id, dry_run=True)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:trade_importrun_upload"))
        stored = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{run.checksum}.upload"
        job_enqueue(
            "trade.import_file",
            kwargs={
                "path": str(stored),
                "format": run.format,
                "file_name": run.file_name,
                "skip_invalid": run.skip_invalid,
                "user_id": request.user.pk,
            },
            queue="imports",
            dedupe_key=f"trade.import_file:{run.checksum}:{run.skip_invalid}",
        )
        messages.success(request, _("Import of %(name)s queued; it appears below when done.") % {"name": run.file_name})
        return HttpResponseRedirect(reverse("admin:trade_importrun_changelist"))


class TradeUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    skip_invalid = forms.BooleanField(label=_("Import the valid rows and list the invalid ones"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        return upload


@admin.register(TradeFlow)
class TradeFlowAdmin(ReadOnlyAdmin):
    list_display = ["state", "flow", "year", "month", "hs_chapter", "value_usd", "release", "is_effective"]
    list_filter = ["flow", "is_effective", "year"]
    list_select_related = ["state", "hs_chapter", "release"]
    search_fields = ["state__code"]
    show_full_result_count = False


@admin.register(NationalTradeFlow)
class NationalTradeFlowAdmin(ReadOnlyAdmin):
    list_display = ["year", "flow", "hs_chapter", "value_usd", "release", "is_effective"]
    list_filter = ["flow", "year"]
    list_select_related = ["hs_chapter", "release"]


class ScenarioRateInline(admin.TabularInline):
    model = ScenarioRate
    extra = 1
    fields = ["hs_chapter", "pillar", "us_rate", "usmca_exempt_share", "ca_rate", "note"]


@admin.register(TariffScenario)
class TariffScenarioAdmin(admin.ModelAdmin):
    """Saving a change creates a new version (the old one stays, with its snapshots)."""

    list_display = [
        "name",
        "slug",
        "version",
        "is_current_version",
        "is_default",
        "regime_date",
        "regime_rolls_forward",
        "is_historical",
    ]
    list_filter = ["is_current_version", "is_default", "is_historical"]
    list_select_related = ["previous_version"]
    readonly_fields = ["version", "is_current_version", "previous_version", "created_by", "created_at"]
    inlines = [ScenarioRateInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "effective_date", "is_default", "is_synthetic"]}),
        (_("Regime"), {"fields": ["regime_date", "regime_rolls_forward", "is_historical"]}),
        (_("Sources"), {"fields": ["source", "source_url", "rationale"]}),
        (
            _("Default rates"),
            {
                "fields": [
                    "default_us_rate",
                    "default_usmca_exempt_share",
                    "usmca_exempt_share_source",
                    "default_ca_rate",
                ]
            },
        ),
        (
            _("Elasticities and jobs"),
            {
                "fields": [
                    "elasticity_low",
                    "elasticity_central",
                    "elasticity_high",
                    "elasticity_source",
                    "jobs_per_billion_usd",
                    "jobs_source",
                ]
            },
        ),
        (_("Version"), {"fields": ["version", "is_current_version", "previous_version", "created_by", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if obj else fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current_version:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not change:
            return super().save_related(request, form, formsets, change)
        rates = [
            {
                name: row.cleaned_data.get(name)
                for name in ("hs_chapter", "pillar", "us_rate", "usmca_exempt_share", "ca_rate", "note")
            }
            for formset in formsets
            for row in formset.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in {*SCENARIO_COPY_FIELDS, "is_default"}
        }
        request._scenario_new_version = scenario_revise(
            scenario=TariffScenario.objects.get(pk=form.instance.pk), changes=changes, rates=rates, actor=request.user
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        # The inline formsets were applied to the new version, not saved on this one.
        return [{"changed": {"fields": form.changed_data + ["rates (new version)"]}}]

    def response_change(self, request, obj):
        new = getattr(request, "_scenario_new_version", None)
        if new is None:
            return super().response_change(request, obj)
        messages.success(
            request, _("Saved as version %(version)s; exposure refresh queued.") % {"version": new.version}
        )
        return HttpResponseRedirect(reverse("admin:trade_tariffscenario_change", args=[new.pk]))


@admin.register(ScenarioRate)
class ScenarioRateAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "hs_chapter", "pillar", "us_rate", "usmca_exempt_share", "ca_rate", "note"]
    list_select_related = ["scenario", "hs_chapter", "pillar"]


@admin.register(ScenarioChapterRate)
class ScenarioChapterRateAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "hs_chapter", "us_rate", "usmca_exempt_share", "ca_rate", "risk_factor_central"]
    list_select_related = ["scenario", "hs_chapter"]


@admin.register(ExposureSnapshot)
class ExposureSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["id", "scenario", "base_year", "status", "is_current", "figure_count", "trigger", "created_at"]
    list_filter = ["status", "is_current"]
    list_select_related = ["scenario"]


@admin.register(ExposureFigure)
class ExposureFigureAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "state", "pillar", "hs_chapter", "us_duty_cost", "counter_duty_exposure", "rank"]
    list_select_related = ["snapshot__scenario", "state", "pillar", "hs_chapter"]
    list_filter = ["snapshot__is_current"]
    show_full_result_count = False


@admin.register(TariffMeasure)
class TariffMeasureAdmin(VersionedAdminMixin, admin.ModelAdmin):
    """Admins edit measures here; Leads on the tariffs page. Every edit is in the audit history."""

    list_display = ["title", "side", "authority", "rate", "usmca_treatment", "effective_from", "effective_to", "status"]
    list_filter = ["side", "authority", "status", "usmca_treatment"]
    list_select_related = ["pillar"]
    search_fields = ["slug", "title", "instrument"]


@admin.register(UsmcaUtilization)
class UsmcaUtilizationAdmin(admin.ModelAdmin):
    list_display = ["chapter_group", "period_from", "period_to", "low", "central", "high", "verified_on"]


@admin.register(TariffTimelineReview)
class TariffTimelineReviewAdmin(admin.ModelAdmin):
    list_display = ["verified_through", "created_at"]


@admin.register(ScenarioOverlay)
class ScenarioOverlayAdmin(admin.ModelAdmin):
    list_display = ["scenario", "action", "measure", "family", "rate", "usmca_utilization"]
    list_select_related = ["scenario", "measure"]


@admin.register(ScenarioMeasureRate)
class ScenarioMeasureRateAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "measure", "hs_chapter", "effective_rate"]
    list_select_related = ["scenario", "measure", "hs_chapter"]


@admin.register(ExposureMeasureFigure)
class ExposureMeasureFigureAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "state", "measure", "amount"]
    list_select_related = ["snapshot__scenario", "state", "measure"]
