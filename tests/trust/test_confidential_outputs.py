"""Confidential notes × every route × every renderer × every role: the note appears exactly where the
rule allows (its author, Leads and Admins) and nowhere else.

A Lead who is not the role under test writes two interactions with unique markers in their
confidential notes: a past meeting and an upcoming one. Every page URL (from the resolver, the Django
admin included) and every API operation (from the OpenAPI schema) is fetched with GET as each role —
none (signed in, no role group), anonymous, Viewer, Officer, Lead and Admin — and the API also as
`?format=api` and with `Accept: text/html` (DRF's browsable API and its edit forms). Bodies are read
as what they are: HTML, JSON, CSV, ICS, XLSX (cell values) and PDF (extracted text). `SHOWN` is the one
table of where a reader may see a marker; every other (route, role) must show neither.

New routes are covered automatically. A route with parameters needs a row in `PARAMS` (ids of the
seeded records, or an explicit "nothing to show" sample) — `test_every_parameterised_route_is_listed`
fails otherwise.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from core.roles import Role
from tests.trust.test_permission_matrix import URL_PARAM_SAMPLES, _walk, api_operations

PAST = "MARKPAST7f3a91senatorwillnotrun"
FUTURE = "MARKFUTURE9b2d44askaboutquota"
ROLES = ("none", "anonymous", "viewer", "officer", "lead", "admin")
ROLE_OF = {"none": None, "viewer": Role.VIEWER, "officer": Role.OFFICER, "lead": Role.LEAD, "admin": Role.ADMIN}
# The rule: a note is read by its author, Leads and Admins. The author here is a third user, a Lead.
READERS = frozenset({"lead", "admin"})
ADMIN_ONLY = frozenset({"admin"})


@dataclass
class Seed:
    past: object
    future: object
    person: object
    organization: object
    campaign: object
    target: object
    packet: object
    audit_event_id: int | None
    calendar_token: str


# Where a marker may appear, and to whom. Key: route key (`url:<name>` / `api:<schema path>`), value:
# (markers, roles). Every route not listed shows no marker to anyone.
SHOWN: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # The interaction page prints the notes, and (Leads and Admins) its history of them.
    "url:interaction-detail": (frozenset({PAST}), READERS),
    # The CSV export of the interaction list has a confidential_notes column.
    "url:interaction-export": (frozenset({PAST, FUTURE}), READERS),
    # Timelines on the person, organization and state pages print notes to those who may read them.
    "url:contacts:person-detail": (frozenset({PAST, FUTURE}), READERS),
    "url:contacts:organization-detail": (frozenset({PAST, FUTURE}), READERS),
    "url:trade:state-detail": (frozenset({PAST, FUTURE}), READERS),
    # The API: JSON and the browsable API's forms alike.
    "api:/api/interactions/": (frozenset({PAST, FUTURE}), READERS),
    "api:/api/interactions/{id}/": (frozenset({PAST}), READERS),
    # The Lead's packet (template with notes) prints the past meeting's note; a packet holding notes
    # is only for its requester, Leads and Admins.
    "url:briefings:html": (frozenset({PAST}), READERS),
    "url:briefings:pdf": (frozenset({PAST}), READERS),
    "api:/api/briefings/{id}/html": (frozenset({PAST}), READERS),
    "api:/api/briefings/{id}/pdf": (frozenset({PAST}), READERS),
    # Django admin (Admin role only): the interaction's change form and its audit events.
    "url:admin:outreach_interaction_change": (frozenset({PAST}), ADMIN_ONLY),
    "url:admin:core_auditevent_change": (frozenset({PAST}), ADMIN_ONLY),
}

# Parameters of routes that take them: a function of the seed, or "sample" for routes whose records
# hold no note (their sample ids match nothing, or match records that carry no confidential text).
# Glob keys; the first match wins.
PARAMS: list[tuple[str, object]] = [
    ("url:interaction-detail", lambda s: {"pk": s.past.pk}),
    ("url:commitment-status", "sample"),  # POST only
    ("url:commitment-owner", "sample"),  # POST only
    ("url:contacts:person-detail", lambda s: {"pk": s.person.pk}),
    ("url:contacts:person-edit", lambda s: {"pk": s.person.pk}),
    ("url:contacts:person-successor", "sample"),  # POST only
    ("url:contacts:organization-detail", lambda s: {"pk": s.organization.pk}),
    ("url:contacts:organization-edit", lambda s: {"pk": s.organization.pk}),
    ("url:contacts:*", "sample"),  # merge, segments, import previews: no interaction content
    ("url:trade:state-detail", lambda s: {"code": "MI"}),
    ("url:trade:*", "sample"),
    ("url:campaign-detail", lambda s: {"pk": s.campaign.pk}),
    ("url:campaign-target-status", lambda s: {"pk": s.campaign.pk, "target_pk": s.target.pk}),  # POST only
    ("url:campaign-targets-add", lambda s: {"pk": s.campaign.pk}),  # POST only
    ("url:follow-up-*", "sample"),  # POST only
    ("url:calendar-feed", lambda s: {"token": s.calendar_token}),
    ("url:briefings:*", lambda s: {"pk": s.packet.pk}),
    ("url:admin:outreach_interaction_*", lambda s: {"object_id": str(s.past.pk)}),
    ("url:admin:outreach_commitment_*", lambda s: {"object_id": str(s.past.commitments.get().pk)}),
    ("url:admin:core_auditevent_*", lambda s: {"object_id": str(s.audit_event_id or 0)}),
    ("url:admin:briefings_briefingpacket_*", lambda s: {"object_id": str(s.packet.pk)}),
    # Every other admin object page: sample id 0 (the admin redirects to its index).
    ("url:admin:*", "sample"),
    ("route:admin/*", "sample"),
    ("api:/api/interactions/{id}/", lambda s: {"id": s.past.pk}),
    ("api:/api/people/{id}/", lambda s: {"id": s.person.pk}),
    ("api:/api/organizations/{id}/", lambda s: {"id": s.organization.pk}),
    ("api:/api/campaigns/{id}/*", lambda s: {"id": s.campaign.pk}),
    ("api:/api/briefings/{id}*", lambda s: {"id": s.packet.pk}),
    ("api:/api/states/{code}/*", lambda s: {"code": "MI"}),
    ("api:*", "sample"),  # follow-ups, positions, relationships, segments, releases: no note
]

# Extra query strings fetched as well as the bare URL (other renderers and filters of one route).
EXTRA_QUERIES = {
    "url:contacts:person-export": ("?format=xlsx",),
    "url:calendar": ("?all=1",),
    "url:interactions": ("?q=MARK",),
}
API_VARIANTS = (("", {}), ("?format=api", {}), ("", {"HTTP_ACCEPT": "text/html"}))


def _params_for(key: str):
    for pattern, value in PARAMS:
        if fnmatch.fnmatchcase(key, pattern):
            return value
    return None


def _page_routes() -> list[tuple[str, str]]:
    from django.urls import get_resolver

    routes = []
    for name, route, _ in _walk(get_resolver().url_patterns):
        if route.startswith("api/") and name not in ("schema", "swagger-ui"):
            continue
        routes.append((f"url:{name}" if name else f"route:{route}", route))
    return routes


def _has_params(route: str) -> bool:
    return bool(re.search(r"<[^>]+>|\(\?P<", route))


def test_every_parameterised_route_is_listed():
    missing = [key for key, route in _page_routes() if _has_params(route) and _params_for(key) is None]
    missing += [f"api:{path}" for path, _ in api_operations() if "{" in path and _params_for(f"api:{path}") is None]
    assert missing == [], f"add rows to PARAMS for: {sorted(set(missing))}"


def test_every_shown_route_exists():
    keys = {key for key, _ in _page_routes()} | {f"api:{path}" for path, _ in api_operations()}
    assert set(SHOWN) - keys == set()


def _url(route: str, kwargs: dict) -> str:
    def converter(match: re.Match) -> str:
        kind, name = match.group(1) or "str", match.group(2)
        return str(kwargs.get(name, URL_PARAM_SAMPLES.get(kind, "0")))

    def regex_group(match: re.Match) -> str:
        name, body = match.group(1), match.group(2)
        if name in kwargs:
            return str(kwargs[name])
        first = body.split("|")[0]
        return first if re.fullmatch(r"[\w-]+", first) else "0"

    url = re.sub(r"<(?:(\w+):)?(\w+)>", converter, route)
    url = re.sub(r"\(\?P<(\w+)>([^)]*)\)", regex_group, url)
    return "/" + url.replace("^", "").replace("$", "")


def _text(response) -> str:
    """What a reader gets from the body, whatever its format."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf") and body.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    return body.decode(errors="replace")


def _seed(make_user, role_user) -> Seed:
    from briefings.services import packet_generate, packet_request
    from core.models import AuditEvent
    from outreach import services
    from tests.briefings.factories import PacketTemplateFactory
    from tests.outreach.factories import (
        CampaignFactory,
        CampaignTargetFactory,
        StateFactory,
        SyntheticOrganizationFactory,
        SyntheticPersonFactory,
    )

    author = make_user(Role.LEAD, username="marker-author")
    state = StateFactory(code="MI", name="Michigan")
    person = SyntheticPersonFactory(full_name="Pat Synthetic", states=[state])
    organization = SyntheticOrganizationFactory()
    staff = [role_user] if role_user is not None else []
    common = {
        "actor": author,
        "kind": "meeting",
        "people": [person],
        "organizations": [organization],
        "states": [state],
        "staff": staff,
    }
    now = timezone.now()
    past = services.interaction_log(
        **common,
        occurred_at=now - dt.timedelta(days=5),
        summary="Synthetic past meeting",
        confidential_notes=PAST,
        commitments_by_them="Send the synthetic figures",
    )
    future = services.interaction_log(
        **common,
        occurred_at=now + dt.timedelta(days=3),
        summary="Synthetic upcoming meeting",
        confidential_notes=FUTURE,
    )
    campaign = CampaignFactory(owner=author)
    target = CampaignTargetFactory(campaign=campaign, person=person)
    template = PacketTemplateFactory(name="With notes", include_confidential=True)
    packet = packet_request(target_kind="person", target=person, actor=author, template=template, enqueue=False)
    packet = packet_generate(packet_id=packet.pk)
    assert packet.status == "done", packet.error
    event = AuditEvent.objects.filter(model="outreach.interaction", object_id=str(past.pk)).order_by("id").first()
    token = services.calendar_token_issue(user=role_user) if role_user is not None else "no-such-token"
    return Seed(past, future, person, organization, campaign, target, packet, event.pk if event else None, token)


def _requests(seed: Seed) -> list[tuple[str, str, dict]]:
    """(route key, URL, headers) of every GET the walk makes."""
    requests: list[tuple[str, str, dict]] = []
    for key, route in _page_routes():
        params = _params_for(key) if _has_params(route) else None
        kwargs = params(seed) if callable(params) else {}
        url = _url(route, kwargs)
        for query in ("", *EXTRA_QUERIES.get(key, ())):
            requests.append((key, url + query, {}))
    for path, method in api_operations():
        if method != "GET":
            continue
        key = f"api:{path}"
        params = _params_for(key)
        kwargs = params(seed) if callable(params) else {}
        url = re.sub(r"\{(\w+)\}", lambda m, kwargs=kwargs: str(kwargs.get(m.group(1), "0")), path)
        for query, headers in API_VARIANTS:
            requests.append((key, url + query, headers))
    return requests


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_confidential_markers_appear_exactly_where_the_rule_allows(role, make_user, client_for, media_root):
    role_user = None
    if role != "anonymous":
        role_user = make_user(ROLE_OF[role], username=f"reader-{role}")
    seed = _seed(make_user, role_user if role not in ("anonymous", "none") else None)
    client = Client() if role_user is None else client_for(role_user)

    requests = _requests(seed)
    assert len(requests) > 200  # the walk reached pages, admin and API
    failures = []
    for key, url, headers in requests:
        if key in ("url:logout", "url:admin:logout"):
            continue  # GET is refused (405); POST would end the session mid-walk
        response = client.get(url, **headers)
        if response.status_code >= 500:
            failures.append(f"GET {url} {headers} as {role}: {response.status_code}")
            continue
        text = _text(response)
        markers, readers = SHOWN.get(key, (frozenset(), frozenset()))
        allowed = markers if role in readers else frozenset()
        for marker in (PAST, FUTURE):
            if marker in text and marker not in allowed:
                failures.append(f"GET {url} {headers} as {role}: shows {marker[:10]}, which the rule refuses")
        if role in readers and not headers and "?" not in url:
            missing = [m[:10] for m in markers if m not in text]
            if missing:
                failures.append(f"GET {url} as {role}: the rule allows {missing} here, but they are not shown")
    assert failures == [], "\n".join(failures)


# What a signed-in user without a role may open: the login page sends them on, health answers, and
# logout is POST only. Everything else answers 403 (the no-role page, or the API's error envelope).
NO_ROLE_OPEN = {"url:healthz": 200, "url:login": 302, "url:logout": 405}


@pytest.mark.django_db
def test_a_user_without_a_role_reaches_only_login_logout_and_health(make_user, client_for, media_root):
    nobody = make_user(None, username="reader-none")
    seed = _seed(make_user, None)
    client = client_for(nobody)
    failures = []
    for key, url, headers in _requests(seed):
        expected = NO_ROLE_OPEN.get(key, 403)
        response = client.get(url, **headers)
        if response.status_code != expected:
            failures.append(f"GET {url} {headers} ({key}): {response.status_code}, want {expected}")
    assert failures == [], "\n".join(failures)
