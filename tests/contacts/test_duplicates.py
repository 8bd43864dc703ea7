import pytest

from contacts.duplicates import (
    organization_duplicate_pairs,
    organization_duplicates_for,
    person_duplicate_pairs,
    person_duplicates_for,
)
from tests.contacts.factories import ContactPointFactory, OrganizationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def michigan(reference_data):
    from trade.models import State

    return State.objects.get(code="MI")


def test_same_name_needs_a_shared_state_or_organization(michigan):
    person = PersonFactory(first_name="Testa", last_name="Synthetic-Dup")
    person.states.add(michigan)
    assert person_duplicates_for(first_name="Testa", last_name="Synthetic-Dup") == []
    found = person_duplicates_for(first_name="Hon. Testa", last_name="synthetic dup", state_ids=[michigan.pk])
    assert [(c.record, c.score, c.reasons) for c in found] == [(person, 70, ["same name and state (MI)"])]


def test_email_and_phone_match_after_normalising():
    person = PersonFactory()
    ContactPointFactory(person=person, kind="email", value="Testa@Synthetic.example")
    ContactPointFactory(person=person, kind="phone", value="(202) 555-0100")
    found = person_duplicates_for(
        first_name="Other", last_name="Name", emails=[" testa@synthetic.example"], phones=["+1 202 555 0100"]
    )
    assert found[0].record == person
    assert found[0].score == 100
    assert found[0].reasons == ["same email (Testa@Synthetic.example)", "same phone ((202) 555-0100)"]


def test_duplicate_pairs_list_score_and_reasons(michigan):
    a = PersonFactory(first_name="Testa", last_name="Synthetic-Pair")
    b = PersonFactory(first_name="Testa", last_name="Synthetic-Pair")
    c = PersonFactory(first_name="Testa", last_name="Synthetic-Pair")
    a.states.add(michigan)
    b.states.add(michigan)
    org = OrganizationFactory()
    PositionFactory(person=b, organization=org)
    PositionFactory(person=c, organization=org)
    ContactPointFactory(person=a, value="same@synthetic.example")
    ContactPointFactory(person=c, value="SAME@synthetic.example")
    pairs = [(p.first.pk, p.second.pk, p.score, p.reasons) for p in person_duplicate_pairs()]
    assert pairs == [
        (a.pk, c.pk, 90, ["same email (same@synthetic.example)"]),
        (a.pk, b.pk, 70, ["same name and state (MI)"]),
        (b.pk, c.pk, 70, ["same name and organization"]),
    ]


def test_organization_duplicates_by_name_and_website():
    first = OrganizationFactory(name="Synthetic Steel Inc.", website="https://www.synthsteel.example/")
    second = OrganizationFactory(name="The Synthetic Steel", website="http://synthsteel.example")
    found = organization_duplicates_for(name="synthetic steel corp", website="synthsteel.example")
    assert [(c.record, c.score) for c in found] == [(first, 100), (second, 100)]
    pairs = organization_duplicate_pairs()
    assert [(p.first, p.second, p.reasons) for p in pairs] == [
        (first, second, ["same name", "same website (synthsteel.example)"])
    ]
