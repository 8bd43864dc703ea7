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
    Rule("url:admin:autocomplete", ("GET",), by_role(*[ADMIN_LOGIN] * 4, 403)),
    Rule("url:admin:jsi18n", ("GET",), by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)),
    Rule("url:admin:*", ("GET",), ADMIN_SITE),
    Rule("route:admin/*", ("GET",), ADMIN_SITE),  # unnamed: object-id redirects and the catch-all
    # --- other apps' pages and API operations are added here at integration -----------------------
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


def _client_for_role(role, make_user, client_for):
    from django.test import Client

    if role == "anonymous":
        return Client()
    return client_for(make_user(ROLE_OF[role], username=f"matrix-{role}"))


def _request(client, method: str, url: str):
    if method in {"POST", "PUT", "PATCH"}:
        return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json")
    return getattr(client, method.lower())(url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, make_user, client_for):
    client = _client_for_role(role, make_user, client_for)
    cases = []
    for key, route in url_patterns():
        for method in sorted({m for rule in RULES if fnmatch.fnmatchcase(key, rule.match) for m in rule.methods}):
            rule = _rule_for(key, method)
            cases.append((key, method, _sample_url(route, rule), rule))
    for path, method in api_operations():
        rule = _rule_for(f"api:{path}", method)
        url = re.sub(r"\{(\w+)\}", "0", path)
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
        hidden = rule.hidden_fields.get(role, frozenset())
        if hidden and response.get("Content-Type", "").startswith("application/json"):
            leaked = hidden & _keys(response.json())
            if leaked:
                failures.append(f"{method} {url} as {role}: returned fields it may not read: {sorted(leaked)}")
    assert failures == [], "\n".join(failures)
