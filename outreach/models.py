"""Outreach: interactions with stakeholders, commitments, follow-ups, campaigns, priority weights."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.choices import Stance
from core import audit
from core.models import TimeStampedModel, VersionedModel
from core.permissions import VisibleToQuerySet
from core.roles import Role, has_role, role_of
from outreach.choices import (
    CommitmentParty,
    CommitmentStatus,
    FollowUpStatus,
    InteractionKind,
    Sentiment,
    TargetSource,
    TargetStatus,
)


def can_read_all_confidential_notes(user) -> bool:
    """Leads and Admins read every confidential note; everyone else only the notes they wrote."""
    return has_role(user, Role.LEAD)


class InteractionQuerySet(VisibleToQuerySet):
    def visible_to(self, user) -> InteractionQuerySet:
        """What `user` may see, with the confidential notes they may read as `visible_confidential_notes`.

        This is the one place that decides who reads confidential notes: pages, the API, search,
        exports and timelines start from it and only ever show `visible_confidential_notes`. For
        anyone who is not Lead or Admin the real column is not even loaded, and searching never
        looks at it.
        """
        queryset = super().visible_to(user)
        if role_of(user) is None:
            return queryset
        if can_read_all_confidential_notes(user):
            return queryset.annotate(
                visible_confidential_notes=F("confidential_notes"),
                confidential_notes_readable=Value(True, output_field=models.BooleanField()),
            )
        return queryset.defer("confidential_notes").annotate(
            visible_confidential_notes=Case(
                When(created_by_id=user.pk, then=F("confidential_notes")),
                default=Value(""),
                output_field=models.TextField(),
            ),
            # Lets the API leave the key out (not merely empty) for readers who may not see it.
            confidential_notes_readable=Case(
                When(created_by_id=user.pk, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def with_list_relations(self) -> InteractionQuerySet:
        return self.select_related("created_by").prefetch_related("people", "organizations", "states", "staff")

    def with_detail_relations(self) -> InteractionQuerySet:
        return self.select_related("created_by", "stance_person").prefetch_related(
            "people", "organizations", "states", "pillars", "staff", "commitments__owner", "follow_ups__assignee"
        )

    def meetings(self) -> InteractionQuerySet:
        from outreach.choices import MEETING_KINDS

        return self.filter(kind__in=MEETING_KINDS)


@audit.track()
class Interaction(VersionedModel, TimeStampedModel):
    """One contact with stakeholders: a meeting, call, email, event, site visit or letter.

    `confidential_notes` are readable by their author and Leads/Admins only: always read interactions
    through `Interaction.objects.visible_to(user)` and show `visible_confidential_notes`.
    Synthetic interactions (tests, benchmarks) may only involve synthetic stakeholders.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=InteractionKind.choices, default=InteractionKind.CALL)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="outreach_interactions", blank=True, verbose_name=_("envoy staff")
    )
    people = models.ManyToManyField(
        "contacts.Person", related_name="interactions", blank=True, verbose_name=_("people")
    )
    organizations = models.ManyToManyField(
        "contacts.Organization", related_name="interactions", blank=True, verbose_name=_("organizations")
    )
    states = models.ManyToManyField(
        "trade.State", related_name="interactions", blank=True, verbose_name=_("states discussed")
    )
    pillars = models.ManyToManyField(
        "trade.Pillar", related_name="interactions", blank=True, verbose_name=_("pillars discussed")
    )
    summary = models.TextField(_("summary"))
    confidential_notes = models.TextField(_("confidential notes"), blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    stance_observed = models.CharField(_("stance observed"), max_length=12, choices=Stance.choices, blank=True)
    stance_confirmed = models.BooleanField(
        _("stance confirmed"),
        default=False,
        help_text=_("When ticked, the observed stance is added to the person's stance history."),
    )
    stance_person = models.ForeignKey(
        "contacts.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stance_interactions",
        verbose_name=_("stance of"),
    )
    asks = models.TextField(_("asks we made"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_interactions",
        verbose_name=_("logged by"),
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False, db_index=True)

    objects = InteractionQuerySet.as_manager()

    # The audit history hides these columns from anyone `audit_can_see_confidential` refuses.
    audit_confidential_fields = ["confidential_notes"]

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="interaction_kind_when_idx"),
            models.Index(fields=["created_by", "occurred_at"], name="interaction_author_when_idx"),
            # Timelines sort one person's interaction ids by date: an index-only read per id.
            models.Index(fields=["id", "occurred_at"], name="interaction_id_when_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @classmethod
    def audit_can_see_confidential(cls, user, obj) -> bool:
        """The same rule as the notes: their author, Leads and Admins."""
        return can_read_all_confidential_notes(user) or (obj is not None and obj.created_by_id == user.pk)

    @property
    def ends_at(self):
        return self.occurred_at + timezone.timedelta(minutes=self.duration_minutes or 30)


@audit.track()
class Commitment(TimeStampedModel):
    """Something promised during an interaction, by the stakeholders or by us, tracked until resolved."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="commitments")
    party = models.CharField(_("made by"), max_length=4, choices=CommitmentParty.choices)
    description = models.CharField(_("commitment"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Who on our team sees it through (ours to keep, or theirs to chase), and by when: listed under
    # "Commitments I own" in My follow-ups. The one who logged it owns it until someone changes that.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_commitments",
        verbose_name=_("owner"),
    )

    # Audit history: shown on the interaction's page too.
    audit_parents = ("interaction",)

    class Meta:
        ordering = ["interaction", "party", "id"]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.description}"


class FollowUpQuerySet(VisibleToQuerySet):
    def with_list_relations(self) -> FollowUpQuerySet:
        return self.select_related("assignee", "person", "organization", "interaction")

    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUpStatus.OPEN)

    def due_by(self, day) -> FollowUpQuerySet:
        return self.open().filter(due_date__lte=day)


@audit.track()
class FollowUp(TimeStampedModel):
    """A task owed after an interaction (or about a stakeholder): what, who, by when; done records who/when."""

    what = models.CharField(_("what"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("assignee")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, db_index=True
    )
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    organization = models.ForeignKey(
        "contacts.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    # Audit history: shown on the pages of the interaction, person or organization it is about.
    audit_parents = ("interaction", "person", "organization")

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_date"], name="followup_mine_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False), name="followup_done_has_completed_at"
            )
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_date < timezone.localdate()


class CampaignQuerySet(VisibleToQuerySet):
    def with_list_relations(self) -> CampaignQuerySet:
        from django.db.models import Count

        counts = {
            f"count_{status}": Count("targets", filter=Q(targets__status=status), distinct=True)
            for status in TargetStatus.values
        }
        return self.select_related("owner").annotate(count_total=Count("targets", distinct=True), **counts)


@audit.track()
class Campaign(TimeStampedModel):
    """A named push (e.g. "Border-state governors, January") with an objective, owner, dates and targets."""

    name = models.CharField(_("name"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_campaigns",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    segment = models.ForeignKey(
        "contacts.SavedSegment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("saved segment"),
        help_text=_("The saved segment targets were last added from."),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTargetQuerySet(VisibleToQuerySet):
    def with_list_relations(self) -> CampaignTargetQuerySet:
        return self.select_related("person", "organization", "last_interaction", "campaign")


@audit.track()
class CampaignTarget(TimeStampedModel):
    """A person or organization a campaign aims at, and how far the campaign has got with them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_targets"
    )
    organization = models.ForeignKey(
        "contacts.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_targets"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=TargetStatus.choices, default=TargetStatus.NOT_CONTACTED, db_index=True
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    last_interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=TargetSource.choices, default=TargetSource.MANUAL)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CampaignTargetQuerySet.as_manager()

    # Audit history: shown on the campaign's page too.
    audit_parents = ("campaign",)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="campaigntarget_one_target",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person"], condition=Q(person__isnull=False), name="campaigntarget_unique_person"
            ),
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(organization__isnull=False),
                name="campaigntarget_unique_org",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="campaigntarget_status_idx")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.person or self.organization}"

    @property
    def target(self):
        return self.person or self.organization


@audit.track()
class PriorityWeights(TimeStampedModel):
    """The weights of the "who to call next" score (one row, edited in admin).

    Each component is scored 0–1; the score is the weighted mean of the components times 100.
    """

    exposure = models.DecimalField(_("state exposure"), max_digits=5, decimal_places=2, default=3)
    influence = models.DecimalField(_("influence"), max_digits=5, decimal_places=2, default=2)
    recency = models.DecimalField(_("time since last contact"), max_digits=5, decimal_places=2, default=2)
    stance = models.DecimalField(_("stance"), max_digits=5, decimal_places=2, default=1)
    battleground = models.DecimalField(_("battleground state"), max_digits=5, decimal_places=2, default=1)
    commitments = models.DecimalField(_("open commitments"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("priority weights")
        verbose_name_plural = _("priority weights")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="priorityweights_singleton")]

    def __str__(self) -> str:
        return str(_("Priority weights"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> PriorityWeights:
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarToken(TimeStampedModel):
    """A user's secret for the ICS calendar feed; only its SHA-256 is stored. Revoking ends the feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token_digest = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendartoken_one_active_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @staticmethod
    def digest(token: str) -> str:
        return _token_digest(token)


class PersonContactStats(TimeStampedModel):
    """Per-person outreach figures kept beside the person so "who to call next" and coverage read columns.

    Derived data, never edited by hand: `outreach.services.contact_stats_refresh` recomputes a person's
    row from their interactions and commitments whenever a service (or the admin) changes them, and
    the `outreach.refresh_contact_stats` job catches up people whose scheduled interaction has since
    taken place. No row means never contacted and no open commitment.
    """

    person = models.OneToOneField(
        "contacts.Person", on_delete=models.CASCADE, primary_key=True, related_name="contact_stats"
    )
    # The latest interaction that had happened when the row was refreshed (scheduled ones are not contact).
    last_contacted_at = models.DateTimeField(_("last contacted"), null=True, blank=True, db_index=True)
    # The earliest interaction still in the future when the row was refreshed: once it is in the past
    # it counts as the last contact until the row is refreshed again.
    next_contact_at = models.DateTimeField(_("next scheduled contact"), null=True, blank=True, db_index=True)
    open_commitments_count = models.PositiveIntegerField(_("open commitments"), default=0)

    class Meta:
        verbose_name = _("person contact figures")
        verbose_name_plural = _("person contact figures")
        # The coverage cache key reads the latest write.
        indexes = [models.Index(fields=["updated_at"], name="contactstats_updated_idx")]

    def __str__(self) -> str:
        return f"Contact figures of person {self.person_id}"


class PriorityScore(models.Model):
    """One person's cached "who to call next" score under the default scenario (derived, never edited).

    `outreach.services.priority_scores_refresh` writes it from the same query the live ranking runs:
    for everyone when `PriorityRanking` is stale (new exposure snapshot, new weights, more than an
    hour old, or people added in bulk), and for the people concerned whenever a service changes their
    contact figures or a person's stance, influence or states change. The ranking reads it only while
    `PriorityRanking` says it is fresh, and computes the scores live otherwise.
    """

    person = models.OneToOneField(
        "contacts.Person", on_delete=models.CASCADE, primary_key=True, related_name="priority_score"
    )
    score = models.FloatField(db_index=True)
    c_exposure = models.FloatField()
    c_influence = models.FloatField()
    c_recency = models.FloatField()
    c_stance = models.FloatField()
    c_battleground = models.FloatField()
    c_commitments = models.FloatField()
    exposure_value = models.FloatField(null=True)
    last_contact_at = models.DateTimeField(null=True)
    open_commitments = models.PositiveIntegerField(default=0)
    in_battleground = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("priority score")
        verbose_name_plural = _("priority scores")

    def __str__(self) -> str:
        return f"Priority score of person {self.person_id}"


class PriorityRanking(models.Model):
    """What the cached `PriorityScore` rows were computed from (one row): the scenario, its exposure
    snapshot, the weights and the time. A mismatch with the current ones makes them stale."""

    scenario = models.ForeignKey("trade.TariffScenario", on_delete=models.SET_NULL, null=True, related_name="+")
    snapshot_id = models.BigIntegerField(null=True)
    weights = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("priority ranking")
        verbose_name_plural = _("priority ranking")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="priorityranking_singleton")]

    def __str__(self) -> str:
        return f"Priority ranking computed at {self.computed_at}"
