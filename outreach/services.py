"""Outreach writes: logging interactions, follow-ups, campaigns and their targets, calendar tokens.

Every function here owns its transaction; follow-on work is queued with `job_enqueue` so it runs
after commit. Synthetic interactions (tests, benchmarks) may only involve synthetic stakeholders,
and real stakeholders are never given invented history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.choices import AssessmentSource
from contacts.models import Organization, Person
from contacts.selectors import segment_people
from contacts.services import person_set_stance
from core.concurrency import version_check
from core.errors import ConflictError, DomainValidationError, PermissionDeniedError
from core.jobs import job_enqueue
from core.roles import Role, has_role
from outreach.choices import (
    MEETING_KINDS,
    CommitmentParty,
    CommitmentStatus,
    FollowUpStatus,
    TargetSource,
    TargetStatus,
)
from outreach.models import (
    CalendarToken,
    Campaign,
    CampaignTarget,
    Commitment,
    FollowUp,
    Interaction,
    PersonContactStats,
    PriorityRanking,
    PriorityScore,
    PriorityWeights,
)

STATS_BATCH = 5000
SCORE_FIELDS = (
    "score",
    "c_exposure",
    "c_influence",
    "c_recency",
    "c_stance",
    "c_battleground",
    "c_commitments",
    "exposure_value",
    "last_contact_at",
    "open_commitments",
    "in_battleground",
)


@transaction.atomic
def contact_stats_refresh(*, person_ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Recompute `PersonContactStats` of these people (everyone ever contacted when None); returns rows written.

    Set-based: three grouped queries per batch of people, then one upsert. Called by every service that
    changes who was in an interaction, when it happened or a commitment's status, inside its transaction.
    """
    now = now or timezone.now()
    if person_ids is None:
        ids = set(Interaction.people.through.objects.values_list("person_id", flat=True).distinct())
        ids |= set(PersonContactStats.objects.values_list("person_id", flat=True))
    else:
        ids = set(person_ids)
        # Two writers touching the same person queue here, so the second one counts the first's rows.
        list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    ordered = sorted(ids)
    written = 0
    for start in range(0, len(ordered), STATS_BATCH):
        batch = ordered[start : start + STATS_BATCH]
        links = Interaction.people.through.objects.filter(person_id__in=batch).order_by().values("person_id")
        last = dict(
            links.filter(interaction__occurred_at__lte=now)
            .annotate(at=Max("interaction__occurred_at"))
            .values_list("person_id", "at")
        )
        upcoming = dict(
            links.filter(interaction__occurred_at__gt=now)
            .annotate(at=Min("interaction__occurred_at"))
            .values_list("person_id", "at")
        )
        open_counts = dict(
            links.filter(interaction__commitments__status=CommitmentStatus.OPEN)
            .annotate(n=Count("interaction__commitments"))
            .values_list("person_id", "n")
        )
        rows = [
            PersonContactStats(
                person_id=pk,
                last_contacted_at=last.get(pk),
                next_contact_at=upcoming.get(pk),
                open_commitments_count=open_counts.get(pk, 0),
                created_at=now,
                updated_at=now,
            )
            for pk in batch
        ]
        PersonContactStats.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["last_contacted_at", "next_contact_at", "open_commitments_count", "updated_at"],
        )
        written += len(rows)
    if person_ids is not None:
        priority_scores_refresh(person_ids=ordered)
    return written


def _write_scores(people, *, scenario, weights: PriorityWeights, now: dt.datetime) -> int:
    from outreach.selectors import scored_people

    rows = scored_people(people.order_by(), scenario=scenario, now=now, weights=weights).values_list(
        "pk", *SCORE_FIELDS
    )
    written = 0
    batch: list[PriorityScore] = []
    for pk, *values in rows.iterator(chunk_size=STATS_BATCH):
        batch.append(PriorityScore(person_id=pk, computed_at=now, **dict(zip(SCORE_FIELDS, values, strict=True))))
        if len(batch) >= STATS_BATCH:
            written += _upsert_scores(batch)
            batch = []
    return written + (_upsert_scores(batch) if batch else 0)


def _upsert_scores(rows: list[PriorityScore]) -> int:
    PriorityScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["person"], update_fields=[*SCORE_FIELDS, "computed_at"]
    )
    return len(rows)


@transaction.atomic
def priority_scores_refresh(*, person_ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Recompute the cached "who to call next" scores; returns the rows written.

    Everyone when `person_ids` is None (the beat job, when the ranking is stale): the default scenario's
    current snapshot, the weights and the time are recorded in `PriorityRanking`, which the ranking
    compares with the current ones before trusting the cache. With ids, only those people (the services
    that change someone's contact figures, stance, influence or states), and only once a full ranking
    exists. The same query as the live ranking computes every figure, so cached and live agree.
    """
    from outreach.selectors import priority_weights_key, scenario_or_none
    from trade.models import ExposureSnapshot

    now = now or timezone.now()
    weights = PriorityWeights.load()
    if person_ids is not None:
        ranking = PriorityRanking.objects.filter(pk=1).select_related("scenario").first()
        ids = list(person_ids)
        if ranking is None or ranking.computed_at is None or not ids:
            return 0
        return _write_scores(Person.objects.filter(pk__in=ids), scenario=ranking.scenario, weights=weights, now=now)

    # One full refresh at a time: the second waits here, then recomputes from what the first wrote.
    ranking, _created = PriorityRanking.objects.select_for_update().get_or_create(pk=1)
    scenario = scenario_or_none()
    written = _write_scores(Person.objects.all(), scenario=scenario, weights=weights, now=now)
    ranking.scenario = scenario
    ranking.snapshot_id = (
        ExposureSnapshot.objects.current().filter(scenario=scenario).values_list("pk", flat=True).first()
        if scenario is not None
        else None
    )
    ranking.weights = priority_weights_key(weights)
    ranking.computed_at = now
    ranking.save()
    return written


def priority_scores_refresh_if_stale(*, max_age: dt.timedelta | None = None) -> int:
    """The beat job's body: recompute everyone when the cached ranking is stale or older than `max_age`."""
    from outreach.selectors import priority_ranking_is_fresh, scenario_or_none

    now = timezone.now()
    ranking = PriorityRanking.objects.filter(pk=1).first()
    fresh = priority_ranking_is_fresh(scenario=scenario_or_none(), weights=PriorityWeights.load(), now=now)
    computed_at = ranking.computed_at if ranking is not None else None
    too_old = max_age is not None and (computed_at is None or computed_at < now - max_age)
    if fresh and not too_old:
        return 0
    return priority_scores_refresh(now=now)


def contact_stats_catch_up(*, now: dt.datetime | None = None) -> int:
    """Refresh the people whose next scheduled interaction has taken place since their row was written."""
    now = now or timezone.now()
    due = PersonContactStats.objects.filter(next_contact_at__lte=now).values_list("person_id", flat=True)
    return contact_stats_refresh(person_ids=list(due), now=now)


def _check_synthetic(*, people: Sequence[Person], organizations: Sequence[Organization], is_synthetic: bool) -> bool:
    """Synthetic interactions involve synthetic stakeholders only, and real ones real stakeholders only."""
    flags = {p.is_synthetic for p in people} | {o.is_synthetic for o in organizations}
    if len(flags) > 1:
        raise DomainValidationError(
            _("An interaction cannot mix synthetic (test) stakeholders with real ones."),
            details={"people": [_("Mixed synthetic and real stakeholders.")]},
        )
    all_synthetic = flags == {True}
    if is_synthetic and not all_synthetic:
        raise DomainValidationError(
            _("Synthetic interactions may only involve synthetic stakeholders."),
            details={"is_synthetic": [_("Real stakeholders are never given synthetic history.")]},
        )
    return all_synthetic


def _advance_campaign_targets(*, interaction: Interaction, people: Sequence[Person], organizations) -> None:
    """Move targets of campaigns running at the time forward: any contact -> contacted, a meeting -> meeting held.

    Targets never move backwards; committed and declined are only set by hand.
    """
    now = timezone.now()
    day = timezone.localdate(interaction.occurred_at)
    targets = CampaignTarget.objects.filter(
        Q(person__in=[p.pk for p in people]) | Q(organization__in=[o.pk for o in organizations]),
        Q(campaign__start_date__isnull=True) | Q(campaign__start_date__lte=day),
        Q(campaign__end_date__isnull=True) | Q(campaign__end_date__gte=day),
    )
    moves = {TargetStatus.NOT_CONTACTED: TargetStatus.CONTACTED}
    # A meeting logged ahead of time (scheduled) means contact was made; it is held once it has happened.
    if interaction.kind in MEETING_KINDS and interaction.occurred_at <= now:
        moves = {
            TargetStatus.NOT_CONTACTED: TargetStatus.MEETING_HELD,
            TargetStatus.CONTACTED: TargetStatus.MEETING_HELD,
        }
    for old, new in moves.items():
        targets.filter(status=old).update(status=new, status_changed_at=now, updated_at=now)
    targets.filter(
        Q(last_interaction__isnull=True) | Q(last_interaction__occurred_at__lte=interaction.occurred_at)
    ).update(last_interaction=interaction, updated_at=now)


def _lines(text_or_items: str | Iterable[str]) -> list[str]:
    items = text_or_items.splitlines() if isinstance(text_or_items, str) else list(text_or_items)
    return [item.strip()[:500] for item in items if item and item.strip()]


@transaction.atomic
def interaction_log(
    *,
    actor,
    kind: str,
    summary: str,
    people: Sequence[Person] = (),
    organizations: Sequence[Organization] = (),
    occurred_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    location: str = "",
    staff: Sequence = (),
    states: Sequence = (),
    pillars: Sequence = (),
    confidential_notes: str = "",
    sentiment: str = "",
    stance_observed: str = "",
    stance_confirmed: bool = False,
    stance_person: Person | None = None,
    stance_people: Sequence[Person] = (),
    asks: str = "",
    commitments_by_them: str | Iterable[str] = (),
    commitments_by_us: str | Iterable[str] = (),
    commitments_due: dt.date | None = None,
    is_synthetic: bool = False,
) -> Interaction:
    """Log a contact with one or more stakeholders (the quick log and the API both land here).

    Confirming an observed stance adds it to that person's stance history; campaign targets among the
    stakeholders move forward; the owners of the stakeholders hear about it after commit.
    """
    if not has_role(actor, Role.OFFICER):
        raise DomainValidationError(_("Your role does not allow logging interactions."))
    people, organizations = list(people), list(organizations)
    if not people and not organizations:
        raise DomainValidationError(
            _("Say who the interaction was with."),
            details={"people": [_("Choose at least one person or organization.")]},
        )
    if not (summary or "").strip():
        raise DomainValidationError(_("Write a short summary."), details={"summary": [_("This field is required.")]})
    synthetic = _check_synthetic(people=people, organizations=organizations, is_synthetic=is_synthetic)
    if stance_confirmed and not stance_observed:
        raise DomainValidationError(
            _("Choose the stance you observed before confirming it."),
            details={"stance_observed": [_("Required when the stance is confirmed.")]},
        )
    observed = list(stance_people) or ([stance_person] if stance_person is not None else [])
    if stance_observed:
        if not observed and len(people) == 1:
            observed = [people[0]]
        present = {p.pk for p in people}
        if not observed or any(p.pk not in present for p in observed):
            raise DomainValidationError(
                _("Say whose stance you observed (one or more of the people present)."),
                details={
                    "stance_people": [_("Choose one or more of the people present.")],
                    "stance_person": [_("Choose one of the people present.")],
                },
            )
        stance_person = observed[0]

    interaction = Interaction.objects.create(
        kind=kind,
        summary=summary.strip(),
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        location=location,
        confidential_notes=confidential_notes,
        sentiment=sentiment,
        stance_observed=stance_observed,
        stance_confirmed=bool(stance_confirmed and stance_observed),
        stance_person=stance_person if stance_observed else None,
        asks=asks,
        created_by=actor,
        is_synthetic=synthetic,
    )
    interaction.people.set(people)
    interaction.organizations.set(organizations)
    interaction.staff.set({actor, *staff})
    interaction.states.set(states)
    interaction.pillars.set(pillars)
    Commitment.objects.bulk_create(
        [
            Commitment(interaction=interaction, party=party, description=d, due_date=commitments_due, owner=actor)
            for party, lines in ((CommitmentParty.THEM, commitments_by_them), (CommitmentParty.US, commitments_by_us))
            for d in _lines(lines)
        ]
    )
    if interaction.stance_confirmed:
        # Contacts owns stance history: one dated entry per person whose stance was observed, observed
        # when the interaction took place (a late log never overrides a newer stance).
        for person in observed:
            person_set_stance(
                person=person,
                stance=stance_observed,
                actor=actor,
                reason=_("Confirmed in %(kind)s on %(date)s")
                % {"kind": interaction.get_kind_display(), "date": f"{interaction.occurred_at:%Y-%m-%d}"},
                when=interaction.occurred_at,
                source=AssessmentSource.INTERACTION,
            )
    contact_stats_refresh(person_ids=[p.pk for p in people])
    _advance_campaign_targets(interaction=interaction, people=people, organizations=organizations)
    job_enqueue("outreach.notify_stakeholder_owners", kwargs={"interaction_id": interaction.pk})
    return interaction


def commitment_can_change(*, interaction: Interaction, user) -> bool:
    """Who may change the commitments of an interaction: its author and the envoy staff who were
    there (Officer and above), and any Lead or Admin. Pages, the API and the admin all ask this."""
    if has_role(user, Role.LEAD):
        return True
    if not has_role(user, Role.OFFICER):
        return False
    # `staff.all()` uses the detail page's prefetch when there is one.
    return interaction.created_by_id == user.pk or any(member.pk == user.pk for member in interaction.staff.all())


@transaction.atomic
def commitment_resolve(*, commitment: Commitment, status: str, actor) -> Commitment:
    """Mark a commitment fulfilled or dropped (or reopen it); open ones count in "who to call next"."""
    if not commitment_can_change(interaction=commitment.interaction, user=actor):
        raise PermissionDeniedError(
            _("Only the interaction's author, the staff who were there, Leads and Admins can change its commitments.")
        )
    if status not in CommitmentStatus.values:
        raise DomainValidationError(_("Unknown status."), details={"status": [_("Unknown status.")]})
    commitment.status = status
    commitment.resolved_at = None if status == CommitmentStatus.OPEN else timezone.now()
    commitment.save(update_fields=["status", "resolved_at", "updated_at"])
    contact_stats_refresh(person_ids=_people_of(commitment.interaction_id))
    return commitment


@transaction.atomic
def commitment_update(
    *, commitment: Commitment, actor, due_date: dt.date | None, owner, shown: tuple[str, str] | None = None
) -> Commitment:
    """Set who on our team sees a commitment through and by when (either may be cleared). The same
    people who may resolve it may do this; the owner must be envoy staff. `shown` is the (due date,
    owner id) the editor's page showed: if someone saved another since, nothing is saved and the
    refusal says what the commitment now holds."""
    if not commitment_can_change(interaction=commitment.interaction, user=actor):
        raise PermissionDeniedError(
            _("Only the interaction's author, the staff who were there, Leads and Admins can change its commitments.")
        )
    commitment = (
        Commitment.objects.select_for_update(of=("self",)).select_related("owner", "interaction").get(pk=commitment.pk)
    )
    current = (commitment.due_date.isoformat() if commitment.due_date else "", str(commitment.owner_id or ""))
    if shown is not None and tuple(shown) != current:
        owner_name = (
            (commitment.owner.get_full_name() or commitment.owner.username) if commitment.owner else _("no one")
        )
        raise ConflictError(
            _(
                "Someone changed this commitment after you opened the page: it is now due %(due)s and owned by "
                "%(owner)s. Nothing was saved; check it and save again."
            )
            % {"due": current[0] or _("on no date"), "owner": owner_name}
        )
    if owner is not None and not (owner.is_active and has_role(owner, Role.VIEWER)):
        raise DomainValidationError(
            _("The owner must be a member of the envoy team."), details={"owner": [_("Choose a staff member.")]}
        )
    commitment.due_date, commitment.owner = due_date, owner
    commitment.save(update_fields=["due_date", "owner", "updated_at"])
    return commitment


def _people_of(interaction_id: int) -> list[int]:
    return list(
        Interaction.people.through.objects.filter(interaction_id=interaction_id).values_list("person_id", flat=True)
    )


INTERACTION_EDITABLE_FIELDS = (
    "kind",
    "occurred_at",
    "duration_minutes",
    "location",
    "summary",
    "confidential_notes",
    "sentiment",
    "asks",
)


def interaction_can_edit(*, interaction: Interaction, user) -> bool:
    """Authors (Officer and above) edit their own interactions; Leads and Admins edit any."""
    if has_role(user, Role.LEAD):
        return True
    return has_role(user, Role.OFFICER) and interaction.created_by_id == user.pk


def interaction_edit_authorize(*, interaction: Interaction, user) -> None:
    """Refuse someone who may not edit the interaction (before asking them which version they read)."""
    if not interaction_can_edit(interaction=interaction, user=user):
        raise PermissionDeniedError(_("Only the author or a Lead can change this interaction."))


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, actor, expected_version: int | None = None, **changes
) -> Interaction:
    """Change the descriptive fields of an interaction (not who was there: log a new one for that).
    `expected_version` is the version the client read; a save by someone else since is refused."""
    interaction_edit_authorize(interaction=interaction, user=actor)
    unknown = set(changes) - set(INTERACTION_EDITABLE_FIELDS)
    if unknown:
        raise DomainValidationError(
            _("These fields cannot be changed."), details={f: [_("Read-only.")] for f in unknown}
        )
    version_check(instance=interaction, expected=expected_version, actor=actor)
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    for field, value in changes.items():
        setattr(interaction, field, value)
    interaction.save(update_fields=[*changes, "updated_at"])
    if "occurred_at" in changes:
        contact_stats_refresh(person_ids=_people_of(interaction.pk))
    return interaction


@transaction.atomic
def follow_up_create(
    *,
    actor,
    what: str,
    assignee,
    due_date: dt.date,
    interaction: Interaction | None = None,
    person: Person | None = None,
    organization: Organization | None = None,
) -> FollowUp:
    """Create an open follow-up; linked to an interaction and/or the person or organization it concerns."""
    if not has_role(actor, Role.OFFICER):
        raise DomainValidationError(_("Your role does not allow creating follow-ups."))
    if not (what or "").strip():
        raise DomainValidationError(_("Say what needs doing."), details={"what": [_("This field is required.")]})
    if not has_role(assignee, Role.VIEWER):
        raise DomainValidationError(
            _("The assignee must be a staff member with a role."), details={"assignee": [_("No role.")]}
        )
    return FollowUp.objects.create(
        what=what.strip(),
        assignee=assignee,
        due_date=due_date,
        interaction=interaction,
        person=person,
        organization=organization,
        created_by=actor,
    )


def _follow_up_close(*, follow_up: FollowUp, actor, status: str) -> FollowUp:
    if not (
        has_role(actor, Role.LEAD)
        or (has_role(actor, Role.OFFICER) and actor.pk in {follow_up.assignee_id, follow_up.created_by_id})
    ):
        raise DomainValidationError(_("Only the assignee, its creator or a Lead can close this follow-up."))
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.status == status:
        return locked
    if locked.status != FollowUpStatus.OPEN:
        raise ConflictError(
            _("This follow-up is already %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    locked.status = status
    locked.completed_by = actor
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    return locked


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, actor) -> FollowUp:
    """Mark done (records who and when). Completing twice is harmless; a cancelled one cannot be done."""
    return _follow_up_close(follow_up=follow_up, actor=actor, status=FollowUpStatus.DONE)


@transaction.atomic
def follow_up_cancel(*, follow_up: FollowUp, actor) -> FollowUp:
    """Cancel an open follow-up (records who and when)."""
    return _follow_up_close(follow_up=follow_up, actor=actor, status=FollowUpStatus.CANCELLED)


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    objective: str = "",
    owner=None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Campaign:
    """Create a campaign (Lead and above)."""
    if not has_role(actor, Role.LEAD):
        raise DomainValidationError(_("Only Leads can create campaigns."))
    if start_date and end_date and end_date < start_date:
        raise DomainValidationError(
            _("The campaign ends before it starts."), details={"end_date": [_("Must be on or after the start date.")]}
        )
    return Campaign.objects.create(
        name=name, objective=objective, owner=owner or actor, start_date=start_date, end_date=end_date
    )


@transaction.atomic
def campaign_targets_add(
    *,
    campaign: Campaign,
    actor,
    people: Iterable[Person] = (),
    organizations: Iterable[Organization] = (),
    source: str = TargetSource.MANUAL,
) -> int:
    """Add people and organizations as targets (ones already targeted stay as they are); returns how many are new."""
    if not has_role(actor, Role.OFFICER):
        raise DomainValidationError(_("Your role does not allow changing campaigns."))
    person_ids = {p.pk for p in people}
    org_ids = {o.pk for o in organizations}
    person_ids -= set(campaign.targets.filter(person__in=person_ids).values_list("person_id", flat=True))
    org_ids -= set(campaign.targets.filter(organization__in=org_ids).values_list("organization_id", flat=True))
    rows = [CampaignTarget(campaign=campaign, person_id=pk, source=source, added_by=actor) for pk in sorted(person_ids)]
    rows += [
        CampaignTarget(campaign=campaign, organization_id=pk, source=source, added_by=actor) for pk in sorted(org_ids)
    ]
    CampaignTarget.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def campaign_targets_add_from_segment(*, campaign: Campaign, segment, actor) -> int:
    """Add every person a saved segment currently matches (as the actor sees it)."""
    added = campaign_targets_add(
        campaign=campaign, actor=actor, people=segment_people(segment=segment, user=actor), source=TargetSource.SEGMENT
    )
    Campaign.objects.filter(pk=campaign.pk).update(segment=segment, updated_at=timezone.now())
    return added


@transaction.atomic
def campaign_target_set_status(*, target: CampaignTarget, status: str, actor) -> CampaignTarget:
    """Set a target's status by hand (e.g. committed or declined)."""
    if not has_role(actor, Role.OFFICER):
        raise DomainValidationError(_("Your role does not allow changing campaigns."))
    if status not in TargetStatus.values:
        raise DomainValidationError(_("Unknown status."), details={"status": [_("Unknown status.")]})
    target.status = status
    target.status_changed_at = timezone.now()
    target.save(update_fields=["status", "status_changed_at", "updated_at"])
    return target


@transaction.atomic
def interaction_log_bulk(*, actor, targets: Sequence[CampaignTarget], **fields) -> list[Interaction]:
    """Log the same outreach (e.g. one letter sent to ten governors) as one interaction per target.

    All or nothing: if one target cannot be logged, none is.
    """
    if not targets:
        raise DomainValidationError(_("Choose at least one target."), details={"targets": [_("Choose at least one.")]})
    logged = []
    for target in targets:
        logged.append(
            interaction_log(
                actor=actor,
                people=[target.person] if target.person_id else [],
                organizations=[target.organization] if target.organization_id else [],
                **fields,
            )
        )
    return logged


@transaction.atomic
def calendar_token_issue(*, user) -> str:
    """Revoke the user's current feed secret (if any) and issue a new one; returns the secret (shown once)."""
    calendar_token_revoke(user=user)
    token, digest = CalendarToken.new_secret()
    CalendarToken.objects.create(user=user, token_digest=digest)
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> int:
    """Stop the user's calendar feed; returns how many secrets were revoked."""
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )


_TARGET_PROGRESS = {status: index for index, status in enumerate(TargetStatus.values)}


def contact_merge_hook(*, keep, duplicate, kind: str) -> dict[str, int]:
    """Move outreach rows from a merged-away person/organization to the one kept; returns rows moved.

    Called by contacts inside its merge transaction (registered in OutreachConfig.ready), so outreach
    history is never lost when duplicates are merged.
    """
    moved: dict[str, int] = {}
    if kind == "person":
        interactions = list(Interaction.objects.filter(people=duplicate))
        for interaction in interactions:
            interaction.people.remove(duplicate)
            interaction.people.add(keep)
        Interaction.objects.filter(stance_person=duplicate).update(stance_person=keep)
        moved["outreach.Interaction"] = len(interactions)
        moved["outreach.FollowUp"] = FollowUp.objects.filter(person=duplicate).update(person=keep)
        contact_stats_refresh(person_ids=[keep.pk])
        field = "person"
    elif kind == "organization":
        interactions = list(Interaction.objects.filter(organizations=duplicate))
        for interaction in interactions:
            interaction.organizations.remove(duplicate)
            interaction.organizations.add(keep)
        moved["outreach.Interaction"] = len(interactions)
        moved["outreach.FollowUp"] = FollowUp.objects.filter(organization=duplicate).update(organization=keep)
        field = "organization"
    else:
        raise ValueError(f"unknown merge kind {kind!r}")
    kept_targets = {t.campaign_id: t for t in CampaignTarget.objects.filter(**{field: keep})}
    targets_moved = 0
    for target in CampaignTarget.objects.filter(**{field: duplicate}):
        targets_moved += 1
        existing = kept_targets.get(target.campaign_id)
        if existing is None:
            setattr(target, field, keep)
            target.save(update_fields=[field, "updated_at"])
            continue
        # Both were targeted by the same campaign: keep the further-along status.
        if _TARGET_PROGRESS[target.status] > _TARGET_PROGRESS[existing.status]:
            existing.status = target.status
            existing.status_changed_at = target.status_changed_at
            existing.last_interaction = target.last_interaction
            existing.save(update_fields=["status", "status_changed_at", "last_interaction", "updated_at"])
        target.delete()
    moved["outreach.CampaignTarget"] = targets_moved
    return moved
