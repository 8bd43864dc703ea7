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


class Flow(models.TextChoices):
    EXPORT = "export", _("Exports to Canada")
    IMPORT = "import", _("Imports from Canada")


class ImportFormat(models.TextChoices):
    BTS_DOT2 = "bts-dot2", _("BTS TransBorder raw monthly DOT2 CSV")
    BTS_ANNUAL = "bts-annual", _("BTS state × year totals CSV")
    BTS_STATE_HS2_MONTHLY = "bts-state-hs2-monthly", _("BTS state × HS chapter × month CSV (gzip allowed)")
    BTS_STATE_HS2_ANNUAL = "bts-state-hs2-annual", _("BTS state × HS chapter × year CSV (full years only)")
    BTS_NATIONAL_HS2 = "bts-national-hs2", _("BTS national HS chapter × year CSV")
    CENSUS_STATEHS = "census-statehs", _("US Census international trade API JSON (statehs)")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    PARTIAL = "partial", _("Succeeded, invalid rows skipped")
    REJECTED = "rejected", _("Rejected: nothing written")
    UNCHANGED = "unchanged", _("Unchanged: same file already imported")
    DRY_RUN = "dry_run", _("Dry run: nothing written")
    FAILED = "failed", _("Failed")


class SnapshotStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed checks")
    ABANDONED = "abandoned", _("Abandoned (interrupted)")


class MeasureSide(models.TextChoices):
    US = "us", _("United States (duty on Canadian goods)")
    CANADA = "canada", _("Canada (surtax on US goods)")


class MeasureAuthority(models.TextChoices):
    IEEPA = "ieepa", _("IEEPA (International Emergency Economic Powers Act)")
    SECTION_232 = "section_232", _("Section 232 (Trade Expansion Act of 1962)")
    SECTION_122 = "section_122", _("Section 122 (Trade Act of 1974)")
    SECTION_301 = "section_301", _("Section 301 (Trade Act of 1974)")
    SECTION_201 = "section_201", _("Section 201 (Trade Act of 1974)")
    AD_CVD = "ad_cvd", _("Anti-dumping / countervailing duties")
    MFN = "mfn", _("MFN (column 1 general rates)")
    CANADA_SURTAX = "canada_surtax", _("Canadian surtax order (Customs Tariff)")
    OTHER = "other", _("Other")


class UsmcaTreatment(models.TextChoices):
    EXEMPT = "exempt", _("USMCA-qualifying goods exempt")
    NOT_EXEMPT = "not_exempt", _("No USMCA exemption")
    NON_US_CONTENT_ONLY = "non_us_content_only", _("USMCA-qualifying goods pay on non-US content only")


class MeasureStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")
    ANNOUNCED = "announced", _("Announced, not in force")
    HYPOTHETICAL = "hypothetical", _("Hypothetical (scenario only)")


class MeasureEndReason(models.TextChoices):
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")
    STRUCK_DOWN = "struck_down", _("Struck down")


class OverlayAction(models.TextChoices):
    ADD = "add", _("Add a measure")
    REMOVE = "remove", _("Remove a measure")
    CHANGE = "change", _("Change a measure's rate or USMCA treatment")
    USMCA_UTILIZATION = "usmca_utilization", _("Override the USMCA utilization share")
