"""Tariff scenarios: versioned sets of duty rates, trade elasticities and a jobs ratio, each sourced."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_active_language
from core.models import TimeStampedModel
from trade.labels import reference_label
from trade.models.reference import HSChapter, Pillar

RATE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]
SHARE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


def _rate_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=7, decimal_places=4, validators=RATE_VALIDATORS, **kwargs)


class TariffScenarioQuerySet(models.QuerySet):
    def current_versions(self) -> TariffScenarioQuerySet:
        return self.filter(is_current_version=True)


class TariffScenario(TimeStampedModel):
    """One version of a tariff scenario. Rates are fractions (0.25 = 25 %).

    Editing a scenario never changes a version in place: `scenario_revise` copies it (and its rates)
    into version n+1 and makes that the current version, so every snapshot computed from the old
    version still says exactly which assumptions produced it. Rates not listed per chapter or pillar
    fall back to the `default_*` rates of the scenario.
    """

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    is_current_version = models.BooleanField(default=True)
    is_default = models.BooleanField(
        _("default scenario"), default=False, help_text=_("The scenario pages use when none is chosen.")
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    effective_date = models.DateField(null=True, blank=True)
    source = models.TextField(help_text=_("What the scenario rests on: orders, notices, lists, with dates."))
    source_url = models.URLField(max_length=500, blank=True)
    rationale = models.TextField(blank=True)
    default_us_rate = _rate_field(_("US duty rate on Canadian goods (default)"), default=Decimal("0"))
    default_usmca_exempt_share = models.DecimalField(
        _("USMCA-exempt share (default)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=SHARE_VALIDATORS,
    )
    usmca_exempt_share_source = models.TextField(blank=True)
    default_ca_rate = _rate_field(_("Canadian counter-duty on US goods (default)"), default=Decimal("0"))
    elasticity_low = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("0.5"))
    elasticity_central = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("1.0"))
    elasticity_high = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("2.0"))
    elasticity_source = models.TextField(blank=True)
    jobs_per_billion_usd = models.DecimalField(
        _("jobs supported per US$1 billion of exports"), max_digits=8, decimal_places=1, default=Decimal("5744")
    )
    jobs_source = models.TextField(blank=True)
    jobs_source_fr = models.TextField(_("jobs-ratio source in French"), blank=True)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    regime_date = models.DateField(
        null=True, blank=True, help_text=_("Built from the tariff measures in force on this date (plus overlays).")
    )
    regime_rolls_forward = models.BooleanField(
        default=False, help_text=_("Built from the measures in force on the day of each refresh.")
    )
    is_historical = models.BooleanField(
        default=False, help_text=_("A hand-made scenario kept as a record; superseded by the dated measures.")
    )

    objects = TariffScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="tariffscenario_unique_slug_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_current_version=True), name="tariffscenario_one_current_version"
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="tariffscenario_one_default"
            ),
            models.CheckConstraint(
                condition=Q(elasticity_low__lte=models.F("elasticity_central"))
                & Q(elasticity_central__lte=models.F("elasticity_high")),
                name="tariffscenario_elasticities_ordered",
            ),
        ]
        indexes = [models.Index(fields=["is_current_version", "name"], name="scenario_current_idx")]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"

    @property
    def label(self) -> str:
        """The name in the reader's language (bundled scenarios are in the catalogue)."""
        return reference_label(self.name)

    @property
    def description_label(self) -> str:
        """The description in the reader's language."""
        return in_active_language(self.description, self.description_fr)

    @property
    def jobs_source_label(self) -> str:
        """The jobs-ratio citation in the reader's language."""
        return in_active_language(self.jobs_source, self.jobs_source_fr)

    @property
    def is_regime(self) -> bool:
        """Built from dated measures rather than hand-set per-chapter rates."""
        return self.regime_rolls_forward or self.regime_date is not None


class ScenarioRate(TimeStampedModel):
    """A rate override for one HS chapter or one pillar in a scenario version.

    Resolution per chapter: a chapter row wins over a pillar row, which wins over the scenario
    defaults. When two pillar rows cover one chapter, the higher US rate wins (documented).
    """

    scenario = models.ForeignKey(TariffScenario, on_delete=models.CASCADE, related_name="rates")
    hs_chapter = models.ForeignKey(
        HSChapter, on_delete=models.PROTECT, null=True, blank=True, related_name="scenario_rates"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="scenario_rates")
    us_rate = _rate_field(_("US duty rate"))
    usmca_exempt_share = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0"), validators=SHARE_VALIDATORS
    )
    ca_rate = _rate_field(_("Canadian counter-duty rate"))
    note = models.CharField(max_length=500, blank=True)

    # Audit history: shown with the scenario on the scenarios page.
    audit_parents = ("scenario",)

    class Meta:
        ordering = ["scenario", "hs_chapter", "pillar"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hs_chapter__isnull=False, pillar__isnull=True)
                | Q(hs_chapter__isnull=True, pillar__isnull=False),
                name="scenariorate_chapter_xor_pillar",
            ),
            models.UniqueConstraint(
                fields=["scenario", "hs_chapter"],
                condition=Q(hs_chapter__isnull=False),
                name="scenariorate_unique_chapter",
            ),
            models.UniqueConstraint(
                fields=["scenario", "pillar"], condition=Q(pillar__isnull=False), name="scenariorate_unique_pillar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.hs_chapter or self.pillar}"


class ScenarioChapterRate(models.Model):
    """The rates of a scenario version resolved for every HS chapter (derived; rebuilt by the engine).

    The exposure engine joins trade rows to this table, so the aggregation runs in the database.
    `risk_factor_*` = 1 − (1 + ca_rate)^(−ε) for the scenario's low/central/high elasticities.
    """

    scenario = models.ForeignKey(TariffScenario, on_delete=models.CASCADE, related_name="chapter_rates")
    hs_chapter = models.ForeignKey(HSChapter, on_delete=models.PROTECT, related_name="resolved_rates")
    us_rate = models.DecimalField(max_digits=7, decimal_places=4)
    usmca_exempt_share = models.DecimalField(max_digits=5, decimal_places=4)
    ca_rate = models.DecimalField(max_digits=7, decimal_places=4)
    us_effective_rate = models.DecimalField(max_digits=12, decimal_places=10)
    risk_factor_low = models.DecimalField(max_digits=12, decimal_places=10)
    risk_factor_central = models.DecimalField(max_digits=12, decimal_places=10)
    risk_factor_high = models.DecimalField(max_digits=12, decimal_places=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "hs_chapter"], name="scenariochapterrate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.hs_chapter_id}"
