"""Reference data for trade: states, HS chapters and the envoy's pillars."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_active_language
from core.models import TimeStampedModel
from trade.choices import CensusRegion, Confidence, HSLevel
from trade.labels import reference_label


class State(TimeStampedModel):
    """A US state, DC, Puerto Rico, or BTS's unknown-state bucket `DU` (kept so national totals add up).

    Reference data: rows are protected from deletion by every table that points to them.
    """

    code = models.CharField(_("postal code"), max_length=2, unique=True)
    fips = models.CharField(_("FIPS code"), max_length=2, blank=True)
    name = models.CharField(_("name"), max_length=60)
    census_region = models.CharField(_("Census region"), max_length=20, choices=CensusRegion.choices, blank=True)
    census_division = models.CharField(_("Census division"), max_length=40, blank=True)
    is_battleground_2024 = models.BooleanField(_("2024 battleground"), default=False)
    battleground_source = models.CharField(max_length=300, blank=True)
    is_pseudo = models.BooleanField(
        _("statistical bucket"), default=False, help_text=_("True for BTS's unknown-state code DU.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def battleground_source_label(self) -> str:
        """The bundled source of the battleground flag, in the reader's language (it is in the catalogue)."""
        return reference_label(self.battleground_source)


class StateEconomics(TimeStampedModel):
    """GDP (nominal USD) and population of a state for one year, with its source."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="economics")
    year = models.PositiveSmallIntegerField()
    gdp_usd = models.DecimalField(max_digits=18, decimal_places=0)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["state", "-year"]
        constraints = [models.UniqueConstraint(fields=["state", "year"], name="stateeconomics_unique_state_year")]

    def __str__(self) -> str:
        return f"{self.state.code} {self.year}"


class HSChapter(TimeStampedModel):
    """A Harmonized System chapter (01–99) with its official short name."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=300)
    name_fr = models.CharField(_("name in French"), max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_active_language(self.name, self.name_fr)


class Pillar(TimeStampedModel):
    """One of the envoy's pillars (energy, critical minerals, autos, ...)."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_partial_chapter_approximation = models.BooleanField(
        default=False,
        help_text=_(
            "True when the pillar is defined by codes finer than a chapter, so its chapter-level "
            "figures include whole chapters that hold those codes (an over-estimate)."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the bundled pillars are in the catalogue)."""
        return reference_label(self.name)


class PillarHSCode(TimeStampedModel):
    """An HS code (chapter, heading or subheading) that belongs to a pillar, as listed in the source map.

    The trade data is by chapter; `chapter` is the chapter that holds the code. When the code is finer
    than a chapter, figures for the pillar are a partial-chapter approximation (`is_partial_chapter`).
    """

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="hs_codes")
    hs_code = models.CharField(max_length=10)
    hs_level = models.CharField(max_length=3, choices=HSLevel.choices)
    chapter = models.ForeignKey(HSChapter, on_delete=models.PROTECT, related_name="pillar_codes")
    description = models.CharField(max_length=500, blank=True)
    basis = models.CharField(max_length=500, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    source_group = models.CharField(
        max_length=40, blank=True, help_text=_("The pillar key as written in the source map (e.g. energy_nuclear).")
    )
    counts_at_chapter_level = models.BooleanField(
        default=True,
        help_text=_(
            "Whether this code's chapter is counted in the pillar's chapter-level figures "
            "(trade data are by HS chapter). Finer codes are kept for when finer data arrive."
        ),
    )

    class Meta:
        ordering = ["pillar", "hs_code"]
        constraints = [models.UniqueConstraint(fields=["pillar", "hs_code"], name="pillarhscode_unique_pillar_code")]

    @property
    def is_partial_chapter(self) -> bool:
        return self.hs_level != HSLevel.HS2

    def __str__(self) -> str:
        return f"{self.pillar.code}: {self.hs_code}"
