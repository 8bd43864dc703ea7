"""Permission matrix: every URL pattern and every API operation × every role → the expected status.

Pages come from the URL resolver, API operations from the OpenAPI schema (drf-spectacular), so a new
endpoint without a row in RULES fails `test_every_url_pattern_has_a_rule` /
`test_every_api_operation_has_a_rule`. Adding an app's endpoints = adding rows to RULES.

A rule matches a URL name (`url:` + glob on "namespace:name") or an API path (`api:` + glob on the
schema path, e.g. `api:/api/people/{id}/`). Parameterised URLs are reversed with sample values
(`0` for ids: nothing exists, so roles that may pass get 404, and roles that may not get 403 or a
login redirect: an object the user may not see answers 404, never a different code than a missing
one). `hidden_fields` lists JSON keys a role must never receive from that endpoint.
"""

from __future__ import annotations

import fnmatch
import json
import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from core.roles import Role

ROLES = ("anonymous", "viewer", "officer", "lead", "admin")
ROLE_OF = {"viewer": Role.VIEWER, "officer": Role.OFFICER, "lead": Role.LEAD, "admin": Role.ADMIN}

LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the Django admin login page
Expect = int | str | frozenset


def by_role(anonymous: Expect, viewer: Expect, officer: Expect, lead: Expect, admin: Expect) -> dict[str, Expect]:
    return dict(zip(ROLES, (anonymous, viewer, officer, lead, admin), strict=True))


def signed_in(status: Expect, *, anonymous: Expect = LOGIN) -> dict[str, Expect]:
    """Any role may; anonymous is sent to log in."""
    return by_role(anonymous, status, status, status, status)


def from_role(minimum: str, ok: Expect, *, denied: Expect = 403, anonymous: Expect = 403) -> dict[str, Expect]:
    """Roles from `minimum` up get `ok`; lower roles `denied`; anonymous `anonymous` (API default 403)."""
    start = ROLES.index(minimum)
    return {
        role: anonymous if role == "anonymous" else (ok if ROLES.index(role) >= start else denied) for role in ROLES
    }


ADMIN_SITE = by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, frozenset({200, 302, 404}))


@dataclass(frozen=True)
class Rule:
    match: str
    methods: tuple[str, ...]
    expect: dict[str, Expect]
    hidden_fields: dict[str, frozenset[str]] = field(default_factory=dict)
    kwargs: dict[str, str] = field(default_factory=dict)


# ONE table. Most specific rows first: the first matching row wins.
RULES: list[Rule] = [
    # --- public -------------------------------------------------------------------------------
    Rule("url:healthz", ("GET",), by_role(200, 200, 200, 200, 200)),
    Rule("url:login", ("GET",), by_role(200, 302, 302, 302, 302)),
    Rule("url:logout", ("POST",), by_role(302, 302, 302, 302, 302)),
    Rule("url:logout", ("GET",), by_role(405, 405, 405, 405, 405)),
    # --- core pages -----------------------------------------------------------------------------
    Rule("url:account", ("GET",), signed_in(200)),
    # The header's language switch works signed in or not (the login page has it) and always redirects.
    Rule("url:language-set", ("POST",), by_role(302, 302, 302, 302, 302)),
    Rule("url:language-set", ("GET",), by_role(405, 405, 405, 405, 405)),
    # Admins in these tests have already enrolled and verified: set-up sends them back to their account.
    Rule("url:two-factor-setup", ("GET",), by_role(LOGIN, 200, 200, 200, 302)),
    # Without an enrolled device the verify step sends people to set-up.
    Rule("url:two-factor-verify", ("GET",), by_role(LOGIN, 302, 302, 302, 200)),
    Rule("url:dashboard", ("GET",), signed_in(200)),
    # --- API documentation ----------------------------------------------------------------------
    Rule("url:schema", ("GET",), by_role(403, 200, 200, 200, 200)),
    Rule("url:swagger-ui", ("GET",), by_role(403, 200, 200, 200, 200)),
    # --- Django admin: Admin role (with a verified second factor) only ---------------------------
    Rule("url:admin:logout", ("GET",), by_role(302, 302, 302, 302, 405)),
    # Nobody, not even an Admin, may read another user's authenticator secret.
    Rule("url:admin:otp_totp_totpdevice_config", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:otp_totp_totpdevice_qrcode", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:login", ("GET",), by_role(200, 200, 200, 200, 302)),
    # Audit events and login-attempt records are read-only, even for Admins.
    Rule("url:admin:core_auditevent_add", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:core_auditevent_delete", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:axes_*_add", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    # Imported and computed figures change only through imports and refreshes; scenarios are
    # versioned (a new version, never a delete); the priority weights are one row; calendar secrets
    # are issued by their user; briefing packets are generated, never typed in. The admin offers no
    # add/delete for them, even to Admins.
    *[
        Rule(f"url:admin:{name}", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403))
        for name in (
            "trade_datarelease_add",
            "trade_datarelease_delete",
            "trade_importrun_add",
            "trade_importrun_delete",
            "trade_tradeflow_add",
            "trade_tradeflow_delete",
            "trade_nationaltradeflow_add",
            "trade_nationaltradeflow_delete",
            "trade_tariffscenario_delete",
            "trade_scenariorate_add",
            "trade_scenariorate_delete",
            "trade_scenariochapterrate_add",
            "trade_scenariochapterrate_delete",
            "trade_exposuresnapshot_add",
            "trade_exposuresnapshot_delete",
            "trade_exposurefigure_add",
            "trade_exposurefigure_delete",
            # Per-measure rates and figures are derived by the regime engine on each refresh.
            "trade_scenariomeasurerate_add",
            "trade_scenariomeasurerate_delete",
            "trade_exposuremeasurefigure_add",
            "trade_exposuremeasurefigure_delete",
            "outreach_priorityweights_add",
            "outreach_priorityweights_delete",
            "contacts_influenceweights_add",
            "contacts_influenceweights_delete",
            "outreach_calendartoken_add",
            "briefings_briefingpacket_add",
            # Stance and influence change only through their service; source changes are reviewed
            # on the Leads' page; public-data releases are recorded by the loader.
            "contacts_stanceentry_add",
            "contacts_influenceentry_add",
            "contacts_sourcechange_add",
            "contacts_publicdatarelease_add",
        )
    ],  # fmt: skip
    Rule("url:admin:autocomplete", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:jsi18n", ("GET",), by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)),
    Rule("url:admin:*", ("GET",), ADMIN_SITE),
    Rule("route:admin/*", ("GET",), ADMIN_SITE),  # unnamed: object-id redirects and the catch-all
    # --- trade pages: everyone with a role reads trade figures, scenarios and exposure ------------
    Rule("url:trade:state-list", ("GET",), signed_in(200)),
    Rule("url:trade:state-detail", ("GET",), signed_in(404)),
    Rule("url:trade:scenario-list", ("GET",), signed_in(200)),
    Rule("url:trade:scenario-compare", ("GET",), signed_in(frozenset({200, 404}))),
    Rule("url:trade:release-list", ("GET",), signed_in(200)),
    Rule("url:trade:tariff-timeline", ("GET",), signed_in(200)),
    # Leads correct measures; the sample slug names none, so a Lead gets 404.
    Rule("url:trade:tariff-measure-edit", ("GET", "POST"), by_role(LOGIN, 403, 403, 404, 404)),
    # --- contacts pages: Viewers read; Officers add and edit what they own; Leads merge ----------
    Rule("url:contacts:person-list", ("GET",), signed_in(200)),
    Rule("url:contacts:search", ("GET",), signed_in(200)),
    Rule("url:contacts:person-export", ("GET",), signed_in(200)),
    Rule("url:contacts:duplicates", ("GET",), signed_in(200)),
    Rule("url:contacts:person-detail", ("GET",), signed_in(404)),
    Rule("url:contacts:organization-list", ("GET",), signed_in(200)),
    Rule("url:contacts:organization-detail", ("GET",), signed_in(404)),
    Rule("url:contacts:person-create", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:contacts:organization-create", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    # An empty form re-renders with its errors.
    Rule("url:contacts:person-create", ("POST",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:contacts:organization-create", ("POST",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:contacts:person-edit", ("GET", "POST"), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:contacts:person-successor", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:contacts:organization-edit", ("GET", "POST"), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:contacts:merge", ("GET", "POST"), by_role(LOGIN, 403, 403, 404, 404)),
    # Anyone with a role keeps their own saved segments.
    Rule("url:contacts:segment-save", ("POST",), signed_in(302)),
    Rule("url:contacts:segment-delete", ("POST",), signed_in(404)),
    Rule("url:contacts:import-upload", ("GET", "POST"), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:contacts:import-preview", ("GET",), by_role(LOGIN, 403, 404, 404, 404)),
    # Leads review what a public release says about fields staff changed.
    Rule("url:contacts:source-changes", ("GET",), by_role(LOGIN, 403, 403, 200, 200)),
    Rule("url:contacts:source-change-resolve", ("POST",), by_role(LOGIN, 403, 403, 404, 404)),
    # --- outreach pages: Viewers read; Officers log interactions and follow-ups; Leads campaigns ---
    Rule("url:interactions", ("GET",), signed_in(200)),
    Rule("url:interaction-export", ("GET",), signed_in(200)),
    Rule("url:interaction-detail", ("GET",), signed_in(404)),
    Rule("url:interaction-new", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:interaction-new", ("POST",), by_role(LOGIN, 403, 400, 400, 400)),
    Rule("url:interaction-people-options", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:commitment-status", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:commitment-owner", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:follow-ups", ("GET",), signed_in(200)),
    Rule("url:follow-up-new", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    Rule("url:follow-up-new", ("POST",), by_role(LOGIN, 403, 400, 400, 400)),
    Rule("url:follow-up-done", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:follow-up-cancel", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:calendar", ("GET",), signed_in(200)),
    # Each user manages their own calendar feed secret.
    Rule("url:calendar-token", ("POST",), signed_in(302)),
    # The feed is authenticated by its secret alone (calendar apps cannot log in): a wrong one is 404.
    Rule("url:calendar-feed", ("GET",), by_role(404, 404, 404, 404, 404)),
    Rule("url:campaigns", ("GET",), signed_in(200)),
    Rule("url:campaign-new", ("GET",), by_role(LOGIN, 403, 403, 200, 200)),
    Rule("url:campaign-new", ("POST",), by_role(LOGIN, 403, 403, 400, 400)),
    Rule("url:campaign-detail", ("GET",), signed_in(404)),
    Rule("url:campaign-detail", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:campaign-target-status", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:campaign-targets-add", ("POST",), by_role(LOGIN, 403, 404, 404, 404)),
    Rule("url:priorities", ("GET",), signed_in(200)),
    Rule("url:coverage", ("GET",), signed_in(200)),
    # --- briefing packets: any role reads packets, Officers request them; files only for a visible packet ---
    Rule("url:briefings:list", ("GET",), signed_in(200)),
    Rule("url:briefings:request", ("GET",), by_role(LOGIN, 403, 200, 200, 200)),
    # An empty request form re-renders with its errors.
    Rule("url:briefings:request", ("POST",), by_role(LOGIN, 403, 400, 400, 400)),
    Rule("url:briefings:talking-points", ("GET",), signed_in(200)),
    Rule("url:briefings:*", ("GET",), signed_in(404)),
    # --- API: anonymous 403; Viewers read; writes per the role table ------------------------------
    # trade: read-only for every role (scenarios, releases and imports change in the admin).
    Rule("api:/api/states/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/states/{code}/*", ("GET",), from_role("viewer", 404), kwargs={"code": "ZZ"}),
    Rule("api:/api/scenarios/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/tariff-measures/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/tariff-measures/{slug}/", ("GET",), from_role("viewer", 404), kwargs={"slug": "no-such-measure"}),
    # No scenario exists in this empty database: the exposure list says so with a 404.
    Rule("api:/api/exposure/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/data-releases/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/data-releases/{id}/", ("GET",), from_role("viewer", 404)),
    # contacts: read-only API (edits go through the pages); saved segments are each user's own.
    Rule("api:/api/people/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/organizations/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/positions/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/relationships/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/segments/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/segments/", ("POST",), from_role("viewer", 400)),
    Rule("api:/api/people/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/organizations/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/positions/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/relationships/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/segments/{id}/*", ("GET", "DELETE"), from_role("viewer", 404)),
    # outreach
    Rule(
        "api:/api/interactions/",
        ("GET",),
        from_role("viewer", 200),
        hidden_fields={"viewer": frozenset({"confidential_notes"}), "officer": frozenset({"confidential_notes"})},
    ),
    Rule("api:/api/interactions/", ("POST",), from_role("officer", 400)),
    Rule("api:/api/interactions/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/interactions/{id}/", ("PATCH",), from_role("officer", 404)),
    Rule("api:/api/follow-ups/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/follow-ups/", ("POST",), from_role("officer", 400)),
    Rule("api:/api/follow-ups/{id}/", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/follow-ups/{id}/*/", ("POST",), from_role("officer", 404)),
    Rule("api:/api/campaigns/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/campaigns/", ("POST",), from_role("lead", 400)),
    Rule("api:/api/campaigns/{id}/*", ("GET",), from_role("viewer", 404)),
    Rule("api:/api/campaigns/{id}/targets/", ("POST",), from_role("officer", 404)),
    Rule("api:/api/priorities/", ("GET",), from_role("viewer", 200)),
    # briefings: any role reads packets, Officers request them (202); a packet the user may not see is 404.
    Rule("api:/api/briefings/", ("GET",), from_role("viewer", 200)),
    Rule("api:/api/briefings/", ("POST",), from_role("officer", 400)),
    Rule("api:/api/briefings/{id}*", ("GET",), from_role("viewer", 404)),
]

ENDS_SESSION = {"url:logout", "url:admin:logout"}
URL_PARAM_SAMPLES = {"int": "0", "str": "0", "slug": "x", "path": "0", "uuid": str(uuid.UUID(int=0))}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), prefix + str(entry.pattern), entry


def url_patterns() -> list[tuple[str, str]]:
    """(rule key, route) of every page URL; API routes are covered through the schema instead.

    Named patterns are keyed `url:<namespace:name>`, unnamed ones `route:<route>`."""
    found = []
    for name, route, _ in _walk(get_resolver().url_patterns):
        if route.startswith("api/") and name not in ("schema", "swagger-ui"):
            continue
        found.append((_page_key(name, route), route))
    return found


def api_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, operations in schema.get("paths", {}).items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _rule_for(key: str, method: str) -> Rule | None:
    for rule in RULES:
        if method in rule.methods and fnmatch.fnmatchcase(key, rule.match):
            return rule
    return None


def _sample_url(route: str, rule: Rule) -> str:
    """A concrete URL for a route: converters get sample values, regex groups their first choice."""

    def converter(match: re.Match) -> str:
        kind, name = match.group(1) or "str", match.group(2)
        return rule.kwargs.get(name, URL_PARAM_SAMPLES.get(kind, "0"))

    def regex_group(match: re.Match) -> str:
        name, body = match.group(1), match.group(2)
        if name in rule.kwargs:
            return rule.kwargs[name]
        first = body.split("|")[0]
        return first if re.fullmatch(r"[\w-]+", first) else "0"

    url = re.sub(r"<(?:(\w+):)?(\w+)>", converter, route)
    url = re.sub(r"\(\?P<(\w+)>([^)]*)\)", regex_group, url)
    return "/" + url.replace("^", "").replace("$", "")


def _page_key(name: str | None, route: str) -> str:
    return f"url:{name}" if name else f"route:{route}"


def test_every_url_pattern_has_a_rule():
    missing = [key for key, _ in url_patterns() if not any(fnmatch.fnmatchcase(key, rule.match) for rule in RULES)]
    assert missing == [], f"add rows to RULES for: {missing}"


def test_every_api_operation_has_a_rule():
    missing = [(path, method) for path, method in api_operations() if _rule_for(f"api:{path}", method) is None]
    assert missing == [], f"add rows to RULES for: {missing}"


def _status_matches(response, expected: Expect) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/login/")
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/admin/login/")
    if isinstance(expected, frozenset):
        return response.status_code in expected
    return response.status_code == expected


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in _keys(value)}
    if isinstance(data, list):
        return {k for item in data for k in _keys(item)}
    return set()


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _client_for_role(role, make_user, client_for):
    from django.test import Client

    if role == "anonymous":
        return Client()
    return client_for(make_user(ROLE_OF[role], username=f"matrix-{role}"))


def _request(client, method: str, url: str):
    if method in {"POST", "PUT", "PATCH"}:
        return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json")
    return getattr(client, method.lower())(url)


SECRET = "matrix-confidential-7f3a: the governor's private view"
# Roles that must never receive the seeded note (written by a third user, a Lead).
SECRET_BLIND = {"anonymous", "viewer", "officer"}


def _seed_confidential_interaction(make_user) -> None:
    """One interaction written by a Lead with a confidential note, so lists, exports and the
    dashboard have a row, and `hidden_fields` and the no-leak scan below check real content."""
    from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory

    author = make_user(Role.LEAD, username="matrix-note-author")
    InteractionFactory(
        created_by=author, people=[SyntheticPersonFactory()], summary="Matrix call", confidential_notes=SECRET
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, make_user, client_for):
    _seed_confidential_interaction(make_user)
    client = _client_for_role(role, make_user, client_for)
    cases = []
    for key, route in url_patterns():
        for method in sorted({m for rule in RULES if fnmatch.fnmatchcase(key, rule.match) for m in rule.methods}):
            rule = _rule_for(key, method)
            cases.append((key, method, _sample_url(route, rule), rule))
    for path, method in api_operations():
        rule = _rule_for(f"api:{path}", method)
        url = re.sub(r"\{(\w+)\}", lambda m, rule=rule: rule.kwargs.get(m.group(1), "0"), path)
        cases.append((f"api:{path}", method, url, rule))
    assert cases
    # Logging out ends the test client's session: do it last.
    cases.sort(key=lambda case: case[0] in ENDS_SESSION and case[1] == "POST")
    failures = []
    for key, method, url, rule in cases:
        expected = rule.expect[role]
        response = _request(client, method, url)
        if not _status_matches(response, expected):
            location = response.get("Location", "")
            failures.append(f"{method} {url} ({key}) as {role}: got {response.status_code} {location}, want {expected}")
            continue
        if role in SECRET_BLIND and SECRET.encode() in _body(response):
            failures.append(f"{method} {url} as {role}: response holds a confidential note it may not read")
        hidden = rule.hidden_fields.get(role, frozenset())
        if hidden and response.get("Content-Type", "").startswith("application/json"):
            leaked = hidden & _keys(response.json())
            if leaked:
                failures.append(f"{method} {url} as {role}: returned fields it may not read: {sorted(leaked)}")
    assert failures == [], "\n".join(failures)
