"""Outreach reads: who to call next, coverage, timelines, follow-ups, calendar, campaign progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.choices import Stance
from contacts.influence import reason_text
from contacts.models import Person
from core import formatting
from core.caching import cached_by_version
from core.errors import NotFoundError
from core.roles import Role, has_role
from outreach.choices import CommitmentStatus, FollowUpStatus, TargetStatus
from outreach.models import Campaign, CampaignTarget, Commitment, FollowUp, Interaction, PriorityWeights
from trade.models import State
from trade.selectors import (
    exposure_state_values,
    jobs_supported_by_exports_to_canada,
    scenario_default,
    scenario_get,
)

# A state's exposure: the US duty paid on imports from Canada plus Canada's counter-duties on the
# state's exports, the same measure trade ranks states by.
EXPOSURE = F("us_duty_cost") + F("counter_duty_exposure")

# How much talking to someone of each stance is worth now: persuadable people first, then the
# unknown, then keeping allies warm.
STANCE_PRIORITY = {
    Stance.NEUTRAL: 1.0,
    Stance.UNKNOWN: 0.8,
    Stance.SKEPTICAL: 0.8,
    Stance.SUPPORTIVE: 0.5,
    Stance.CHAMPION: 0.3,
    Stance.OPPOSED: 0.3,
}

# Days since last contact -> recency component (never contacted counts as the longest gap).
RECENCY_STEPS = ((180, 1.0), (90, 0.75), (30, 0.5), (7, 0.25))
COMMITMENTS_FOR_FULL_SCORE = 3
COMPONENTS = ("exposure", "influence", "recency", "stance", "battleground", "commitments")


def _exposure_by_state(*, scenario, pillar) -> dict[int, float]:
    """{state id: exposure} under the scenario's current snapshot (the pillar's figures with a pillar).

    Empty without a scenario. At most one row per state (52 figures), read in one query and put into
    the ranking query as constants, so no person row joins the figures table.
    """
    if scenario is None:  # no scenario defined yet: exposure counts zero
        return {}
    by_state: dict[int, float] = {}
    figures = exposure_state_values(scenario=scenario, pillar=pillar).order_by().annotate(exposure=EXPOSURE)
    for state_id, value in figures.values_list("state_id", "exposure"):
        if value is not None:
            by_state[state_id] = max(float(value), by_state.get(state_id, float("-inf")))
    return by_state


def _last_contact(now: dt.datetime, prefix: str = "contact_stats__"):
    """The last contact as of `now` from the person's contact figures.

    A scheduled interaction that has taken place since the figures were refreshed is the latest one
    (it was later than every past one then), until the catch-up job refreshes the row.
    """
    return Case(
        When(**{f"{prefix}next_contact_at__lte": now}, then=F(f"{prefix}next_contact_at")),
        default=F(f"{prefix}last_contacted_at"),
    )


def scenario_or_none(*, slug: str | None = None):
    """The scenario with this slug (the default one when empty); None while trade has no scenarios.

    An unknown slug raises `NotFoundError`.
    """
    try:
        return scenario_get(slug=slug) if slug else scenario_default()
    except ObjectDoesNotExist:
        if slug:
            message = _("Unknown scenario: %(slug)s") % {"slug": slug}
            raise NotFoundError(message, details={"scenario": [_("Not found.")]}) from None
        return None


def _float(expression):
    return Cast(expression, FloatField())


# The cached ranking is used while it is younger than this (recency steps are days, so a ranking an
# hour old ranks the same people; the beat job recomputes it every few minutes).
RANKING_MAX_AGE = dt.timedelta(hours=1)


def priority_people(
    *,
    user,
    scenario=None,
    state: State | None = None,
    pillar=None,
    owner=None,
    campaign: Campaign | None = None,
    now: dt.datetime | None = None,
    weights: PriorityWeights | None = None,
) -> QuerySet[Person]:
    """Everyone the user may see, scored for "who to call next", highest score first.

    Each component (0–1) is annotated as `c_<name>` and its share of the score (points out of 100)
    as `p_<name>`, so pages can show why a person ranks where they do. Weights: `PriorityWeights`.
    Reads the cached scores (`PriorityScore`) when they are fresh for this scenario and the weights
    and no pillar or past/future `now` is asked for; computes them live in one query otherwise.
    """
    weights = weights or PriorityWeights.load()
    if scenario is None:  # callers leave it out to mean the default one
        scenario = scenario_or_none()
    people = Person.objects.visible_to(user)
    # Multi-valued filters go through `pk__in` so no person appears twice and no DISTINCT is needed.
    if state is not None:
        people = people.filter(pk__in=Person.objects.filter(states=state).values("pk"))
    if pillar is not None:
        people = people.filter(pk__in=Person.objects.filter(pillars=pillar).values("pk"))
    if owner is not None:
        people = people.filter(owner=owner)
    if campaign is not None:
        people = people.filter(pk__in=campaign.targets.filter(person__isnull=False).values("person_id"))

    if now is None and pillar is None and priority_ranking_is_fresh(scenario=scenario, weights=weights):
        people = _cached_scores(people, weights=weights)
    else:
        people = scored_people(people, scenario=scenario, pillar=pillar, now=now or timezone.now(), weights=weights)
    return people.select_related("owner").prefetch_related("states").order_by("-score", "last_name", "id")


def _points(weights: PriorityWeights) -> dict[str, float]:
    """Points out of 100 that a full (1.0) component adds, by component."""
    weight = {name: float(getattr(weights, name)) for name in COMPONENTS}
    total_weight = sum(weight.values()) or 1.0
    return {name: 100.0 * weight[name] / total_weight for name in COMPONENTS}


def priority_weights_key(weights: PriorityWeights) -> dict[str, str]:
    """The weights as stored with a cached ranking, to tell whether they changed since."""
    return {name: str(getattr(weights, name)) for name in COMPONENTS}


def priority_ranking_is_fresh(*, scenario, weights: PriorityWeights, now: dt.datetime | None = None) -> bool:
    """Whether the cached scores may stand in for the live ranking under this scenario (one query).

    `scenario` is the resolved one: None only while no scenario exists.

    Fresh means: computed for this scenario from its current exposure snapshot, with these weights,
    less than `RANKING_MAX_AGE` ago, and the newest person has a row. People added one at a time are
    scored when saved; a bulk insert that bypassed the services adds people above the newest scored
    one, which this notices (two index look-ups, where counting both tables took 30 ms at 100,000).
    """
    from outreach.models import PriorityRanking, PriorityScore
    from trade.models import ExposureSnapshot

    now = now or timezone.now()
    newest = Func(F("pk"), function="MAX")
    ranking = (
        PriorityRanking.objects.filter(pk=1)
        .annotate(
            current_snapshot_id=Subquery(
                ExposureSnapshot.objects.current().filter(scenario=OuterRef("scenario_id")).values("pk")[:1]
            ),
            newest_person=Subquery(Person.objects.order_by().annotate(n=newest).values("n")),
            newest_scored=Subquery(PriorityScore.objects.order_by().annotate(n=newest).values("n")),
        )
        .first()
    )
    return bool(
        ranking is not None
        and ranking.computed_at is not None
        and ranking.computed_at >= now - RANKING_MAX_AGE
        and ranking.scenario_id == (scenario.pk if scenario is not None else None)
        and ranking.snapshot_id == ranking.current_snapshot_id
        and ranking.weights == priority_weights_key(weights)
        and ranking.newest_person == ranking.newest_scored
    )


def _cached_scores(people: QuerySet[Person], *, weights: PriorityWeights) -> QuerySet[Person]:
    points = _points(weights)
    prefix = "priority_score__"
    fields = ["score", "exposure_value", "last_contact_at", "open_commitments", "in_battleground"]
    fields += [f"c_{name}" for name in COMPONENTS]
    people = people.filter(priority_score__isnull=False).annotate(**{field: F(prefix + field) for field in fields})
    return people.annotate(
        **{f"p_{name}": F(f"c_{name}") * Value(points[name], output_field=FloatField()) for name in COMPONENTS}
    )


def scored_people(people: QuerySet[Person], *, scenario, pillar=None, now: dt.datetime, weights: PriorityWeights):
    """The live computation: these people annotated with every component, its points and the score."""
    points = _points(weights)
    by_state = _exposure_by_state(scenario=scenario, pillar=pillar)
    max_exposure = max(by_state.values(), default=0.0)
    person_states = Person.states.through.objects.filter(person_id=OuterRef("pk")).order_by()
    if max_exposure > 0:
        # The best exposure among the person's states: a lookup on the person's few state links.
        best = person_states.values("person_id").annotate(
            best=Max(
                Case(
                    *[When(state_id=pk, then=Value(value)) for pk, value in by_state.items()],
                    output_field=FloatField(),
                )
            )
        )
        exposure_value = Subquery(best.values("best"), output_field=FloatField())
        exposure = Coalesce(exposure_value / Value(max_exposure), Value(0.0))
    else:
        exposure_value = Value(None, output_field=FloatField())
        exposure = Value(0.0)

    # Last contact and open commitments are columns of the person's contact figures (one join), kept
    # right by the outreach services; recomputing them here would scan every interaction per person.
    recency_cases = [When(last_contact_at__isnull=True, then=Value(1.0))]
    recency_cases += [
        When(last_contact_at__lt=now - dt.timedelta(days=days), then=Value(score)) for days, score in RECENCY_STEPS
    ]

    people = people.annotate(
        exposure_value=exposure_value,
        last_contact_at=_last_contact(now),
        open_commitments=Coalesce(F("contact_stats__open_commitments_count"), Value(0)),
        in_battleground=Exists(person_states.filter(state__is_battleground_2024=True)),
    ).annotate(
        c_exposure=exposure,
        # A staff rating always wins over the influence read from the public record.
        c_influence=Coalesce(_float(F("influence")), F("public_influence"), Value(0.0)) / Value(5.0),
        c_recency=Case(*recency_cases, default=Value(0.0), output_field=FloatField()),
        c_stance=Case(
            *[When(stance=stance, then=Value(score)) for stance, score in STANCE_PRIORITY.items()],
            default=Value(0.5),
            output_field=FloatField(),
        ),
        c_battleground=Case(When(in_battleground=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField()),
        c_commitments=Case(
            When(open_commitments__gte=COMMITMENTS_FOR_FULL_SCORE, then=Value(1.0)),
            default=_float(F("open_commitments")) / Value(float(COMMITMENTS_FOR_FULL_SCORE)),
            output_field=FloatField(),
        ),
    )
    people = people.annotate(
        **{f"p_{name}": F(f"c_{name}") * Value(points[name], output_field=FloatField()) for name in COMPONENTS}
    )
    score = sum((F(f"p_{name}") for name in COMPONENTS[1:]), F(f"p_{COMPONENTS[0]}"))
    return people.annotate(score=score)


def state_exposure_ranks(*, scenario, pillar=None) -> dict[int, int]:
    """{state id: 1 for the most exposed state, 2 for the next, ...} under the scenario (one query)."""
    by_state = _exposure_by_state(scenario=scenario, pillar=pillar)
    ordered = sorted((value, pk) for pk, value in by_state.items() if value > 0)
    return {pk: rank for rank, (_value, pk) in enumerate(reversed(ordered), start=1)}


DASHBOARD_JOB_STATES = 5


def jobs_supported_for_dashboard(*, user, scenario, limit: int = DASHBOARD_JOB_STATES) -> dict:
    """Jobs supported by exports to Canada for the user's states (states of the people they own), else
    for the states most exposed under the scenario. Each figure comes from the state page's selector,
    so the dashboard and the state page always agree; states without a figure are left out.

    {"basis": "mine" | "top" | None, "rows": [{"state", "jobs"}]}.
    """
    mine = list(State.objects.filter(people__owner=user).distinct().order_by("name")[:limit])
    basis = "mine" if mine else None
    states = mine
    if not states and scenario is not None:
        ranks = state_exposure_ranks(scenario=scenario)
        top = sorted(ranks, key=ranks.get)[:limit]
        by_id = State.objects.in_bulk(top)
        states = [by_id[pk] for pk in top if pk in by_id]
        basis = "top" if states else None
    rows = []
    for state in states:
        jobs = jobs_supported_by_exports_to_canada(state=state)
        if jobs is not None:
            rows.append({"state": state, "jobs": jobs})
    return {"basis": basis if rows else None, "rows": rows}


def priority_explanation(person: Person, *, exposure_ranks: dict[int, int], now: dt.datetime | None = None) -> str:
    """Why a ranked person scores what they do, in words ("Governor; Michigan is the most exposed state; never
    contacted"). Reads the ranking's annotations and the person's prefetched states: no query."""
    now = now or timezone.now()
    reasons: list[str] = []
    if person.influence:
        reasons.append(_("rated %(influence)s/5 by staff") % {"influence": person.influence})
    elif person.public_influence_reasons:
        reasons.extend(reason_text(reason) for reason in person.public_influence_reasons[:3])
    elif person.public_influence_basis:  # scored before the reasons were kept: the English basis
        reasons.extend(person.public_influence_basis.split("; ")[:3])
    ranked_states = sorted((exposure_ranks[s.pk], s.name) for s in person.states.all() if s.pk in exposure_ranks)
    if ranked_states:
        rank, name = ranked_states[0]
        reasons.append(
            _("%(state)s is the most exposed state") % {"state": name}
            if rank == 1
            else _("%(state)s is the %(rank)s most exposed state") % {"state": name, "rank": formatting.ordinal(rank)}
        )
    if person.in_battleground:
        reasons.append(_("battleground state"))
    if person.last_contact_at is None:
        reasons.append(_("never contacted"))
    else:
        days = (now - person.last_contact_at).days
        reasons.append(
            _("contacted today")
            if days < 1
            else ngettext("last contacted %(days)s day ago", "last contacted %(days)s days ago", days) % {"days": days}
        )
    if person.stance not in {Stance.UNKNOWN, ""}:
        reasons.append(person.get_stance_display().lower())
    if person.open_commitments:
        count = person.open_commitments
        reasons.append(
            ngettext("%(count)s open commitment", "%(count)s open commitments", count)
            % {"count": formatting.integer(count)}
        )
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class CoverageRow:
    state: State
    exposure: float | None
    stakeholders: int
    contacted_30: int
    contacted_90: int
    influence_total: float = 0.0
    influence_contacted_90: float = 0.0

    @property
    def share_90(self) -> float:
        return self.contacted_90 / self.stakeholders if self.stakeholders else 0.0

    @property
    def weighted_share_90(self) -> float:
        """The share of the state's influence contacted in 90 days: calling the governor covers more than
        calling one of thirteen representatives."""
        return self.influence_contacted_90 / self.influence_total if self.influence_total else 0.0

    @property
    def is_gap(self) -> bool:
        return bool(self.stakeholders) and self.weighted_share_90 < COVERAGE_GAP_BELOW


# A state with stakeholders is a coverage gap while less than this share of its influence was contacted
# in 90 days.
COVERAGE_GAP_BELOW = 0.25

# Each person's weight in coverage: the staff rating, else the public record's, else 1 (the lowest rating).
COVERAGE_WEIGHT = Coalesce(
    _float(F("people__influence")), F("people__public_influence"), Value(1.0), output_field=FloatField()
)


def _contacted_since(since: dt.datetime, now: dt.datetime, prefix: str) -> Q:
    """Whether the last contact as of `now` (see `_last_contact`) is on or after `since`."""
    return Q(**{f"{prefix}last_contacted_at__gte": since}) | Q(
        **{f"{prefix}next_contact_at__gte": since, f"{prefix}next_contact_at__lte": now}
    )


# Coverage is cached this long at most; any change of contact figures, state links or snapshot
# makes a new key sooner.
COVERAGE_CACHE_SECONDS = 600


def _coverage_version(*, scenario, now: dt.datetime) -> tuple:
    """What coverage is computed from: the scenario's current snapshot, the latest contact-figure
    write, the newest person–state link, and a 10-minute bucket of time (the 30- and 90-day windows
    move). One query of index look-ups."""
    from outreach.models import PersonContactStats
    from trade.models import ExposureSnapshot

    parts = [
        PersonContactStats.objects.order_by("-updated_at").values("updated_at")[:1],
        Person.states.through.objects.order_by("-pk").values("pk")[:1],
        ExposureSnapshot.objects.current().filter(scenario=scenario).values("pk")[:1],
    ]
    # Three scalar subqueries in one SELECT: the ORM has no one-row table to hang them on.
    compiled = [part.query.sql_with_params() for part in parts]
    sql = "SELECT " + ", ".join(f"({part_sql})" for part_sql, _params in compiled)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _sql, params in compiled for param in params])
        stats_at, newest_link, snapshot_id = cursor.fetchone()
    bucket = int(now.timestamp()) // COVERAGE_CACHE_SECONDS
    return (scenario.pk if scenario else None, snapshot_id, str(stats_at), newest_link, bucket)


def coverage_by_state(*, scenario=None, now: dt.datetime | None = None) -> list[CoverageRow]:
    """States ranked by exposure, each with how many of its stakeholders were contacted in 30 and 90 days.

    Counts the state's people by their contact figures' last contact, not by scanning interactions.
    The current figures are cached under `_coverage_version`; an explicit `now` computes afresh.
    """
    if scenario is None:  # callers leave it out to mean the default one
        scenario = scenario_or_none()
    if now is not None:
        return _coverage_rows(scenario=scenario, now=now)
    now = timezone.now()
    return cached_by_version(
        "outreach:coverage",
        _coverage_version(scenario=scenario, now=now),
        lambda: _coverage_rows(scenario=scenario, now=now),
        timeout=COVERAGE_CACHE_SECONDS,
    )


def _coverage_rows(*, scenario, now: dt.datetime) -> list[CoverageRow]:
    stats = "people__contact_stats__"
    states = (
        State.objects.filter(is_pseudo=False)
        .annotate(
            stakeholders=Count("people", distinct=True),
            contacted_30=Count(
                "people", filter=_contacted_since(now - dt.timedelta(days=30), now, stats), distinct=True
            ),
            contacted_90=Count(
                "people", filter=_contacted_since(now - dt.timedelta(days=90), now, stats), distinct=True
            ),
            influence_total=Sum(COVERAGE_WEIGHT),
            influence_contacted_90=Sum(
                COVERAGE_WEIGHT, filter=_contacted_since(now - dt.timedelta(days=90), now, stats)
            ),
        )
        .order_by("name")
    )
    exposure = _exposure_by_state(scenario=scenario, pillar=None)
    rows = [
        CoverageRow(
            state=s,
            exposure=exposure.get(s.pk),
            stakeholders=s.stakeholders,
            contacted_30=s.contacted_30,
            contacted_90=s.contacted_90,
            influence_total=s.influence_total or 0.0,
            influence_contacted_90=s.influence_contacted_90 or 0.0,
        )
        for s in states
    ]
    rows.sort(key=lambda row: (-(row.exposure or 0.0), row.state.name))
    return rows


# Up to this many interaction ids of one person or organization are read first and passed as a list.
TIMELINE_ID_LIST_LIMIT = 20_000


def _linked_ids(through, **link):
    """The interaction ids linked to one person or organization: a list when there are not too many.

    Joined as a subquery, PostgreSQL walks the whole interaction table newest first and probes the
    link for each row (0.2–0.6 s at 1,000,000 interactions for someone with 4,000 of them); given
    the ids, it reads those rows through the primary key and sorts them (a few ms).
    """
    ids = through.objects.filter(**link).values_list("interaction_id", flat=True)
    found = list(ids[: TIMELINE_ID_LIST_LIMIT + 1])
    if len(found) > TIMELINE_ID_LIST_LIMIT:
        return ids
    if connection.vendor == "postgresql":  # one array parameter instead of thousands of literals
        return RawSQL("SELECT unnest(%s::bigint[])", [found])  # nosec B611 - a bound parameter, no text
    return found


def timeline_interactions(*, user, person=None, organization=None, state=None, limit: int = 20) -> list[Interaction]:
    """Recent interactions with a person, an organization or about a state (its people or discussed)."""
    interactions = Interaction.objects.visible_to(user)
    if person is not None:
        interactions = interactions.filter(pk__in=_linked_ids(Interaction.people.through, person_id=person.pk))
    if organization is not None:
        interactions = interactions.filter(
            pk__in=_linked_ids(Interaction.organizations.through, organization_id=organization.pk)
        )
    if state is not None:
        interactions = interactions.filter(
            pk__in=Interaction.objects.filter(Q(states=state) | Q(people__states=state)).values("pk")
        )
    # The newest `limit` ids first (an index-only read of id and date per linked interaction), then
    # only those rows with everything the timeline shows.
    newest = list(interactions.order_by("-occurred_at", "-id").values_list("pk", flat=True)[:limit])
    rows = {row.pk: row for row in interactions.filter(pk__in=newest).with_list_relations()}
    return [rows[pk] for pk in newest if pk in rows]


def timeline_follow_ups(*, person=None, organization=None) -> list[FollowUp]:
    """Open follow-ups about a person or an organization (none for states)."""
    if person is None and organization is None:
        return []
    follow_ups = FollowUp.objects.open().select_related("assignee")
    follow_ups = (
        follow_ups.filter(person=person) if person is not None else follow_ups.filter(organization=organization)
    )
    return list(follow_ups.order_by("due_date", "id")[:20])


def follow_ups_for(*, user, include_closed: bool = False) -> QuerySet[FollowUp]:
    """The user's follow-ups, overdue first then by due date."""
    follow_ups = FollowUp.objects.visible_to(user).filter(assignee=user)
    if not include_closed:
        follow_ups = follow_ups.filter(status=FollowUpStatus.OPEN)
    return follow_ups.with_list_relations().order_by("due_date", "id")


COMMITMENTS_OWNED_LIMIT = 50


def commitments_owned_by(*, user) -> list[Commitment]:
    """The open commitments `user` sees through, soonest due first (undated last), with the people
    they were made with: "Commitments I own" in My follow-ups (a fixed number of queries)."""
    from django.db.models import F

    visible = Interaction.objects.visible_to(user).values("pk")
    return list(
        Commitment.objects.filter(owner=user, status=CommitmentStatus.OPEN, interaction__in=visible)
        .select_related("interaction")
        .prefetch_related("interaction__people")
        .order_by(F("due_date").asc(nulls_last=True), "id")[:COMMITMENTS_OWNED_LIMIT]
    )


def follow_up_totals(*, user, today: dt.date) -> dict[str, int]:
    """How many of the user's follow-ups are open, overdue and not yet due (one aggregate query)."""
    return (
        follow_ups_for(user=user)
        .order_by()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            upcoming=Count("pk", filter=Q(due_date__gte=today)),
        )
    )


def upcoming_meetings(*, user, mine_only: bool = True, now: dt.datetime | None = None, days: int = 60) -> QuerySet:
    """Meetings (and calls) scheduled from now on; mine = I am among the staff or logged it."""
    now = now or timezone.now()
    interactions = Interaction.objects.visible_to(user).filter(
        occurred_at__gte=now, occurred_at__lte=now + dt.timedelta(days=days)
    )
    if mine_only:
        interactions = interactions.filter(
            pk__in=Interaction.objects.filter(Q(staff=user) | Q(created_by=user)).values("pk")
        )
    return interactions.with_list_relations().order_by("occurred_at", "id")


def campaign_status_counts(*, campaign: Campaign) -> dict[str, int]:
    counts = dict.fromkeys(TargetStatus.values, 0)
    for row in campaign.targets.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def campaign_targets(*, campaign: Campaign, status: str | None = None) -> QuerySet[CampaignTarget]:
    targets = campaign.targets.with_list_relations()
    if status:
        targets = targets.filter(status=status)
    return targets.order_by("status", "id")


def can_log(user) -> bool:
    """Whether the user may log interactions (pages show or hide the quick-log links with it)."""
    return has_role(user, Role.OFFICER)
