"""Reads: filtered people and organizations, saved segments, the person page's context."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet

from contacts.choices import StateRole
from contacts.filters import PERSON_FILTER_KEYS, OrganizationFilterSet, PersonFilterSet
from contacts.models import Organization, Person, SavedSegment, SourceChange


def clean_person_params(params: Any) -> dict[str, str]:
    """Only the known filter names with a non-empty value (what a saved segment stores)."""
    getter = params.get
    return {key: str(getter(key)).strip() for key in PERSON_FILTER_KEYS if getter(key) not in (None, "")}


def person_filterset(*, user, params: Any) -> PersonFilterSet:
    queryset = Person.objects.visible_to(user).with_list_relations()
    return PersonFilterSet(data=params, queryset=queryset, request=SimpleNamespace(user=user))


def person_filter(*, user, params: Any) -> QuerySet[Person]:
    """People the user may see, filtered by the shared filter names (invalid values are ignored)."""
    return person_filterset(user=user, params=params).qs


def organization_filter(*, user, params: Any) -> QuerySet[Organization]:
    queryset = Organization.objects.visible_to(user).with_list_relations()
    return OrganizationFilterSet(data=params, queryset=queryset, request=SimpleNamespace(user=user)).qs


def segment_people(*, segment: SavedSegment, user) -> QuerySet[Person]:
    """The people a saved segment selects now, as seen by `user` (campaigns call this)."""
    return person_filter(user=user, params=segment.filters)


def segments_for(*, user) -> QuerySet[SavedSegment]:
    return SavedSegment.objects.visible_to(user).select_related("owner")


def person_detail(*, user, pk: int) -> Person:
    return Person.objects.visible_to(user).with_detail_relations().get(pk=pk)


def organization_detail(*, user, pk: int) -> Organization:
    return Organization.objects.visible_to(user).with_detail_relations().get(pk=pk)


def person_trade_summary(*, person: Person) -> dict:
    """Trade with Canada and tariff exposure of the person's states under the default scenario.

    {"scenario", "base_year", "rows": [ExposureFigure with .state]} — one query for the figures.
    """
    from trade.models import TariffScenario
    from trade.selectors import exposure_state_totals, scenario_default

    try:
        scenario = scenario_default()
    except TariffScenario.DoesNotExist:
        return {"scenario": None, "base_year": None, "rows": []}
    state_ids = [state.pk for state in person.states.all()]
    rows = list(exposure_state_totals(scenario=scenario).filter(state_id__in=state_ids)) if state_ids else []
    base_year = rows[0].snapshot.base_year if rows else None
    return {"scenario": scenario, "base_year": base_year, "rows": rows}


def source_changes_pending(*, user) -> QuerySet[SourceChange]:
    """Public releases' new values for fields staff changed, oldest first: the Leads' review list."""
    return SourceChange.objects.visible_to(user).pending().with_list_relations().order_by("created_at", "id")


GLOBAL_SEARCH_LIMIT = 10


def global_search(*, user, query: str) -> dict[str, list]:
    """The header's search: the best matching people (exact matches first, then near ones), organizations
    and states, a few of each."""
    from contacts.search import organization_search, person_search, person_search_suggestion, states_matching

    query = (query or "").strip()
    if not query:
        return {"people": [], "organizations": [], "states": [], "suggestion": None}
    people = person_search(Person.objects.visible_to(user).select_related("owner"), query=query)
    organizations = organization_search(Organization.objects.visible_to(user), query=query)
    states = states_matching(query).filter(is_pseudo=False)
    people = list(people.prefetch_related("states")[:GLOBAL_SEARCH_LIMIT])
    return {
        "people": people,
        "organizations": list(organizations[:GLOBAL_SEARCH_LIMIT]),
        "states": list(states.order_by("name")[:GLOBAL_SEARCH_LIMIT]),
        # "Did you mean": the best near match when no person matched exactly.
        "suggestion": person_search_suggestion(people),
    }


def state_organizations_by_role(*, user, state) -> list[dict]:
    """The organizations that speak for business, manufacturers and farmers in a state, role by role, then the
    other organizations present there by kind: the compact stakeholder list on a state page."""
    organizations = list(Organization.objects.visible_to(user).filter(states=state).order_by("name"))
    groups: list[dict] = []
    placed: set[int] = set()
    for role in StateRole:
        members = [o for o in organizations if role.value in o.external_ids.get("state_roles", {}).get(state.code, [])]
        placed.update(o.pk for o in members)
        groups.append({"label": role.label, "organizations": members})
    others: dict[str, list[Organization]] = {}
    for organization in organizations:
        if organization.pk not in placed:
            others.setdefault(organization.get_org_type_display(), []).append(organization)
    groups.extend({"label": label, "organizations": members} for label, members in sorted(others.items()))
    return [group for group in groups if group["organizations"]]
