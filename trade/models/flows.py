"""Where the trade figures come from (releases and import runs) and the figures themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from trade.choices import Flow, ImportFormat, ImportStatus
from trade.labels import reference_label
from trade.models.reference import HSChapter, State


class DataRelease(TimeStampedModel):
    """One published file of trade figures: who published it, which vintage, under which licence.

    A release is identified by the checksum of the file it was imported from, so importing the same
    file twice finds the same release and writes nothing. Where two releases cover the same cell
    (state, flow, year, month, chapter), the one with the later `vintage_date` wins (ties: the one
    imported later); see docs/methodology.md, "Release precedence".
    """

    source = models.CharField(_("source"), max_length=200)
    title = models.CharField(_("title / vintage"), max_length=300)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    vintage_date = models.DateField(
        _("vintage date"), help_text=_("When the source published this vintage; later vintages win.")
    )
    format = models.CharField(_("format"), max_length=30, choices=ImportFormat.choices)
    file_name = models.CharField(_("file name"), max_length=300)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    coverage = models.CharField(_("coverage"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    row_count = models.PositiveIntegerField(_("figures stored"), default=0)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-vintage_date", "-id"]
        indexes = [models.Index(fields=["vintage_date", "id"], name="datarelease_precedence_idx")]

    def __str__(self) -> str:
        return f"{self.source}: {self.title}"

    # The bundled releases' source, title and coverage are in the catalogue (trade/public_data.py);
    # a file an admin imported with their own words reads as they wrote it.
    @property
    def source_label(self) -> str:
        return reference_label(self.source)

    @property
    def title_label(self) -> str:
        return reference_label(self.title)

    @property
    def coverage_label(self) -> str:
        return reference_label(self.coverage)

    @property
    def licence_label(self) -> str:
        return reference_label(self.licence)


class ImportRun(TimeStampedModel):
    """One attempt to import a file: counts, row errors, outcome, who started it (null for jobs).

    Runs are recorded even when nothing was written (rejected, dry run, unchanged), so the admin can
    see every attempt and each rejected row with its reason.
    """

    release = models.ForeignKey(
        DataRelease, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_runs"
    )
    format = models.CharField(max_length=30, choices=ImportFormat.choices)
    file_name = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("List of {row, message}."))
    summary = models.JSONField(
        default=dict, blank=True, help_text=_("Valid records by year and flow: the dry-run preview.")
    )
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="trade_import_runs"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "-started_at"], name="importrun_status_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


def _cell_constraints() -> list[models.UniqueConstraint]:
    # NULL month (annual) and NULL chapter (all goods) are meaningful values, and NULLs never clash
    # in a plain unique index; one partial unique index per combination makes each cell unique per
    # release on SQLite and PostgreSQL alike.
    base = ["release", "state", "flow", "year"]
    combos = {
        "monthly_chapter": (Q(month__isnull=False, hs_chapter__isnull=False), ["month", "hs_chapter"]),
        "monthly_total": (Q(month__isnull=False, hs_chapter__isnull=True), ["month"]),
        "annual_chapter": (Q(month__isnull=True, hs_chapter__isnull=False), ["hs_chapter"]),
        "annual_total": (Q(month__isnull=True, hs_chapter__isnull=True), []),
    }
    return [
        models.UniqueConstraint(fields=[*base, *extra], condition=condition, name=f"tradeflow_unique_{name}")
        for name, (condition, extra) in combos.items()
    ]


class TradeFlowQuerySet(models.QuerySet):
    def effective(self) -> TradeFlowQuerySet:
        """Rows that win the release-precedence rule (the only ones any figure should sum)."""
        return self.filter(is_effective=True)

    def annual_totals(self) -> TradeFlowQuerySet:
        return self.filter(month__isnull=True, hs_chapter__isnull=True)

    def chapter_detail(self) -> TradeFlowQuerySet:
        return self.filter(hs_chapter__isnull=False)

    def chapter_detail_one_kind(self) -> TradeFlowQuerySet:
        """State × chapter rows with one kind per year: annual chapter cells where a year has them (full
        years by construction), else the monthly detail, so no reader adds the two kinds together."""
        annual_years = (
            TradeFlow.objects.filter(is_effective=True, hs_chapter__isnull=False, month__isnull=True)
            .values("year")
            .distinct()
        )
        return self.filter(hs_chapter__isnull=False).exclude(month__isnull=False, year__in=annual_years)


class TradeFlow(TimeStampedModel):
    """A state's exports to / imports from Canada for a year (and month when known), all goods or one
    HS chapter, in nominal USD, tied to the release it came from.

    `month` NULL = the whole year; `hs_chapter` NULL = all goods. Annual totals and monthly chapter
    detail are different cells and are never added together. `is_effective` is False when a
    higher-precedence release covers the same cell (the row is kept: previous data are never lost).
    """

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="trade_flows")
    flow = models.CharField(max_length=6, choices=Flow.choices)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    hs_chapter = models.ForeignKey(
        HSChapter, on_delete=models.PROTECT, null=True, blank=True, related_name="trade_flows"
    )
    value_usd = models.BigIntegerField()
    release = models.ForeignKey(DataRelease, on_delete=models.PROTECT, related_name="trade_flows")
    is_effective = models.BooleanField(default=True)

    objects = TradeFlowQuerySet.as_manager()

    class Meta:
        ordering = ["state", "year", "month", "flow", "hs_chapter"]
        constraints = [
            *_cell_constraints(),
            models.CheckConstraint(condition=Q(value_usd__gte=0), name="tradeflow_value_not_negative"),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="tradeflow_month_range"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "is_effective", "state"], name="tradeflow_year_state_idx"),
            models.Index(fields=["state", "is_effective", "year"], name="tradeflow_state_year_idx"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.state_id} {self.flow} {period} {self.hs_chapter_id or 'all'}: {self.value_usd}"


class NationalTradeFlow(TimeStampedModel):
    """US total trade with Canada by HS chapter and year (no state detail), for full-year context."""

    flow = models.CharField(max_length=6, choices=Flow.choices)
    year = models.PositiveSmallIntegerField()
    hs_chapter = models.ForeignKey(HSChapter, on_delete=models.PROTECT, related_name="national_trade_flows")
    value_usd = models.BigIntegerField()
    release = models.ForeignKey(DataRelease, on_delete=models.PROTECT, related_name="national_trade_flows")
    is_effective = models.BooleanField(default=True)

    class Meta:
        ordering = ["year", "flow", "hs_chapter"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "year", "flow", "hs_chapter"], name="nationaltradeflow_unique_cell"
            ),
            models.CheckConstraint(condition=Q(value_usd__gte=0), name="nationaltradeflow_value_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "is_effective"], name="nationalflow_year_idx")]

    def __str__(self) -> str:
        return f"US {self.flow} {self.year} {self.hs_chapter_id}: {self.value_usd}"
