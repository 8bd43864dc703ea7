"""What the bench measures: one line per page or endpoint (add a page = add a line).

`path` may hold placeholders filled from the bench database by `bench_pages.resolve_placeholders`:
{person} (the synthetic person with the most interactions: the longest timeline), {typical_person}
(a synthetic person with a median number of interactions), {organization}, {state} (a state code),
{search} (an exact synthetic name), {typo} (the same name misspelled), {interaction}, {campaign}.
`kind` decides which targets apply: list (≤ 15 queries, constant; median < 100 ms), detail and
search (median < 100 ms), priorities (who to call next computed live for everyone < 2 s), admin (no
full-table count), other (measured, no target). The dashboard counts as a detail page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: str
    in_load_mix: int = 0  # relative weight in the load run's page mix (0: not in the mix)
    # In tests/scale's 10-vs-200-rows query-count test (False: needs the public reference data, which
    # the owning app's own query-count test sets up).
    in_query_count_test: bool = True


PAGES: list[Target] = [
    Target("Dashboard", "/", "detail", in_load_mix=4),
    Target("Stakeholder list", "/stakeholders/", "list", in_load_mix=4),
    Target("Stakeholder list, page 50", "/stakeholders/?page=50", "list"),
    Target("Stakeholder list, filtered", "/stakeholders/?state={state}&stance=supportive", "list", in_load_mix=2),
    Target("Stakeholder search", "/stakeholders/?q={search}", "search", in_load_mix=3),
    Target("Stakeholder search, typo", "/stakeholders/?q={typo}", "search", in_load_mix=1),
    # One word that every synthetic person's name holds: 100,000 matches, listed by name, not ranked.
    Target("Stakeholder search, common word", "/stakeholders/?q=Synthetic", "search"),
    Target("Person page (longest timeline)", "/stakeholders/{person}/", "detail", in_load_mix=2),
    Target("Person page (typical)", "/stakeholders/{typical_person}/", "detail", in_load_mix=4),
    Target("Organization list", "/organizations/", "list", in_load_mix=1),
    Target("Organization page", "/organizations/{organization}/", "detail", in_load_mix=2),
    Target("Duplicates", "/stakeholders/duplicates/", "other"),
    Target("State list", "/states/", "list", in_load_mix=1),
    Target("State page", "/states/{state}/", "detail", in_load_mix=2),
    Target("Interactions list", "/interactions/", "list", in_load_mix=3),
    Target("Interactions list, page 100", "/interactions/?page=100", "list"),
    Target("Interaction page", "/interactions/{interaction}/", "detail", in_load_mix=1),
    Target("Follow-ups (mine)", "/follow-ups/", "list", in_load_mix=2),
    Target("Calendar", "/calendar/", "other"),
    Target("Campaigns", "/campaigns/", "list"),
    Target("Who to call next", "/priorities/", "list", in_load_mix=2),
    # A pillar changes every exposure figure, so this one is computed live for everyone (target < 2 s).
    Target("Who to call next, by pillar", "/priorities/?pillar=energy", "priorities"),
    Target("Coverage gaps", "/coverage/", "other", in_load_mix=1),
    Target("Briefings", "/briefings/", "list"),
    Target("Admin: people", "/admin/contacts/person/", "admin"),
    Target("Admin: people, search", "/admin/contacts/person/?q={search}", "admin"),
    Target("Admin: organizations", "/admin/contacts/organization/", "admin"),
    Target("Admin: interactions", "/admin/outreach/interaction/", "admin"),
    Target("Admin: follow-ups", "/admin/outreach/followup/", "admin"),
    Target("API: people", "/api/people/", "list", in_load_mix=1),
    Target("API: people, page_size 200", "/api/people/?page_size=200", "list"),
    Target("API: people, search", "/api/people/?q={search}", "search"),
    Target("API: organizations", "/api/organizations/", "list"),
    Target("API: positions", "/api/positions/", "list"),
    Target("API: relationships", "/api/relationships/", "list"),
    Target("API: segments", "/api/segments/", "list"),
    Target("API: interactions", "/api/interactions/", "list", in_load_mix=1),
    Target("API: interactions, page_size 200", "/api/interactions/?page_size=200", "list"),
    Target("API: follow-ups", "/api/follow-ups/", "list"),
    Target("API: campaigns", "/api/campaigns/", "list"),
    Target("API: priorities", "/api/priorities/", "list"),
    Target("API: states", "/api/states/", "list"),
    Target("API: exposure", "/api/exposure/", "list", in_query_count_test=False),
    Target("API: briefing packets", "/api/briefings/", "list"),
]

# Targets from the issue, by kind.
MAX_LIST_QUERIES = 15
MEDIAN_MS = {"list": 100, "detail": 100, "search": 100, "priorities": 2000}
LOAD_P95_MS = 300
