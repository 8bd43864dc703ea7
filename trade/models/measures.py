"""Tariff measures: the US and Canadian duties since 2025 as dated, sourced records, and what they depend on.

A regime on a date is the set of measures in force on that date, stacked by their rules (see
`trade.regime`). Scenarios built on a regime add, remove or change measures through overlays.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_active_language
from core.models import TimeStampedModel, VersionedModel
from trade.choices import (
    MeasureAuthority,
    MeasureEndReason,
    MeasureSide,
    MeasureStatus,
    OverlayAction,
    UsmcaTreatment,
)
from trade.models.reference import HSChapter, Pillar, State

SHARE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
RATE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]


class TariffMeasureQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> TariffMeasureQuerySet:
        """Measures whose dates cover `day` (effective_to is the first day it no longer applied).

        Hypothetical and announced-only measures are never in force: overlays bring them in.
        """
        return (
            self.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
            .exclude(status__in=[MeasureStatus.HYPOTHETICAL, MeasureStatus.ANNOUNCED])
        )

    def timeline(self) -> TariffMeasureQuerySet:
        return self.select_related("pillar").order_by(models.F("effective_from").asc(nulls_last=True), "side", "slug")


class TariffMeasure(VersionedModel, TimeStampedModel):
    """One duty with one rate over one period, as an instrument set it (rate changes are new rows of the
    same `family`, the old row ended as superseded), so a regime on any past date can be rebuilt.

    Scope: `scope_chapters` maps HS chapter codes to the share of the chapter's trade value the measure
    covers (the engine works on chapters); `scope_all_chapters_except` instead covers every chapter but
    the listed ones at coverage 1. Finer codes are kept in `scope_hs_codes` for finer data. A measure
    the engine cannot place on chapters honestly has no chapter scope and says why in
    `not_modelled_reason`; pages show that reason rather than a zero.
    `yields_to` lists the families that take precedence: where one of them applies, this one does not.
    """

    slug = models.SlugField(max_length=80, unique=True)
    family = models.SlugField(max_length=80, help_text=_("Successive rates of one measure share a family."))
    side = models.CharField(max_length=10, choices=MeasureSide.choices)
    authority = models.CharField(max_length=20, choices=MeasureAuthority.choices)
    title = models.CharField(max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=250, blank=True)
    instrument = models.CharField(
        max_length=300, help_text=_("Number and title of the instrument, e.g. a proclamation.")
    )
    instrument_citation = models.CharField(
        max_length=200, blank=True, help_text=_("Official citation, e.g. 90 FR 24199.")
    )
    scope_chapters = models.JSONField(default=dict, blank=True)
    scope_all_chapters_except = models.JSONField(null=True, blank=True)
    scope_hs_codes = models.JSONField(default=list, blank=True)
    scope_note = models.TextField(blank=True)
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="measures")
    rate = models.DecimalField(_("ad-valorem rate"), max_digits=7, decimal_places=4, validators=RATE_VALIDATORS)
    usmca_treatment = models.CharField(max_length=24, choices=UsmcaTreatment.choices)
    us_content_share = models.DecimalField(
        _("US content share of qualifying goods"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
        help_text=_("For 'non-US content only': the share of a qualifying good's value that is US content."),
    )
    us_content_source = models.TextField(blank=True)
    yields_to = models.JSONField(default=list, blank=True)
    date_announced = models.DateField(null=True, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(
        null=True, blank=True, help_text=_("First day the measure no longer applied (exclusive).")
    )
    end_reason = models.CharField(max_length=20, choices=MeasureEndReason.choices, blank=True)
    status = models.CharField(max_length=20, choices=MeasureStatus.choices)
    source_url = models.URLField(max_length=500, blank=True)
    source_says = models.TextField(blank=True, help_text=_("What the primary source says, in our words."))
    secondary_sources = models.TextField(blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verification_note = models.TextField(
        blank=True, help_text=_("'not verified' and why, or what was checked against what.")
    )
    not_modelled_reason = models.TextField(blank=True)
    not_modelled_reason_fr = models.TextField(_("why not modelled, in French"), blank=True)
    notes = models.TextField(blank=True)

    objects = TariffMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from", "side", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="tariffmeasure_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | ~Q(end_reason=""),
                name="tariffmeasure_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(usmca_treatment=UsmcaTreatment.NON_US_CONTENT_ONLY) | Q(us_content_share__isnull=False),
                name="tariffmeasure_us_content_share_set",
            ),
        ]
        indexes = [
            models.Index(fields=["effective_from", "effective_to"], name="measure_dates_idx"),
            models.Index(fields=["authority", "side"], name="measure_authority_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"

    @property
    def label(self) -> str:
        """The title in the reader's language."""
        return in_active_language(self.title, self.title_fr)

    @property
    def not_modelled_label(self) -> str:
        """Why the engine does not count this measure, in the reader's language ("" when it does)."""
        return in_active_language(self.not_modelled_reason, self.not_modelled_reason_fr)

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None

    def chapter_coverage(self, chapter_codes: list[str]) -> dict[str, Decimal]:
        """{chapter code: coverage} over the given chapters."""
        if self.scope_all_chapters_except is not None:
            excluded = set(self.scope_all_chapters_except)
            return {code: Decimal(1) for code in chapter_codes if code not in excluded}
        return {code: Decimal(str(value)) for code, value in self.scope_chapters.items() if code in chapter_codes}


class UsmcaUtilization(TimeStampedModel):
    """The share of US imports from Canada (by value) entering under USMCA preference, for a chapter
    group and period, with a low / central / high range. Exempt measures apply to the rest.

    `chapter_group` is "all" or one HS chapter code; a chapter's own row wins over "all".
    """

    chapter_group = models.CharField(max_length=10, default="all")
    period_from = models.DateField()
    period_to = models.DateField(null=True, blank=True, help_text=_("Exclusive; open-ended when empty."))
    low = models.DecimalField(max_digits=5, decimal_places=4, validators=SHARE_VALIDATORS)
    central = models.DecimalField(max_digits=5, decimal_places=4, validators=SHARE_VALIDATORS)
    high = models.DecimalField(max_digits=5, decimal_places=4, validators=SHARE_VALIDATORS)
    source = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verification_note = models.TextField(blank=True)

    class Meta:
        ordering = ["chapter_group", "period_from"]
        constraints = [
            models.UniqueConstraint(fields=["chapter_group", "period_from"], name="usmcautilization_unique_period"),
            models.CheckConstraint(
                condition=Q(low__lte=models.F("central")) & Q(central__lte=models.F("high")),
                name="usmcautilization_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"USMCA utilization {self.chapter_group} from {self.period_from}: {self.central}"


class TariffTimelineReview(TimeStampedModel):
    """A review of the measure timeline: every measure up to `verified_through` was checked against its
    source. The latest review is the one pages name; once it is older than 30 days they say so."""

    verified_through = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-verified_through", "-id"]

    def __str__(self) -> str:
        return f"Tariff timeline verified through {self.verified_through}"


class ScenarioOverlay(TimeStampedModel):
    """One change a scenario makes to the regime on its date: add a (hypothetical) measure, remove one,
    change one's rate or USMCA treatment, or override the USMCA utilization share."""

    scenario = models.ForeignKey("trade.TariffScenario", on_delete=models.CASCADE, related_name="overlays")
    action = models.CharField(max_length=20, choices=OverlayAction.choices)
    measure = models.ForeignKey(TariffMeasure, on_delete=models.PROTECT, null=True, blank=True, related_name="overlays")
    family = models.SlugField(max_length=80, blank=True, help_text=_("Remove: every measure of this family."))
    rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True, validators=RATE_VALIDATORS)
    usmca_treatment = models.CharField(max_length=24, choices=UsmcaTreatment.choices, blank=True)
    usmca_utilization = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, validators=SHARE_VALIDATORS
    )
    note = models.TextField(blank=True)

    audit_parents = ("scenario",)

    class Meta:
        ordering = ["scenario", "id"]

    def __str__(self) -> str:
        return f"{self.scenario_id}: {self.action} {self.measure_id or self.family}"


class ScenarioMeasureRate(models.Model):
    """A measure's effective rate on one HS chapter under a scenario (derived; rebuilt by the engine):
    rate × coverage left after the measures it yields to × the dutiable share after USMCA treatment."""

    scenario = models.ForeignKey("trade.TariffScenario", on_delete=models.CASCADE, related_name="measure_rates")
    measure = models.ForeignKey(TariffMeasure, on_delete=models.PROTECT, related_name="+")
    hs_chapter = models.ForeignKey(HSChapter, on_delete=models.PROTECT, related_name="measure_rates")
    effective_rate = models.DecimalField(max_digits=12, decimal_places=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "measure", "hs_chapter"], name="scenariomeasurerate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.measure_id}/{self.hs_chapter_id}"


class ExposureMeasureFigure(models.Model):
    """What one measure costs one state under a snapshot: US measures on imports from Canada (duty),
    Canadian measures on exports to Canada (counter-duty). Money in nominal USD of the base year."""

    snapshot = models.ForeignKey("trade.ExposureSnapshot", on_delete=models.CASCADE, related_name="measure_figures")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(TariffMeasure, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        ordering = ["snapshot", "state", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "state", "measure"], name="exposuremeasurefigure_unique")
        ]
        indexes = [models.Index(fields=["snapshot", "state"], name="measurefigure_state_idx")]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.state_id} {self.measure_id}"
