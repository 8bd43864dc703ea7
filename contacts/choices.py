from django.db import models
from django.utils.translation import gettext_lazy as _


class Stance(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    SUPPORTIVE = "supportive", _("Supportive")
    NEUTRAL = "neutral", _("Neutral")
    SKEPTICAL = "skeptical", _("Skeptical")
    OPPOSED = "opposed", _("Opposed")
    UNKNOWN = "unknown", _("Unknown")


class RecordSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    PUBLIC_IMPORT = "public_import", _("Public data import")
    SPREADSHEET = "spreadsheet", _("Spreadsheet import")
    SYNTHETIC = "synthetic", _("Synthetic (test/benchmark data)")


class Chamber(models.TextChoices):
    SENATE = "sen", _("Senate")
    HOUSE = "rep", _("House")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    MOBILE = "mobile", _("Mobile")
    FAX = "fax", _("Fax")
    SCHEDULER = "scheduler", _("Scheduler")
    ASSISTANT = "assistant", _("Assistant")
    ADDRESS = "address", _("Office address")
    WEBSITE = "website", _("Website")


class OrganizationType(models.TextChoices):
    GOVERNORS_OFFICE = "governors_office", _("Governor's office")
    STATE_AGENCY = "state_agency", _("State agency")
    STATE_LEGISLATURE = "state_legislature", _("State legislature")
    CONGRESSIONAL_OFFICE = "congressional_office", _("Congressional office")
    COMPANY = "company", _("Company")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
    UNION = "union", _("Union")
    THINK_TANK = "think_tank", _("Think tank")
    CANADIAN_GOVERNMENT = "canadian_government", _("Canadian government office")
    OTHER = "other", _("Other")


class CanadianLink(models.TextChoices):
    NONE = "", _("None known")
    CANADIAN_OWNED = "canadian_owned", _("Canadian-owned")
    MAJOR_SUPPLIER = "major_supplier", _("Major Canadian supplier")
    MAJOR_CUSTOMER = "major_customer", _("Major Canadian customer")


class RelationshipKind(models.TextChoices):
    REPORTS_TO = "reports_to", _("Reports to")
    ADVISES = "advises", _("Advises")
    ALLY_OF = "ally_of", _("Ally of")
    BOARD_MEMBER = "board_member", _("Board member of")
    DONOR_TO = "donor_to", _("Donor to")
    FORMER_COLLEAGUE = "former_colleague", _("Former colleague of")
    KNOWS = "knows", _("Knows")


class PersonKind(models.TextChoices):
    """What kind of stakeholder a person is (the `type` filter on people)."""

    GOVERNOR = "governor", _("Governor")
    LT_GOVERNOR = "lt_governor", _("Lieutenant governor")
    SENATOR = "senator", _("U.S. senator")
    REPRESENTATIVE = "representative", _("U.S. representative")
    DELEGATE = "delegate", _("Delegate to the House")
    STATE_OFFICIAL = "state_official", _("State official")
    BUSINESS_LEADER = "business_leader", _("Business leader")
    ASSOCIATION_LEADER = "association_leader", _("Association leader")
    OFFICIAL = "official", _("Government official")
    OTHER = "other", _("Other")


class MergeKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People")
    ORGANIZATIONS = "organizations", _("Organizations")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class AssessmentSource(models.TextChoices):
    """Where an entry in a person's stance or influence history came from."""

    STAFF_EDIT = "staff_edit", _("Edited by staff")
    INTERACTION = "interaction", _("Observed in an interaction")
    SPREADSHEET = "spreadsheet", _("Spreadsheet import")
    MERGE = "merge", _("Merged record")
    ADMIN = "admin", _("Admin site")


class SourceChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Source value accepted")
    KEPT = "kept", _("Staff value kept")


class StateRole(models.TextChoices):
    """The roles an organization can fill for a state; kept per state in `external_ids["state_roles"]`."""

    CHAMBER = "chamber", _("State chamber of commerce")
    MANUFACTURERS = "manufacturers", _("Manufacturers' association")
    FARM_BUREAU = "farm_bureau", _("Farm Bureau")
