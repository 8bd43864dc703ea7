"""Every stakeholder list page, list endpoint and admin changelist runs the same number of queries at
10 and at 200 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import (
    Committee,
    CommitteeMembership,
    ContactPoint,
    MergeRecord,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    Relationship,
    SavedSegment,
    SpreadsheetImport,
    StanceEntry,
    Tag,
)
from trade.models import Pillar, State

pytestmark = pytest.mark.django_db


def make_rows(n: int, owner) -> None:
    """n synthetic people, each with states, pillars, tags, a seat, a position, contact points, a stance
    entry and a relationship, plus n organizations and n segments; names repeat so duplicates show."""
    state = State.objects.get_or_create(code="MI", defaults={"name": "Michigan", "is_battleground_2024": True})[0]
    pillar = Pillar.objects.get_or_create(code="autos", defaults={"name": "Autos"})[0]
    tag = Tag.objects.get_or_create(name="synthetic")[0]
    committee = Committee.objects.get_or_create(code="HSWM", defaults={"name": "Ways and Means"})[0]
    start = Person.objects.count()
    people = Person.objects.bulk_create(
        Person(first_name="Testa", last_name=f"Synthetic{(start + i) // 2}",
               full_name=f"Testa Synthetic{(start + i) // 2}", name_key=f"testa synthetic{(start + i) // 2}",
               owner=owner, is_synthetic=True, influence=3)
        for i in range(n)
    )  # fmt: skip
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Synthetic Org {start + i}", name_key=f"synthetic org {(start + i) // 2}",
                     org_type="company", hq_state=state, owner=owner, is_synthetic=True)
        for i in range(n)
    )  # fmt: skip
    Person.states.through.objects.bulk_create(Person.states.through(person=p, state=state) for p in people)
    Person.pillars.through.objects.bulk_create(Person.pillars.through(person=p, pillar=pillar) for p in people)
    Person.tags.through.objects.bulk_create(Person.tags.through(person=p, tag=tag) for p in people)
    Organization.pillars.through.objects.bulk_create(
        Organization.pillars.through(organization=o, pillar=pillar) for o in organizations
    )
    OrganizationStatePresence.objects.bulk_create(
        OrganizationStatePresence(organization=o, state=state) for o in organizations
    )
    CommitteeMembership.objects.bulk_create(CommitteeMembership(person=p, committee=committee) for p in people)
    Position.objects.bulk_create(
        Position(person=p, organization=o, title="CEO") for p, o in zip(people, organizations, strict=True)
    )
    ContactPoint.objects.bulk_create(
        ContactPoint(person=p, kind="email", value=f"p{p.pk}@synthetic.example", value_key=f"p{p.pk // 2}@s")
        for p in people
    )
    StanceEntry.objects.bulk_create(StanceEntry(person=p, stance="neutral", set_at=timezone.now()) for p in people)
    Relationship.objects.bulk_create(
        Relationship(from_person=a, to_person=b, kind="knows") for a, b in zip(people, people[1:], strict=False)
    )
    SavedSegment.objects.bulk_create(
        SavedSegment(name=f"Segment {start + i}", owner=owner, filters={"state": "MI"}) for i in range(n)
    )
    MergeRecord.objects.bulk_create(
        MergeRecord(kind="person", kept_person=p, duplicate_id=p.pk + 100000, duplicate_label="x", actor=owner)
        for p in people
    )
    SpreadsheetImport.objects.bulk_create(
        SpreadsheetImport(token=f"t{start + i}", kind="people", file="", original_name="x.csv", size_bytes=1,
                          uploaded_by=owner, applied_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        for i in range(n)
    )  # fmt: skip


def _count(client, url) -> int:
    client.get(url)  # warm per-user caches (the role lookup) so both measurements compare like with like
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


PAGES = [
    "/stakeholders/",
    "/stakeholders/?state=MI&committee=HSWM&battleground=true&tag=synthetic&pillar=autos&sort=-influence",
    "/stakeholders/?q=synthetic",
    "/stakeholders/duplicates/",
    "/stakeholders/export/?format=csv",
    "/stakeholders/export/?format=xlsx",
    "/organizations/",
    "/organizations/?state=MI&pillar=autos",
]
ENDPOINTS = [
    "/api/people/?page_size=200",
    "/api/people/?state=MI&committee=HSWM&page_size=200",
    "/api/organizations/?page_size=200",
    "/api/positions/?page_size=200",
    "/api/relationships/?page_size=200",
    "/api/segments/?page_size=200",
]
ADMIN_MODELS = [
    "person", "organization", "tag", "stanceentry", "organizationstatepresence", "contactpoint", "position",
    "relationship", "committee", "committeemembership", "savedsegment", "mergerecord", "spreadsheetimport",
]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_query_count_constant(client_for, lead, url):
    client = client_for(lead)
    make_rows(10, lead)
    small = _count(client, url)
    make_rows(190, lead)
    assert _count(client, url) == small


@pytest.mark.parametrize("url", ENDPOINTS)
def test_list_endpoints_query_count_constant(api_for, lead, url):
    client = api_for(lead)
    make_rows(10, lead)
    small = _count(client, url)
    make_rows(190, lead)
    assert _count(client, url) == small


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelists_query_count_constant(client_for, admin_user_role, model):
    client = client_for(admin_user_role)
    make_rows(10, admin_user_role)
    url = f"/admin/contacts/{model}/"
    small = _count(client, url)
    make_rows(190, admin_user_role)
    assert _count(client, url) == small
