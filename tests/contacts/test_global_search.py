"""The header's search box finds people, organizations and states, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.contacts.factories import OrganizationFactory
from tests.outreach.factories import StateFactory
from tests.outreach.factories import SyntheticPersonFactory as PersonFactory

pytestmark = pytest.mark.django_db


def test_header_has_the_search_box(client_for, viewer):
    html = client_for(viewer).get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


def test_search_finds_people_organizations_and_states(client_for, viewer):
    michigan = StateFactory(code="MI", name="Michigan")
    person = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer", states=[michigan])
    PersonFactory(first_name="Other", last_name="Person", full_name="Other Person")
    organization = OrganizationFactory(name="Michigan Manufacturers Association")
    response = client_for(viewer).get("/search/", {"q": "Michigan"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["people"]] == [person.pk]
    assert [o.pk for o in response.context["organizations"]] == [organization.pk]
    assert [s.code for s in response.context["states"]] == ["MI"]


def test_empty_search_lists_nothing_and_says_so(client_for, viewer):
    html = client_for(viewer).get("/search/", {"q": "zzzz"}).content.decode()
    assert "No person matches." in html and "No organization matches." in html and "No state matches." in html


def test_search_query_count_is_constant(client_for, viewer):
    michigan = StateFactory(code="MI", name="Michigan")
    client = client_for(viewer)

    def grow(n):
        for index in range(n):
            PersonFactory(last_name=f"Smith{index}", full_name=f"Pat Smith{index}", states=[michigan])
            OrganizationFactory(name=f"Michigan Company {index}")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "Michigan"}).status_code == 200
        return len(captured)

    grow(3)
    before = count()
    grow(20)
    assert count() == before


def test_a_misspelt_name_finds_the_person_and_the_pages_ask_did_you_mean(client_for, viewer):
    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    PersonFactory(first_name="Alan", last_name="Brown", full_name="Alan Brown")
    client = client_for(viewer)
    response = client.get("/search/", {"q": "Gretchen Witmer"})
    assert [p.pk for p in response.context["people"]] == [whitmer.pk]
    assert "Did you mean" in response.content.decode() and "?q=Gretchen%20Whitmer" in response.content.decode()
    listing = client.get("/stakeholders/", {"q": "Witmer"}).content.decode()
    assert "Did you mean" in listing and "Gretchen Whitmer" in listing
    # An exact match asks nothing.
    assert "Did you mean" not in client.get("/stakeholders/", {"q": "Whitmer"}).content.decode()
