"""Exposure snapshots: what a scenario version would cost each state, computed from one base year."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from trade.choices import SnapshotStatus
from trade.models.flows import DataRelease
from trade.models.reference import HSChapter, Pillar, State
from trade.models.scenarios import TariffScenario


class ExposureSnapshotQuerySet(models.QuerySet):
    def current(self) -> ExposureSnapshotQuerySet:
        return self.filter(is_current=True, status=SnapshotStatus.READY)


class ExposureSnapshot(TimeStampedModel):
    """One computation of exposure figures for a scenario version and base year.

    Figures are written while `status` is building and `is_current` is False; the switch to current
    happens in the same transaction that passes the checks, so readers never see a half-built
    snapshot and a refresh that dies leaves the previous snapshot current. Past snapshots are kept.
    """

    scenario = models.ForeignKey(TariffScenario, on_delete=models.PROTECT, related_name="snapshots")
    base_year = models.PositiveSmallIntegerField()
    base_months = models.PositiveSmallIntegerField(default=12)
    status = models.CharField(max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.BUILDING)
    is_current = models.BooleanField(default=False)
    trigger = models.CharField(max_length=200, blank=True)
    checks = models.JSONField(default=list, blank=True)
    figure_count = models.PositiveIntegerField(default=0)
    releases = models.ManyToManyField(DataRelease, related_name="snapshots", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    regime_date = models.DateField(null=True, blank=True, help_text=_("The date whose measures were applied."))
    assumptions = models.JSONField(
        default=dict, blank=True, help_text=_("USMCA utilization used, jobs ratio, channels not modelled.")
    )

    objects = ExposureSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario"], condition=Q(is_current=True), name="exposuresnapshot_one_current"
            ),
        ]
        indexes = [models.Index(fields=["scenario", "is_current"], name="snapshot_current_idx")]

    def __str__(self) -> str:
        return f"{self.scenario} {self.base_year} #{self.pk} ({self.status})"

    @property
    def gdp_year(self) -> int | None:
        """The year of the state GDP the shares of GDP divide by: the base year's or the nearest one held
        (the bundled GDP is 2022), so a page can say which years a share combines. Snapshots built before
        the year was recorded in the assumptions read it from their "GDP year" check."""
        recorded = (self.assumptions or {}).get("gdp_year")
        if recorded is not None:
            return int(recorded)
        for item in self.checks or []:
            if item.get("name") == "GDP year" and item.get("ok"):
                found = re.search(r"state GDP of (\d{4})", item.get("detail", ""))
                if found:
                    return int(found.group(1))
        return None

    @property
    def gdp_share_years(self) -> str:
        """'2023 trade ÷ 2022 GDP' (or '2022 trade and GDP'), for every label of a share of GDP."""
        if self.gdp_year is None:
            return ""
        if self.gdp_year == self.base_year:
            return _("%(year)s trade and GDP") % {"year": self.base_year}
        return _("%(trade)s trade ÷ %(gdp)s GDP") % {"trade": self.base_year, "gdp": self.gdp_year}


class ExposureFigure(models.Model):
    """Exposure of one state under a snapshot: total (pillar and chapter NULL), per pillar or per chapter.

    Money in nominal USD of the base year; shares are fractions of the state's GDP (NULL when no GDP).
    `rank` orders states by us_duty_cost + counter_duty_exposure (1 = most exposed; NULL for DU).
    """

    snapshot = models.ForeignKey(ExposureSnapshot, on_delete=models.CASCADE, related_name="figures")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="exposure_figures")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    hs_chapter = models.ForeignKey(HSChapter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_partial_chapter = models.BooleanField(default=False)
    imports_from_canada = models.DecimalField(max_digits=20, decimal_places=2)
    exports_to_canada = models.DecimalField(max_digits=20, decimal_places=2)
    us_duty_cost = models.DecimalField(max_digits=20, decimal_places=2)
    counter_duty_exposure = models.DecimalField(max_digits=20, decimal_places=2)
    exports_at_risk_low = models.DecimalField(max_digits=20, decimal_places=2)
    exports_at_risk_central = models.DecimalField(max_digits=20, decimal_places=2)
    exports_at_risk_high = models.DecimalField(max_digits=20, decimal_places=2)
    jobs_at_risk_low = models.DecimalField(max_digits=20, decimal_places=6)
    jobs_at_risk_central = models.DecimalField(max_digits=20, decimal_places=6)
    jobs_at_risk_high = models.DecimalField(max_digits=20, decimal_places=6)
    two_way_trade_share_of_gdp = models.DecimalField(max_digits=14, decimal_places=10, null=True, blank=True)
    duty_cost_share_of_gdp = models.DecimalField(max_digits=14, decimal_places=10, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "rank", "state"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "state"],
                condition=Q(pillar__isnull=True, hs_chapter__isnull=True),
                name="exposurefigure_unique_total",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "state", "pillar"],
                condition=Q(pillar__isnull=False),
                name="exposurefigure_unique_pillar",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "state", "hs_chapter"],
                condition=Q(hs_chapter__isnull=False),
                name="exposurefigure_unique_chapter",
            ),
            models.CheckConstraint(
                condition=Q(pillar__isnull=True) | Q(hs_chapter__isnull=True), name="exposurefigure_pillar_or_chapter"
            ),
        ]
        indexes = [
            models.Index(fields=["snapshot", "pillar", "hs_chapter", "rank"], name="exposurefigure_level_idx"),
            models.Index(fields=["state", "snapshot"], name="exposurefigure_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.state_id} {self.pillar_id or ''}{self.hs_chapter_id or ''}"

    @property
    def jobs_supported_by_exports(self):
        """Jobs supported by these exports to Canada (base year × the scenario's jobs ratio), unrounded.
        Needs `snapshot__scenario` loaded (the list selectors select it)."""
        return self.exports_to_canada * self.snapshot.scenario.jobs_per_billion_usd / 1_000_000_000
