"""Stakeholders: people, organizations, their roles, relationships and committee seats."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.choices import (
    AssessmentSource,
    CanadianLink,
    Chamber,
    ContactKind,
    ImportKind,
    ImportStatus,
    MergeKind,
    OrganizationType,
    PersonKind,
    RecordSource,
    RelationshipKind,
    SourceChangeStatus,
    Stance,
)
from contacts.normalize import contact_value_key, organization_name_key, person_name_key
from core import audit
from core.models import TimeStampedModel, VersionedModel
from core.permissions import VisibleToQuerySet

# A term's end is shown this many days ahead (person page, lists, ranking).
TERM_ENDING_NOTICE_DAYS = 90


class Tag(TimeStampedModel):
    """A free label staff put on people and organizations (e.g. "border caucus")."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(VisibleToQuerySet):
    def with_list_relations(self) -> PersonQuerySet:
        """What the list page, the API list and exports show for each row, in a fixed number of queries."""
        return self.select_related("owner").prefetch_related(
            "states",
            "pillars",
            "tags",
            models.Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.select_related("committee").order_by("committee__code"),
            ),
            models.Prefetch(
                "positions",
                queryset=Position.objects.filter(is_current=True).select_related("organization"),
                to_attr="current_positions",
            ),
        )

    def with_detail_relations(self) -> PersonQuerySet:
        """Everything the person page shows."""
        return self.with_list_relations().prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.select_related("organization")),
            "contact_points",
            models.Prefetch("stance_history", queryset=StanceEntry.objects.select_related("set_by")),
            models.Prefetch("influence_history", queryset=InfluenceEntry.objects.select_related("set_by")),
            models.Prefetch(
                "source_changes",
                queryset=SourceChange.objects.filter(status=SourceChangeStatus.PENDING),
                to_attr="pending_source_changes",
            ),
            models.Prefetch(
                "relationships_out",
                queryset=Relationship.objects.select_related("to_person", "to_organization"),
            ),
            models.Prefetch("relationships_in", queryset=Relationship.objects.select_related("from_person")),
            models.Prefetch("merge_records", queryset=MergeRecord.objects.select_related("actor")),
            models.Prefetch("successions", queryset=OfficeTransition.objects.select_related("successor")),
            models.Prefetch("accessions", queryset=OfficeTransition.objects.select_related("predecessor")),
        )


class Person(VersionedModel, TimeStampedModel):
    """A stakeholder: a governor, member of Congress, business leader, association head, official...

    Public fields (office, party, term, committees) come from imports and are refreshed by them;
    staff fields (stance, influence, owner, tags, notes, extra contact points) are never overwritten
    by an import.
    """

    honorific = models.CharField(_("honorific"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80)
    suffix = models.CharField(_("suffix"), max_length=20, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=120, blank=True)
    full_name = models.CharField(_("full name"), max_length=250, db_index=True)
    name_key = models.CharField(
        _("normalised name"), max_length=200, blank=True, db_index=True, editable=False,
        help_text=_("First and last name, lower-case ASCII: used to find likely duplicates."),
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=20, choices=PersonKind.choices, default=PersonKind.OTHER)
    title = models.CharField(_("title"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), blank=True)

    # Public office (from imports).
    office = models.CharField(_("office"), max_length=120, blank=True)
    party = models.CharField(_("party"), max_length=40, blank=True)
    chamber = models.CharField(_("chamber"), max_length=3, choices=Chamber.choices, blank=True)
    district = models.CharField(_("district"), max_length=10, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    is_current_office_holder = models.BooleanField(_("current office holder"), default=False, db_index=True)
    bioguide_id = models.CharField(_("Bioguide id"), max_length=20, unique=True, null=True, blank=True)
    openstates_id = models.CharField(_("Open States id"), max_length=80, unique=True, null=True, blank=True)
    external_ids = models.JSONField(_("other external ids"), default=dict, blank=True)

    states = models.ManyToManyField("trade.State", related_name="people", blank=True)
    pillars = models.ManyToManyField("trade.Pillar", related_name="people", blank=True)

    # Staff-owned fields.
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices, default=Stance.UNKNOWN, db_index=True)
    influence = models.PositiveSmallIntegerField(
        _("influence"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    influence_rationale = models.TextField(_("influence rationale"), blank=True)
    # Derived from the public record (office, committee seats, organization) by
    # `contacts.services.public_influence_refresh` with `InfluenceWeights`; the ranking uses it only
    # while staff have not rated the person (`influence`).
    public_influence = models.FloatField(_("influence from the public record"), null=True, blank=True, editable=False)
    public_influence_basis = models.CharField(
        _("basis of the public-record influence"), max_length=300, blank=True, editable=False
    )
    # The same reasons as [catalogue message, values] pairs (contacts.influence), read in each reader's
    # language; empty on rows scored before they were kept, which then read the English basis.
    public_influence_reasons = models.JSONField(default=list, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_people",
        verbose_name=_("relationship owner"),
    )
    tags = models.ManyToManyField(Tag, related_name="people", blank=True)
    notes = models.TextField(_("staff notes"), blank=True)

    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.STAFF)
    source_detail = models.CharField(_("source detail"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False, db_index=True)
    field_owners = models.JSONField(
        _("field ownership"), default=dict, blank=True, editable=False,
        help_text=_("Per field: who set the current value, a public release or staff (see contacts.ownership)."),
    )  # fmt: skip

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__gte=1, influence__lte=5),
                name="person_influence_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["kind", "is_current_office_holder"], name="person_kind_current_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        # The derived keys are part of the row, so every save path (forms, admin, services) keeps them right.
        self.refresh_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "full_name", "name_key"}
        super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        if not self.full_name:
            parts = [self.first_name, self.middle_name, self.last_name]
            self.full_name = " ".join(p for p in parts if p) + (f", {self.suffix}" if self.suffix else "")
        self.name_key = person_name_key(first_name=self.preferred_name or self.first_name, last_name=self.last_name)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    @property
    def district_label(self) -> str:
        """The House district in words: "at-large" for a state's single seat (district 0 in the data)."""
        if self.chamber != Chamber.HOUSE or not self.district:
            return ""
        return str(_("at-large")) if self.district.lstrip("0") == "" else str(_("district %s") % self.district)

    def term_ending_on(self, today: dt.date | None = None) -> dt.date | None:
        """The end of a current office holder's term when it is at most `TERM_ENDING_NOTICE_DAYS` away.

        Shown beside the person so staff know a seat may change hands; the data says when the term
        ends, not whether the person was re-elected.
        """
        today = today or timezone.localdate()
        end = self.term_end
        if not self.is_current_office_holder or end is None:
            return None
        return end if today <= end <= today + dt.timedelta(days=TERM_ENDING_NOTICE_DAYS) else None

    @property
    def term_ending(self) -> dt.date | None:
        return self.term_ending_on()


@audit.track()
class InfluenceWeights(TimeStampedModel):
    """Points (on the 0–5 influence scale) that each fact of the public record adds (one row, edited in admin).

    A person's influence from the public record is their office's points plus those of their seats on
    the committees that decide trade, their chamber's majority, their years in the current term and,
    for business and association leaders, the size and sector of their organization, capped at 5.
    Staff ratings (`Person.influence`) always win. The defaults are set by a data migration and
    documented in docs/stakeholders.md; saving the row through the admin recomputes everyone.
    """

    governor = models.DecimalField(_("governor"), max_digits=4, decimal_places=2, default=4)
    senator = models.DecimalField(_("U.S. senator"), max_digits=4, decimal_places=2, default=3.5)
    representative = models.DecimalField(_("U.S. representative"), max_digits=4, decimal_places=2, default=2)
    delegate = models.DecimalField(_("delegate to the House"), max_digits=4, decimal_places=2, default=1)
    state_official = models.DecimalField(
        _("lieutenant governor or state official"), max_digits=4, decimal_places=2, default=1.5
    )
    organization_leader = models.DecimalField(
        _("business or association leader"), max_digits=4, decimal_places=2, default=1.5
    )
    committee_chair = models.DecimalField(_("chair of a trade committee"), max_digits=4, decimal_places=2, default=1.5)
    committee_ranking_member = models.DecimalField(
        _("ranking member of a trade committee"), max_digits=4, decimal_places=2, default=1
    )
    committee_seat = models.DecimalField(_("seat on a trade committee"), max_digits=4, decimal_places=2, default=0.5)
    subcommittee_chair = models.DecimalField(
        _("chair of a trade subcommittee"), max_digits=4, decimal_places=2, default=0.75
    )
    subcommittee_ranking_member = models.DecimalField(
        _("ranking member of a trade subcommittee"), max_digits=4, decimal_places=2, default=0.5
    )
    subcommittee_seat = models.DecimalField(
        _("seat on a trade subcommittee"), max_digits=4, decimal_places=2, default=0.25
    )
    majority_party = models.DecimalField(
        _("member of the chamber's majority party"), max_digits=4, decimal_places=2, default=0.25
    )
    per_year_in_term = models.DecimalField(
        _("each full year in the current term (up to 5)"), max_digits=4, decimal_places=2, default=0.1
    )
    large_organization = models.DecimalField(
        _("organization with 10,000 or more employees"), max_digits=4, decimal_places=2, default=1
    )
    mid_organization = models.DecimalField(
        _("organization with 1,000 to 9,999 employees"), max_digits=4, decimal_places=2, default=0.5
    )
    trade_sector = models.DecimalField(
        _("organization in a trade pillar's sector"), max_digits=4, decimal_places=2, default=0.5
    )

    class Meta:
        verbose_name = _("influence weights")
        verbose_name_plural = _("influence weights")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="influenceweights_singleton")]

    def __str__(self) -> str:
        return str(_("Influence weights"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> InfluenceWeights:
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


class AssessmentEntry(TimeStampedModel):
    """A dated observation of a staff judgement about a person (stance, influence).

    `set_at` is when the judgement was observed (a meeting's date for an interaction), `recorded_at`
    when it was written down. The person's current value is the entry observed last, ties broken by
    the one recorded last, so an entry that arrives late with an older date never overrides a newer
    one (contacts.assessments owns that rule).
    """

    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("observed at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    source = models.CharField(
        _("source"), max_length=20, choices=AssessmentSource.choices, default=AssessmentSource.STAFF_EDIT
    )
    reason = models.TextField(blank=True)

    # Audit history: shown on the person's page too.
    audit_parents = ("person",)

    class Meta:
        abstract = True
        ordering = ["-set_at", "-recorded_at", "-id"]


class StanceEntry(AssessmentEntry):
    """One dated entry in a person's stance history: who set it, when, from where and why."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stance_history")
    stance = models.CharField(max_length=12, choices=Stance.choices)

    class Meta(AssessmentEntry.Meta):
        verbose_name_plural = "stance entries"
        indexes = [models.Index(fields=["person", "-set_at", "-recorded_at"], name="stanceentry_current_idx")]

    def __str__(self) -> str:
        return f"{self.person}: {self.stance} ({self.set_at:%Y-%m-%d})"


class InfluenceEntry(AssessmentEntry):
    """One dated entry in a person's influence history (1 to 5, or cleared)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="influence_history")
    influence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rationale = models.TextField(blank=True)

    class Meta(AssessmentEntry.Meta):
        verbose_name_plural = "influence entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__gte=1, influence__lte=5),
                name="influenceentry_influence_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["person", "-set_at", "-recorded_at"], name="influenceentry_current_idx")]

    def __str__(self) -> str:
        return f"{self.person}: influence {self.influence or '—'} ({self.set_at:%Y-%m-%d})"


class OrganizationQuerySet(VisibleToQuerySet):
    def with_list_relations(self) -> OrganizationQuerySet:
        return self.select_related("hq_state", "owner", "parent").prefetch_related("pillars", "tags", "states")

    def with_detail_relations(self) -> OrganizationQuerySet:
        return self.with_list_relations().prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.select_related("person")),
            models.Prefetch("state_presence", queryset=OrganizationStatePresence.objects.select_related("state")),
            "contact_points",
            "children",
            models.Prefetch("relationships_in", queryset=Relationship.objects.select_related("from_person")),
            models.Prefetch("merge_records", queryset=MergeRecord.objects.select_related("actor")),
            models.Prefetch(
                "source_changes",
                queryset=SourceChange.objects.filter(status=SourceChangeStatus.PENDING),
                to_attr="pending_source_changes",
            ),
        )


class Organization(VersionedModel, TimeStampedModel):
    """A company, association, office or agency the envoy works with."""

    name = models.CharField(_("name"), max_length=250, db_index=True)
    name_key = models.CharField(_("normalised name"), max_length=250, blank=True, db_index=True, editable=False)
    org_type = models.CharField(_("type"), max_length=30, choices=OrganizationType.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    hq_state = models.ForeignKey(
        "trade.State", on_delete=models.PROTECT, null=True, blank=True, related_name="headquartered_organizations"
    )
    states = models.ManyToManyField(
        "trade.State", through="OrganizationStatePresence", related_name="organizations", blank=True
    )
    pillars = models.ManyToManyField("trade.Pillar", related_name="organizations", blank=True)
    canadian_link = models.CharField(_("Canadian link"), max_length=20, choices=CanadianLink.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_organizations"
    )
    tags = models.ManyToManyField(Tag, related_name="organizations", blank=True)
    notes = models.TextField(_("staff notes"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.STAFF)
    source_detail = models.CharField(_("source checked against"), max_length=500, blank=True)
    external_ids = models.JSONField(default=dict, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False, db_index=True)
    field_owners = models.JSONField(
        _("field ownership"), default=dict, blank=True, editable=False,
        help_text=_("Per field: who set the current value, a public release or staff (see contacts.ownership)."),
    )  # fmt: skip

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = organization_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


class OrganizationStatePresence(TimeStampedModel):
    """A state where an organization operates, with its employee count there when known."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="state_presence")
    state = models.ForeignKey("trade.State", on_delete=models.PROTECT, related_name="organization_presence")
    employees = models.PositiveIntegerField(null=True, blank=True)
    employees_source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "state"], name="orgpresence_unique_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.state.code}"


class ContactPoint(TimeStampedModel):
    """An email, phone, scheduler, assistant or address of a person or an organization."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="contact_points")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contact_points"
    )
    kind = models.CharField(max_length=12, choices=ContactKind.choices)
    label = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=500)
    value_key = models.CharField(max_length=500, blank=True, editable=False)
    is_preferred = models.BooleanField(default=False)
    source = models.CharField(max_length=20, choices=RecordSource.choices, default=RecordSource.STAFF)

    # Audit history: shown on the person's or organization's page too.
    audit_parents = ("person", "organization")

    class Meta:
        ordering = ["-is_preferred", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="contactpoint_one_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "value"], name="contactpoint_kind_value_idx"),
            models.Index(fields=["value_key"], name="contactpoint_value_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value_key = contact_value_key(kind=self.kind, value=self.value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "value_key"}
        super().save(*args, **kwargs)


class Position(TimeStampedModel):
    """A person's role at an organization; a person can hold several at once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True, db_index=True)
    field_owners = models.JSONField(
        _("field ownership"), default=dict, blank=True, editable=False,
        help_text=_("Per field: who set the current value, a public release or staff (see contacts.ownership)."),
    )  # fmt: skip

    # Audit history: shown on the person's and the organization's pages too.
    audit_parents = ("person", "organization")

    class Meta:
        ordering = ["-is_current", "-start_date", "id"]

    def __str__(self) -> str:
        return f"{self.person} — {self.title}, {self.organization}"


class Relationship(TimeStampedModel):
    """A typed, dated, directed edge from a person to a person or an organization."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_out")
    to_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_in"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_in"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    strength = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    # Audit history: shown on the pages of both ends too.
    audit_parents = ("from_person", "to_person", "to_organization")

    class Meta:
        ordering = ["-strength", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_person__isnull=False) & Q(to_organization__isnull=True))
                | (Q(to_person__isnull=True) & Q(to_organization__isnull=False)),
                name="relationship_one_target",
            ),
            models.CheckConstraint(condition=Q(strength__gte=1, strength__lte=5), name="relationship_strength_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} {self.get_kind_display()} {self.to_person or self.to_organization}"


class OfficeTransitionQuerySet(VisibleToQuerySet):
    def due(self, day: dt.date) -> OfficeTransitionQuerySet:
        """Transitions whose date has come and that have not been rolled over yet."""
        return self.filter(takes_office_on__lte=day, rolled_over_at__isnull=True)


class OfficeTransition(TimeStampedModel):
    """Who comes next in an office: the successor takes the predecessor's office on a date.

    Recorded by staff (or a newer public file), with the source that says so. On its date the daily
    job rolls the office over (`contacts.services.transitions_roll_over`): the successor becomes the
    current office holder, the predecessor a former one; both changes are in their histories.
    """

    predecessor = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="successions", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="accessions", verbose_name=_("successor")
    )
    takes_office_on = models.DateField(_("takes office on"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rolled_over_at = models.DateTimeField(_("rolled over at"), null=True, blank=True)

    objects = OfficeTransitionQuerySet.as_manager()

    # Audit history: shown on both people's pages.
    audit_parents = ("predecessor", "successor")

    class Meta:
        ordering = ["takes_office_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="office_transition_once"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="office_transition_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.takes_office_on:%Y-%m-%d})"


class Committee(TimeStampedModel):
    """A congressional committee or subcommittee (e.g. HSWM, SSFI) by its official id."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=250)
    chamber = models.CharField(max_length=3, choices=Chamber.choices, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="subcommittees")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommitteeMembership(TimeStampedModel):
    """A member of Congress's seat on a committee: party side, rank and title."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="committee_memberships")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    party_side = models.CharField(max_length=10, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["committee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["person", "committee"], name="committeemembership_unique_person_committee")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.committee.code}"


class SavedSegmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> SavedSegmentQuerySet:
        """A user's own segments and the ones colleagues shared."""
        from core.roles import role_of

        if role_of(user) is None:
            return self.none()
        return self.filter(Q(owner=user) | Q(shared=True))


class SavedSegment(TimeStampedModel):
    """A named stakeholder filter (the list page's query) that staff re-apply and campaigns reuse."""

    name = models.CharField(_("name"), max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_segments")
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    shared = models.BooleanField(_("shared with the team"), default=False)
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = SavedSegmentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="savedsegment_unique_owner_name")]

    def __str__(self) -> str:
        return self.name


class MergeRecord(TimeStampedModel):
    """The history of a merge: which record was kept, what the removed duplicate was, what moved."""

    kind = models.CharField(max_length=12, choices=MergeKind.choices)
    kept_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="merge_records"
    )
    kept_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="merge_records"
    )
    duplicate_id = models.PositiveBigIntegerField()
    duplicate_label = models.CharField(max_length=250)
    duplicate_snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict, help_text=_("Rows moved per related table."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_merges"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} merge: {self.duplicate_label} → {self.kept_person or self.kept_organization}"


def _import_upload_path(instance: SpreadsheetImport, filename: str) -> str:
    # The stored name is the random token, never the user's file name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"contact-imports/{instance.token}.{suffix}"


class SpreadsheetImport(TimeStampedModel):
    """An uploaded people/organizations spreadsheet, kept server-side between preview and confirmation.

    The file is addressed only by its random token and is never served back; `preview` holds the
    per-row outcome shown to the user, and nothing is written to stakeholder tables until `applied`.
    """

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file = models.FileField(upload_to=_import_upload_path)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="contact_imports"
    )
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    preview = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class SourceChangeQuerySet(VisibleToQuerySet):
    def pending(self) -> SourceChangeQuerySet:
        return self.filter(status=SourceChangeStatus.PENDING)

    def with_list_relations(self) -> SourceChangeQuerySet:
        return self.select_related("person", "organization", "position__person", "position__organization")


class SourceChange(TimeStampedModel):
    """A public release's new value for a field staff changed: kept aside for a Lead to review.

    A re-import never overwrites a staff value; it records what the source now says here, one
    pending row per record and field (a later release updates it). Accepting writes the source value
    and hands the field back to the source; keeping ours leaves the staff value, and the same source
    value is not raised again.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="source_changes")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="source_changes"
    )
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, null=True, blank=True, related_name="source_changes"
    )
    field = models.CharField(_("field"), max_length=60)
    staff_value = models.JSONField(_("staff value"), null=True, blank=True)
    source_value = models.JSONField(_("source value"), null=True, blank=True)
    release = models.CharField(_("release"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=SourceChangeStatus.choices, default=SourceChangeStatus.PENDING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = SourceChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True) & Q(position__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False) & Q(position__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=True) & Q(position__isnull=False)),
                name="sourcechange_one_record",
            ),
            *(
                models.UniqueConstraint(
                    fields=[owner, "field"],
                    condition=Q(status=SourceChangeStatus.PENDING, **{f"{owner}__isnull": False}),
                    name=f"sourcechange_one_pending_{owner}_field",
                )
                for owner in ("person", "organization", "position")
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="sourcechange_status_idx")]

    def __str__(self) -> str:
        return f"{self.record}: {self.field} ({self.get_status_display()})"

    @property
    def record(self) -> Person | Organization | Position:
        return self.person or self.organization or self.position

    @property
    def field_label(self) -> str:
        return str(type(self.record)._meta.get_field(self.field).verbose_name)


class PublicDataRelease(TimeStampedModel):
    """A bundled public-data file as loaded once: the loader skips a source whose checksum it has seen.

    `label` names the release in field ownership and source changes ("congress sha256:3f2a…").
    """

    source = models.CharField(_("source"), max_length=40)
    checksum = models.CharField(_("SHA-256 of the files"), max_length=64)
    label = models.CharField(_("label"), max_length=200)
    report = models.TextField(_("what the load did"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "checksum"], name="publicdatarelease_unique_source_checksum")
        ]

    def __str__(self) -> str:
        return self.label
