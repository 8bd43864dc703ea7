"""Schema fuzzing: every API operation, called as an Officer and as a Viewer with generated data,
answers without a server error and as its OpenAPI schema says (documented status code, content type,
body shape). Every write is also sent in each body encoding the schema advertises (JSON,
form-encoded, multipart): each must be accepted or refused with a 4xx, never a 500.

schemathesis loads the schema the app serves at /api/schema/ and calls the Django WSGI application
in-process (no server, no network). The Officer authenticates with a DRF token, so no CSRF is involved.
Each operation gets a small, derandomized number of examples so the run is repeatable and quick.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from core.roles import Role
from tests.briefings.factories import ExposureFigureFactory, PacketFactory
from tests.contacts.factories import (
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    RelationshipFactory,
    SavedSegmentFactory,
)
from tests.core.factories import UserFactory
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    CommitmentFactory,
    FollowUpFactory,
    InteractionFactory,
    PillarFactory,
    StateFactory,
)
from tests.trade.factories import DataReleaseFactory, TradeFlowFactory
from trade.choices import MeasureAuthority, MeasureSide, MeasureStatus, UsmcaTreatment
from trade.models import TariffMeasure

MAX_EXAMPLES = 8
FORM_EXAMPLES = 4  # per form encoding of each write: the body rules are the JSON ones, seen already
VIEWER_EXAMPLES = 3
# "Schema-valid request rejected" expects every request the schema allows to succeed. Here a valid
# request is still refused with a documented 400 when it names a row that does not exist (a filter on
# an unknown person id, an unknown assignee) or breaks a rule across fields (an interaction needs a
# person or an organization, a segment at least one filter): rules a schema cannot express.
# "Schema-violating request accepted" expects every invalid value to be refused. DRF's pagination and
# django-filter's boolean filters fall back to their defaults on a value they cannot parse (a bad
# `page_size` gives the default page size), a documented leniency, not a schema break.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection]

# Operations a role above Officer needs: the Officer's 403 is the right answer (see the permission matrix).
OFFICER_DENIED = {("POST", "/api/campaigns/")}  # creating a campaign needs a Lead

# A real HTTP round trip through the WSGI handler would close the test's database connection at the
# end of each request (Django's test client avoids that the same way: by unhooking these receivers).


@pytest.fixture
def wsgi_app():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_officer(db):
    from core.services import user_set_role

    user = UserFactory(username="fuzz-officer")
    user_set_role(user=user, role=Role.OFFICER)
    return user


@pytest.fixture
def officer_token(fuzz_officer):
    return Token.objects.create(user=fuzz_officer).key


@pytest.fixture
def seeded(fuzz_officer) -> dict[str, object]:
    """One synthetic row of each kind the API serves, so lists have results and detail operations
    answer 200 with a real body (checked against the schema too). Keyed by the path segment after
    /api/; positive-mode cases use these as path parameters."""
    state = StateFactory(code="NY", name="New York")
    pillar = PillarFactory(code="energy", name="Energy")
    person = PersonFactory(owner=fuzz_officer)
    organization = OrganizationFactory()
    PositionFactory(person=person, organization=organization)
    relationship = RelationshipFactory(from_person=person)
    interaction = InteractionFactory(people=[person], created_by=fuzz_officer)
    interaction.states.set([state])
    interaction.pillars.set([pillar])
    CommitmentFactory(interaction=interaction)
    follow_up = FollowUpFactory(assignee=fuzz_officer, person=person, interaction=interaction)
    campaign = CampaignFactory(owner=fuzz_officer)
    CampaignTargetFactory(campaign=campaign, person=person)
    segment = SavedSegmentFactory(owner=fuzz_officer, filters={"state": "NY"})
    release = DataReleaseFactory()
    TradeFlowFactory(state=state, release=release)
    figure = ExposureFigureFactory(state=state)
    packet = PacketFactory(state=state)
    measure = TariffMeasure.objects.create(
        slug="synthetic-measure", family="synthetic-measure", side=MeasureSide.US,
        authority=MeasureAuthority.SECTION_232, title="Synthetic measure", instrument="Synthetic proclamation",
        rate="0.25", usmca_treatment=UsmcaTreatment.NOT_EXEMPT, status=MeasureStatus.HYPOTHETICAL,
        scope_chapters={"72": "1"},
    )  # fmt: skip
    return {
        "briefings": packet.pk,
        "campaigns": campaign.pk,
        "data-releases": release.pk,
        "follow-ups": follow_up.pk,
        "interactions": interaction.pk,
        "organizations": organization.pk,
        "people": person.pk,
        "positions": person.positions.get().pk,
        "relationships": relationship.pk,
        "scenarios": figure.snapshot.scenario.slug,
        "segments": segment.pk,
        "states": state.code,
        "tariff-measures": measure.slug,
    }


@pytest.fixture
def officer_headers(officer_token):
    return {"Authorization": f"Token {officer_token}"}


def _schema_with_token(wsgi_app, token: str):
    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, headers={"Authorization": f"Token {token}"}
    )

    # Registered as the schema's authentication (not as plain headers), so the authentication check
    # knows these are the real credentials and replays each operation without them / with bad ones.
    @loaded.auth(refresh_interval=None)
    class StaffToken:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return loaded


@pytest.fixture
def api_schema(wsgi_app, officer_token):
    return _schema_with_token(wsgi_app, officer_token)


@pytest.fixture
def viewer_schema(wsgi_app, seeded):
    viewer = UserFactory(username="fuzz-viewer")  # Viewer is the role a new account starts with
    return _schema_with_token(wsgi_app, Token.objects.create(user=viewer).key)


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the schema drf-spectacular generates."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in generated["paths"].items()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    ]


OPERATIONS = _operations()
FORM_MEDIA_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"]


def _writes_with_body() -> list[tuple[str, str, str]]:
    """(METHOD, path, media type) of every write whose body the schema offers in a form encoding."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, media_type)
        for path, item in generated["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
        for media_type in operation["requestBody"]["content"]
        if media_type in FORM_MEDIA_TYPES
    ]


FORM_WRITES = _writes_with_body()


def test_fuzzed_operations_are_the_served_schema(api_schema):
    served = {(result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()}
    assert served == set(OPERATIONS)


def test_officer_token_is_accepted(api_schema, officer_headers):
    """Guards the run against passing vacuously: 403 is documented everywhere, so a token that stopped
    working would still conform. Every list the Officer may read answers 200 with it."""
    lists = [path for method, path in OPERATIONS if method == "GET" and "{" not in path]
    statuses = {path: api_schema[path]["GET"].Case().call(headers=officer_headers).status_code for path in lists}
    # No scenario exists in an empty database, so exposure has nothing to rank: "Unknown scenario."
    assert statuses == {**dict.fromkeys(lists, 200), "/api/exposure/": 404}


def _fuzz(schema, seeded, method, path, mode, *, examples, media_type=None) -> set[int]:
    """Call one operation with generated cases; returns the statuses seen. Fails on a server error or
    a response the schema does not document."""
    operation = schema[path][method]
    # Valid data addresses the seeded rows; invalid data gets generated (mostly unknown) ids.
    names = re.findall(r"{(\w+)}", path)
    path_parameters = None
    if mode == GenerationMode.POSITIVE and names:
        path_parameters = {names[0]: seeded[path.split("/")[2]]}
    strategy = operation.as_strategy(mode, auth_storage=schema.auth, path_parameters=path_parameters)
    if media_type is not None:
        strategy = strategy.filter(lambda case: case.media_type == media_type)

    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
        statuses.add(response.status_code)

    statuses: set[int] = set()
    run()
    return statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation_conforms_to_schema(api_schema, seeded, method, path, mode):
    statuses = _fuzz(api_schema, seeded, method, path, mode, examples=MAX_EXAMPLES)
    # The Officer got past the permission check at least once (else the run proved only the 403 path).
    if mode == GenerationMode.POSITIVE and (method, path) not in OFFICER_DENIED:
        assert statuses - {403}, statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path", "media_type"), FORM_WRITES, ids=[f"{m} {p} {t}" for m, p, t in FORM_WRITES])
def test_api_write_in_form_encodings_conforms_to_schema(api_schema, seeded, method, path, media_type, mode):
    """The schema offers form-encoded and multipart bodies for every write: they work like JSON."""
    statuses = _fuzz(api_schema, seeded, method, path, mode, examples=FORM_EXAMPLES, media_type=media_type)
    if mode == GenerationMode.POSITIVE and (method, path) not in OFFICER_DENIED:
        assert statuses - {403}, statuses


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation_as_viewer_conforms_to_schema(viewer_schema, seeded, method, path):
    """A Viewer reads and is refused writes (403), always in the documented shape."""
    statuses = _fuzz(viewer_schema, seeded, method, path, GenerationMode.POSITIVE, examples=VIEWER_EXAMPLES)
    if method != "GET":
        assert statuses <= {400, 403, 404, 405, 415}, statuses
