"""Briefing reads: packet lists and versions, and the reads a packet is assembled from.

The trade, contacts and outreach reads here query those apps' models directly (read-only). They sit
in this app because packets are their only consumer in this shape; each returns plain dicts and
lists so the assembled context can be stored as JSON and compared between versions.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket, PacketTemplate, TalkingPoint
from contacts.choices import PersonKind
from contacts.models import CommitteeMembership, Organization, Person, Position, Relationship
from outreach.choices import CommitmentStatus, FollowUpStatus
from outreach.models import Commitment, FollowUp, Interaction
from trade import selectors as trade_selectors
from trade.models import ExposureFigure, State, StateEconomics, TariffScenario, TradeFlow

TREND_YEARS = 12
# Committees with jurisdiction over trade and energy (codes as in the congress-legislators data).
TRADE_COMMITTEES = ("HSWM", "HSIF", "SSFI", "SSEG")


# --- Packets -------------------------------------------------------------------------------------


def packet_list(*, user, kind: str | None = None, status: str | None = None) -> QuerySet[BriefingPacket]:
    packets = BriefingPacket.objects.visible_to(user).top_level().with_list_relations()
    if kind:
        packets = packets.filter(target_kind=kind)
    if status:
        packets = packets.filter(status=status)
    return packets.annotate(
        children_total=Count("children", distinct=True),
        children_done=Count("children", filter=Q(children__status=PacketStatus.DONE), distinct=True),
    ).order_by("-created_at", "-id")


def packet_get(*, user, pk: int) -> BriefingPacket:
    """The packet if the user may see it; raises BriefingPacket.DoesNotExist otherwise."""
    return BriefingPacket.objects.visible_to(user).with_list_relations().get(pk=pk)


def packet_versions(*, packet: BriefingPacket, user) -> QuerySet[BriefingPacket]:
    return (
        BriefingPacket.objects.visible_to(user)
        .filter(target_key=packet.target_key)
        .select_related("requested_by")
        .order_by("-version")
    )


def talking_point_list() -> QuerySet[TalkingPoint]:
    """The whole talking-point library (inactive points too), in the order packets print them."""
    return TalkingPoint.objects.select_related("pillar", "state").order_by("-is_active", "priority", "id")


def packet_batch_progress(*, packet: BriefingPacket) -> dict[str, int]:
    counts = dict.fromkeys(PacketStatus.values, 0)
    for row in packet.children.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    total = sum(counts.values())
    finished = counts[PacketStatus.DONE] + counts[PacketStatus.FAILED]
    return {
        "total": total,
        "done": counts[PacketStatus.DONE],
        "failed": counts[PacketStatus.FAILED],
        "finished": finished,
        "percent": round(100 * finished / total) if total else 100,
    }


def template_default() -> PacketTemplate:
    """The admin-chosen default template, or a standard one created on first use."""
    template = PacketTemplate.objects.filter(is_default=True).first()
    if template is None:
        template, _ = PacketTemplate.objects.get_or_create(
            name="Standard", defaults={"is_default": True, "description": "All sections, no confidential notes."}
        )
    return template


# --- Trade ---------------------------------------------------------------------------------------


def scenario_for_packet(*, slug: str | None) -> TariffScenario | None:
    """The current version of the scenario `slug` (the default scenario without a slug); None if none."""
    try:
        return trade_selectors.scenario_get(slug=slug)
    except TariffScenario.DoesNotExist:
        return None


def _is_partial_year(row: dict) -> bool:
    # Trade marks years summed from incomplete monthly detail; the current year is never complete either.
    return bool(row.get("partial")) or row["year"] >= timezone.localdate().year


def trade_series(*, state: State, years: int = TREND_YEARS) -> dict:
    """Annual exports to / imports from Canada for the last `years` years with data, as trade has them."""
    latest_year = (
        TradeFlow.objects.effective().filter(state=state).order_by("-year").values_list("year", flat=True).first()
    )
    if latest_year is None:
        return {"series": [], "latest": None, "release_ids": []}
    first_year = latest_year - years + 1
    series = []
    for row in trade_selectors.trade_series_for_state(state=state, first_year=first_year):
        series.append(
            {
                "year": row["year"],
                "exports": int(row["exports"]),
                "imports": int(row["imports"]),
                "two_way": int(row["exports"]) + int(row["imports"]),
                "partial": _is_partial_year(row),
                "months": row.get("months", 12),
            }
        )
    releases = (
        TradeFlow.objects.effective()
        .filter(state=state, year__gte=first_year, hs_chapter__isnull=True, month__isnull=True)
        .order_by()
        .values_list("release_id", flat=True)
        .distinct()
    )
    latest_full = next((row for row in reversed(series) if not row["partial"]), None)
    return {"series": series, "latest": latest_full, "release_ids": sorted(releases)}


def trade_rank(*, year: int, state: State) -> dict:
    """The state's rank among states (excluding BTS's unknown-state bucket) by two-way trade in `year`."""
    totals = (
        TradeFlow.objects.effective()
        .annual_totals()
        .filter(year=year, state__is_pseudo=False)
        .order_by()
        .values("state_id")
        .annotate(value=Sum("value_usd"))
    )
    ordered = sorted(totals, key=lambda row: -row["value"])
    for index, row in enumerate(ordered, start=1):
        if row["state_id"] == state.pk:
            return {"rank": index, "of": len(ordered), "year": year}
    return {"rank": None, "of": len(ordered), "year": year}


def trade_detail(*, state: State, top_n: int = 8) -> dict | None:
    """Exports and imports by pillar and top HS chapters for the latest year with chapter detail.

    Chapter detail comes monthly; a year with fewer than 12 months is labelled partial. The latest
    full year is preferred; a partial year is used only when no full year exists.
    """
    months_by_year = {
        row["year"]: row["months"]
        for row in TradeFlow.objects.effective()
        .filter(state=state, month__isnull=False, hs_chapter__isnull=False)
        .order_by()
        .values("year")
        .annotate(months=Count("month", distinct=True))
    }
    if not months_by_year:
        return None
    full_years = [year for year, months in months_by_year.items() if months == 12]
    year = max(full_years) if full_years else max(months_by_year)
    months = months_by_year[year]
    pillars = [
        {
            "code": row["pillar"].code,
            "name": row["pillar"].name,
            "exports": int(row["exports"]),
            "imports": int(row["imports"]),
            "approximate": row["partial_chapter"],
        }
        for row in trade_selectors.trade_by_pillar_for_state(state=state, year=year)
        if row["exports"] or row["imports"]
    ]
    pillars.sort(key=lambda row: -(row["exports"] + row["imports"]))
    chapters = [
        {**row, "exports": int(row["exports"]), "imports": int(row["imports"])}
        for row in trade_selectors.trade_top_chapters_for_state(state=state, year=year, n=top_n)
    ]
    releases = (
        TradeFlow.objects.effective()
        .filter(state=state, year=year, hs_chapter__isnull=False)
        .order_by()
        .values_list("release_id", flat=True)
        .distinct()
    )
    return {
        "year": year,
        "months": months,
        "partial": months < 12,
        "pillars": pillars,
        "chapters": chapters,
        "release_ids": sorted(releases),
    }


def state_gdp(*, state: State) -> dict | None:
    economics = StateEconomics.objects.filter(state=state).order_by("-year").first()
    if economics is None:
        return None
    return {"year": economics.year, "gdp_usd": int(economics.gdp_usd), "source": economics.source}


def exposure_for_state(*, state: State, scenario: TariffScenario | None) -> dict | None:
    """The state's total and per-pillar exposure in the scenario's current snapshot (None if none)."""
    if scenario is None:
        return None
    exposure = trade_selectors.exposure_for_state(state=state, scenario=scenario)
    snapshot, total = exposure["snapshot"], exposure["total"]
    if snapshot is None or total is None:
        return None
    states_ranked = ExposureFigure.objects.filter(
        snapshot=snapshot, pillar__isnull=True, hs_chapter__isnull=True, rank__isnull=False
    ).count()
    return {
        "snapshot_id": snapshot.pk,
        "base_year": snapshot.base_year,
        "base_months": snapshot.base_months,
        "partial": snapshot.base_months < 12,
        # Shares of GDP divide base-year trade by the GDP of this year (the nearest held); printed with them.
        "gdp_year": snapshot.gdp_year,
        "gdp_share_years": str(snapshot.gdp_share_years),
        "release_ids": list(snapshot.releases.values_list("pk", flat=True)),
        "total": _figure_dict(total),
        "rank_of": states_ranked,
        "pillars": [
            {"code": figure.pillar.code, "name": figure.pillar.label, **_figure_dict(figure)}
            for figure in exposure["pillars"]
        ],
    }


def exposure_by_scenario(*, state: State) -> list[dict]:
    """The state's totals under every current scenario version, for comparing scenarios side by side."""
    return [
        {
            "slug": row["scenario"].slug,
            "name": row["scenario"].label,
            "version": row["scenario"].version,
            "snapshot_id": row["snapshot"].pk,
            "is_synthetic": row["scenario"].is_synthetic,
            **_figure_dict(row["figure"]),
        }
        for row in trade_selectors.exposure_by_scenario_for_state(state=state)
    ]


EXPOSURE_FIELDS = (
    "imports_from_canada",
    "exports_to_canada",
    "us_duty_cost",
    "counter_duty_exposure",
    "exports_at_risk_low",
    "exports_at_risk_central",
    "exports_at_risk_high",
    "jobs_at_risk_low",
    "jobs_at_risk_central",
    "jobs_at_risk_high",
    "two_way_trade_share_of_gdp",
    "duty_cost_share_of_gdp",
)


def _figure_dict(figure: ExposureFigure) -> dict:
    values = {
        name: (str(getattr(figure, name)) if getattr(figure, name) is not None else None) for name in EXPOSURE_FIELDS
    }
    values["rank"] = figure.rank
    return values


def releases_used(*, ids: set[int]) -> list[dict]:
    from trade.models import DataRelease

    return [
        {
            "id": release.pk,
            "source": release.source_label,
            "title": release.title_label,
            "url": release.url,
            "coverage": release.coverage_label,
            "vintage": release.vintage_date.isoformat(),
            "is_synthetic": release.is_synthetic,
        }
        for release in DataRelease.objects.filter(pk__in=ids).order_by("source", "title")
    ]


# --- Contacts ------------------------------------------------------------------------------------


def _last_contacts(*, person_ids: list[int] = (), organization_ids: list[int] = ()) -> dict[str, dict]:
    """Latest past interaction per person / organization: {"person:1": {"date", "kind", "stance"}}."""
    now = timezone.now()
    found: dict[str, dict] = {}
    for field, ids, prefix in (("people", person_ids, "person"), ("organizations", organization_ids, "organization")):
        if not ids:
            continue
        latest = (
            Interaction.objects.filter(**{f"{field}__in": ids}, occurred_at__lte=now)
            .order_by()
            .values(field)
            .annotate(last=Max("occurred_at"))
        )
        for row in latest:
            found[f"{prefix}:{row[field]}"] = {"date": row["last"].date().isoformat()}
    return found


def _person_row(person: Person, last: dict[str, dict]) -> dict:
    return {
        "id": person.pk,
        "name": person.display_name,
        "title": person.title or person.office,
        "party": person.party,
        "district": person.district,
        "district_label": person.district_label,
        "stance": person.stance,
        "stance_label": str(person.get_stance_display()),
        "owner": (person.owner.get_full_name() or person.owner.username) if person.owner_id else "",
        "last_contact": last.get(f"person:{person.pk}", {}).get("date"),
        "is_synthetic": person.is_synthetic,
    }


def person_profile(*, person: Person) -> dict:
    """Who they are: offices, positions, committees, party, district, states, stance history,
    relationship owner, and the people we know who know them."""
    person = (
        Person.objects.select_related("owner")
        .prefetch_related(
            "states",
            "pillars",
            Prefetch("positions", queryset=Position.objects.filter(is_current=True).select_related("organization")),
            Prefetch("committee_memberships", queryset=CommitteeMembership.objects.select_related("committee")),
            "stance_history__set_by",
        )
        .get(pk=person.pk)
    )
    links = list(
        Relationship.objects.filter(Q(from_person=person, to_person__isnull=False) | Q(to_person=person))
        .select_related("from_person__owner", "to_person__owner")
        .order_by("-strength", "id")[:10]
    )
    others = [link.to_person if link.from_person_id == person.pk else link.from_person for link in links]
    last = _last_contacts(person_ids=[person.pk, *[other.pk for other in others]])
    return {
        **_person_row(person, last),
        "kind": str(person.get_kind_display()) if hasattr(person, "get_kind_display") else "",
        "office": person.office,
        "chamber": str(person.get_chamber_display()) if person.chamber else "",
        "term_end": person.term_end.isoformat() if person.term_end else None,
        # A record the public data flags (an office term that may have changed hands, say) says so in
        # the packet too, as on the person's page.
        "needs_verification": bool(person.needs_verification),
        "verification_note": person.verification_note if person.needs_verification else "",
        "states": [{"code": state.code, "name": state.name} for state in person.states.all()],
        "pillars": [pillar.label for pillar in person.pillars.all()],
        "pillar_codes": [pillar.code for pillar in person.pillars.all()],
        "positions": [
            {"title": position.title, "organization": position.organization.name} for position in person.positions.all()
        ],
        "committees": [
            {"code": seat.committee.code, "name": seat.committee.name, "title": seat.title, "rank": seat.rank}
            for seat in person.committee_memberships.all()
        ],
        "stance_history": [
            {
                "stance": str(entry.get_stance_display()),
                "date": entry.set_at.date().isoformat(),
                "reason": entry.reason,
                "by": (entry.set_by.get_full_name() or entry.set_by.username) if entry.set_by_id else "",
            }
            for entry in list(person.stance_history.all())[:8]
        ],
        "known_through": [
            {
                **_person_row(other, last),
                "relationship": str(link.get_kind_display()),
                "strength": link.strength,
                "direction": "out" if link.from_person_id == person.pk else "in",
            }
            for link, other in zip(links, others, strict=True)
        ],
    }


def organization_profile(*, organization: Organization) -> dict:
    organization = (
        Organization.objects.select_related("owner", "hq_state", "parent")
        .prefetch_related("pillars", "state_presence__state")
        .get(pk=organization.pk)
    )
    people = list(
        Position.objects.filter(organization=organization, is_current=True)
        .select_related("person__owner")
        .order_by("id")[:12]
    )
    last = _last_contacts(person_ids=[p.person_id for p in people], organization_ids=[organization.pk])
    return {
        "id": organization.pk,
        "name": organization.name,
        "type": str(organization.get_org_type_display()),
        "description": organization.description,
        "hq_state": organization.hq_state.name if organization.hq_state_id else "",
        "canadian_link": str(organization.get_canadian_link_display()) if organization.canadian_link else "",
        "website": organization.website,
        "parent": organization.parent.name if organization.parent_id else "",
        "owner": (organization.owner.get_full_name() or organization.owner.username) if organization.owner_id else "",
        "pillars": [pillar.label for pillar in organization.pillars.all()],
        "pillar_codes": [pillar.code for pillar in organization.pillars.all()],
        "states": [
            {"code": p.state.code, "name": p.state.name, "employees": p.employees}
            for p in organization.state_presence.all()
        ],
        "last_contact": last.get(f"organization:{organization.pk}", {}).get("date"),
        "people": [{**_person_row(p.person, last), "position": p.title} for p in people],
        "is_synthetic": organization.is_synthetic,
    }


def who_matters_in_state(*, state: State, limit_orgs: int = 8) -> dict:
    """Governor, senators, members on trade committees, and leading organizations, each with our
    last contact and stance."""
    current = Person.objects.filter(states=state, is_current_office_holder=True).select_related("owner")
    governors = list(current.filter(kind=PersonKind.GOVERNOR).order_by("last_name"))
    senators = list(current.filter(kind=PersonKind.SENATOR).order_by("last_name"))
    seat_filter = Q(committee__code__in=TRADE_COMMITTEES) | Q(committee__parent__code__in=TRADE_COMMITTEES)
    members = list(
        current.filter(kind__in=[PersonKind.REPRESENTATIVE, PersonKind.DELEGATE, PersonKind.SENATOR])
        .filter(pk__in=CommitteeMembership.objects.filter(seat_filter).values("person_id"))
        .prefetch_related(
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.filter(seat_filter, committee__parent__isnull=True).select_related(
                    "committee"
                ),
                to_attr="trade_seats",
            )
        )
        .order_by("kind", "last_name")
    )
    organizations = list(
        Organization.objects.filter(Q(state_presence__state=state) | Q(hq_state=state))
        .annotate(employees=Max("state_presence__employees", filter=Q(state_presence__state=state)))
        .distinct()
        .order_by("-employees", "name")[:limit_orgs]
    )
    people_ids = [p.pk for p in governors + senators + members]
    last = _last_contacts(person_ids=people_ids, organization_ids=[o.pk for o in organizations])
    latest_stances = {
        row["organizations"]: row
        for row in Interaction.objects.filter(
            organizations__in=[o.pk for o in organizations], occurred_at__lte=timezone.now()
        )
        .exclude(stance_observed="")
        .order_by("organizations", "-occurred_at")
        .values("organizations", "stance_observed")
    }
    return {
        "governors": [_person_row(p, last) for p in governors],
        "senators": [_person_row(p, last) for p in senators],
        "committee_members": [
            {**_person_row(p, last), "committees": [seat.committee.name for seat in p.trade_seats]} for p in members
        ],
        "organizations": [
            {
                "id": o.pk,
                "name": o.name,
                "type": str(o.get_org_type_display()),
                "employees": o.employees,
                "last_contact": last.get(f"organization:{o.pk}", {}).get("date"),
                "stance": latest_stances.get(o.pk, {}).get("stance_observed", ""),
                "is_synthetic": o.is_synthetic,
            }
            for o in organizations
        ],
    }


# --- Outreach ------------------------------------------------------------------------------------


def history_for(
    *,
    user,
    include_confidential: bool,
    person: Person | None = None,
    organization: Organization | None = None,
    state: State | None = None,
    limit: int = 8,
) -> dict:
    """Recent past interactions, upcoming meetings, open commitments and open follow-ups.

    Confidential notes come only from `Interaction.objects.visible_to(user)` (the one rule for who
    reads them) and only when `include_confidential` is True; without a user (scheduled packets)
    the column is never loaded. Upcoming meetings carry no notes: the packet does not print them,
    so it does not store them either.
    """
    if user is not None:
        interactions = Interaction.objects.visible_to(user)
    else:
        interactions = Interaction.objects.defer("confidential_notes")
    if person is not None:
        scope = Q(people=person)
    elif organization is not None:
        scope = Q(organizations=organization)
    else:
        scope = Q(states=state) | Q(people__states=state)
    ids = Interaction.objects.filter(scope).values("pk")
    interactions = interactions.filter(pk__in=ids).select_related("created_by").prefetch_related("people", "staff")
    now = timezone.now()
    past = list(interactions.filter(occurred_at__lte=now).order_by("-occurred_at", "-id")[:limit])
    upcoming = list(interactions.filter(occurred_at__gt=now).order_by("occurred_at", "id")[:5])

    def row(item: Interaction, *, with_notes: bool = True) -> dict:
        readable = with_notes and include_confidential and user is not None
        notes = getattr(item, "visible_confidential_notes", "") if readable else ""
        return {
            "id": item.pk,
            "date": timezone.localtime(item.occurred_at).date().isoformat(),
            "kind": str(item.get_kind_display()),
            "with": ", ".join(p.display_name for p in item.people.all()),
            "staff": ", ".join(s.get_full_name() or s.username for s in item.staff.all()),
            "summary": item.summary,
            "asks": item.asks,
            "sentiment": str(item.get_sentiment_display()) if item.sentiment else "",
            "visible_confidential_notes": notes or "",
            "is_synthetic": item.is_synthetic,
        }

    commitments = list(
        Commitment.objects.filter(interaction__in=ids, status=CommitmentStatus.OPEN)
        .select_related("interaction")
        .order_by("interaction__occurred_at", "id")[:10]
    )
    follow_up_scope = Q(interaction__in=ids)
    if person is not None:
        follow_up_scope |= Q(person=person)
    if organization is not None:
        follow_up_scope |= Q(organization=organization)
    follow_ups = list(
        FollowUp.objects.filter(follow_up_scope, status=FollowUpStatus.OPEN)
        .select_related("assignee")
        .order_by("due_date", "id")[:10]
    )
    past_rows = [row(item) for item in past]
    return {
        "interactions": past_rows,
        "upcoming": [row(item, with_notes=False) for item in upcoming],
        "commitments": [
            {
                "id": c.pk,
                "party": c.party,
                "party_label": str(c.get_party_display()),
                "description": c.description,
                "since": timezone.localtime(c.interaction.occurred_at).date().isoformat(),
            }
            for c in commitments
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "what": f.what,
                "due": f.due_date.isoformat(),
                "assignee": f.assignee.get_full_name() or f.assignee.username,
                "overdue": f.due_date < timezone.localdate(),
            }
            for f in follow_ups
        ],
        "has_confidential": any(item["visible_confidential_notes"] for item in past_rows),
    }


def confidential_notes_of(*, interaction_ids) -> list[str]:
    """The confidential notes of these interactions, read only to check what a packet would store
    (`briefings.services.packet_stores_confidential`), never to print them."""
    return list(
        Interaction.objects.filter(pk__in=list(interaction_ids))
        .exclude(confidential_notes="")
        .values_list("confidential_notes", flat=True)
    )


def talking_points_for(*, state: State | None, pillar_codes: list[str], limit: int = 8) -> list[dict]:
    """Points for the state, then for the pillars that matter (in the order given), then general ones."""
    scope = Q(pillar__isnull=True, state__isnull=True)
    if state is not None:
        scope |= Q(state=state)
    if pillar_codes:
        scope |= Q(pillar__code__in=pillar_codes, state__isnull=True)
    points = list(TalkingPoint.objects.filter(scope, is_active=True).select_related("pillar", "state"))
    order = {code: index for index, code in enumerate(pillar_codes)}

    def rank(point: TalkingPoint) -> tuple:
        if point.state_id is not None:
            group = 0
        elif point.pillar_id is not None:
            group = 1 + order.get(point.pillar.code, len(order))
        else:
            group = 100
        return (group, point.priority, point.pk)

    points.sort(key=rank)
    return [
        {
            "id": p.pk,
            "text": p.text,
            "source": p.source,
            "source_url": p.source_url,
            "pillar": p.pillar.label if p.pillar_id else "",
            "state": p.state.code if p.state_id else "",
            "sector": p.sector,
        }
        for p in points[:limit]
    ]


def meetings_due(*, now: dt.datetime, lead: dt.timedelta) -> QuerySet[Interaction]:
    """Future meetings starting within `lead` from now (the calendar the schedule reads)."""
    return (
        Interaction.objects.meetings()
        .filter(occurred_at__gt=now, occurred_at__lte=now + lead)
        .defer("confidential_notes")
        .prefetch_related("people", "organizations", "states", "staff")
        .order_by("occurred_at", "id")
    )


PACKET_TARGET_CHOICES_LIMIT = 20


def _target_label(kind: str, target) -> str:
    if kind == TargetKind.PERSON:
        return f"{target.display_name} — {target.title}" if target.title else target.display_name
    if kind == TargetKind.STATE:
        return f"{target.name} ({target.code})"
    return target.name


def _target_value(kind: str, target) -> str:
    return target.code if kind == TargetKind.STATE else str(target.pk)


def packet_target_choices(*, user, kind: str, query: str) -> list[tuple[str, str]]:
    """(value, label) of the people, organizations, states or campaigns `user` sees whose name matches
    `query` (the stakeholder search, typos forgiven): a packet is requested by name, never by id."""
    from contacts.search import organization_search, person_search, states_matching
    from outreach.models import Campaign

    query = (query or "").strip()
    if not query:
        return []
    if kind == TargetKind.PERSON:
        found = person_search(Person.objects.visible_to(user), query=query)
    elif kind == TargetKind.ORGANIZATION:
        found = organization_search(Organization.objects.visible_to(user), query=query)
    elif kind == TargetKind.STATE:
        found = states_matching(query).filter(is_pseudo=False).order_by("name")
    elif kind == TargetKind.CAMPAIGN:
        found = Campaign.objects.visible_to(user).filter(name__icontains=query).order_by("name", "id")
    else:
        return []
    return [
        (_target_value(kind, target), _target_label(kind, target)) for target in found[:PACKET_TARGET_CHOICES_LIMIT]
    ]


def packet_target_option(*, user, kind: str, target_id: str) -> tuple[str, str] | None:
    """The (value, label) of the target a page or an earlier request named, if `user` may see it."""
    from outreach.models import Campaign

    target_id = str(target_id or "").strip()
    if not target_id:
        return None
    if kind == TargetKind.STATE:
        found = (
            State.objects.filter(pk=int(target_id))
            if target_id.isdigit()
            else State.objects.filter(code__iexact=target_id)
        )
    elif not target_id.isdigit():
        return None
    else:
        model = {TargetKind.PERSON: Person, TargetKind.ORGANIZATION: Organization, TargetKind.CAMPAIGN: Campaign}.get(
            kind
        )
        if model is None:
            return None
        found = model.objects.visible_to(user).filter(pk=int(target_id))
    target = found.first()
    return (_target_value(kind, target), _target_label(kind, target)) if target is not None else None


def packet_target_options(*, user, kind: str, target_id: str, query: str = "") -> list[tuple[str, str]]:
    """The request form's target list: the target already named (kept as typed when nobody matches it,
    so the form shows what was sent), then the matches of `query`."""
    target_id = (target_id or "").strip()[:20]
    current = packet_target_option(user=user, kind=kind, target_id=target_id)
    if current is None and target_id:
        current = (target_id, target_id)
    return ([current] if current else []) + packet_target_choices(user=user, kind=kind, query=query)
