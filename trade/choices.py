from django.db import models
from django.utils.translation import gettext_lazy as _


class CensusRegion(models.TextChoices):
    NORTHEAST = "Northeast", _("Northeast")
    MIDWEST = "Midwest", _("Midwest")
    SOUTH = "South", _("South")
    WEST = "West", _("West")
    OTHER = "Other", _("Other / territory")


class PillarCode(models.TextChoices):
    ENERGY = "energy", _("Energy")
    CRITICAL_MINERALS = "critical_minerals", _("Critical minerals")
    AUTOS = "autos", _("Autos")
    STEEL_ALUMINUM = "steel_aluminum", _("Steel & aluminum")
    FORESTRY = "forestry", _("Forestry")
    AGRI_FOOD = "agrifood", _("Agri-food")
    DEFENSE = "defense", _("Defense")


class HSLevel(models.TextChoices):
    HS2 = "HS2", _("HS chapter (2-digit)")
    HS4 = "HS4", _("HS heading (4-digit)")
    HS6 = "HS6", _("HS subheading (6-digit)")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
