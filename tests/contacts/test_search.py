import pytest
from django.db import connection

from contacts.models import Person
from contacts.search import person_search

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search needs PostgreSQL")
def test_typo_finds_whitmer_on_postgresql(public_people):
    results = list(person_search(Person.objects.all(), query="Whitmr"))
    assert results[0].last_name == "Whitmer"


def test_fallback_matches_every_word_over_names_titles_states_and_tags(public_people):
    from contacts.models import Tag

    whitmer = Person.objects.get(last_name="Whitmer")
    whitmer.tags.add(Tag.objects.create(name="great-lakes"))
    assert list(person_search(Person.objects.all(), query="governor michigan")) == [whitmer]
    assert list(person_search(Person.objects.all(), query="great-lakes")) == [whitmer]
    assert person_search(Person.objects.all(), query="").count() == Person.objects.count()


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="indexed search is PostgreSQL only")


@postgresql_only
def test_exact_text_match_leaves_out_similar_names():
    from tests.contacts.factories import PersonFactory

    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    PersonFactory(first_name="Greta", last_name="Whitmar", full_name="Greta Whitmar")
    assert list(person_search(Person.objects.all(), query="Whitmer")) == [whitmer]


@postgresql_only
def test_similar_names_when_nothing_matches_exactly():
    from tests.contacts.factories import PersonFactory

    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    whitmar = PersonFactory(first_name="Greta", last_name="Whitmar", full_name="Greta Whitmar")
    PersonFactory(first_name="Alan", last_name="Brown", full_name="Alan Brown")
    # Both share the same five trigrams with "Whitmr": equal scores, then by last name.
    assert list(person_search(Person.objects.all(), query="Whitmr")) == [whitmar, whitmer]


@postgresql_only
def test_state_tag_and_organization_matches_on_postgresql():
    from contacts.models import Tag
    from tests.contacts.factories import OrganizationFactory, PersonFactory, PositionFactory
    from tests.trade.factories import StateFactory

    michigan = StateFactory(code="MI", name="Michigan")
    in_state = PersonFactory()
    in_state.states.add(michigan)
    tagged = PersonFactory()
    tagged.tags.add(Tag.objects.create(name="great-lakes"))
    employee = PersonFactory()
    PositionFactory(person=employee, organization=OrganizationFactory(name="Lakeshore Steel Co."), is_current=True)
    PersonFactory()

    assert list(person_search(Person.objects.all(), query="michigan")) == [in_state]
    assert list(person_search(Person.objects.all(), query="MI")) == [in_state]
    assert list(person_search(Person.objects.all(), query="great-lakes")) == [tagged]
    assert list(person_search(Person.objects.all(), query="lakeshore steel")) == [employee]


@postgresql_only
def test_search_uses_the_document_and_trigram_indexes():
    """The query's document expression is the indexed one, and the name match is the indexable `%>`."""
    from contacts.search import TEXT_SEARCH_CONFIG, SearchQuery, _person_matching_ids

    search_query = SearchQuery("Whitmr", search_type="websearch", config=TEXT_SEARCH_CONFIG)
    sql, params = _person_matching_ids("Whitmr", search_query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contacts_person_search_gin" in plan
    assert "contacts_person_full_name_trgm" in plan
    assert "contacts_person_preferred_name_trgm" in plan


@postgresql_only
def test_trigram_threshold_is_the_one_the_index_operator_uses():
    from contacts.search import TRIGRAM_THRESHOLD

    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity('a', 'b')")  # loads pg_trgm's settings into the session
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == TRIGRAM_THRESHOLD


@postgresql_only
def test_organization_search_on_postgresql():
    from contacts.models import Organization
    from contacts.search import organization_search
    from tests.contacts.factories import OrganizationFactory

    steel = OrganizationFactory(name="American Iron and Steel Institute")
    OrganizationFactory(name="National Mining Association")
    assert list(organization_search(Organization.objects.all(), query="steel")) == [steel]
    assert list(organization_search(Organization.objects.all(), query="Amercan Iron")) == [steel]


@postgresql_only
def test_many_matches_stay_a_subquery(monkeypatch):
    from contacts import search
    from tests.contacts.factories import PersonFactory

    monkeypatch.setattr(search, "MATCH_LIST_LIMIT", 2)
    people = PersonFactory.create_batch(3, title="Trade counsel")
    PersonFactory(title="Farmer")

    assert list(person_search(Person.objects.all(), query="counsel", ranked=False).order_by("id")) == people
    # Ranked, but more matches than the limit: listed in the queryset's order (by name), not ranked,
    # and the page says so.
    ranked = person_search(Person.objects.order_by("last_name", "id"), query="counsel")
    assert "search_score" not in ranked.query.annotations
    assert set(ranked) == set(people)


@postgresql_only
def test_people_page_says_when_a_broad_search_is_listed_by_name(monkeypatch, client_for, viewer):
    from contacts import search
    from tests.contacts.factories import PersonFactory

    PersonFactory.create_batch(3, title="Trade counsel")
    notice = "listed by name rather than by relevance"
    assert notice not in client_for(viewer).get("/stakeholders/?q=counsel").content.decode()
    monkeypatch.setattr(search, "MATCH_LIST_LIMIT", 2)
    assert notice in client_for(viewer).get("/stakeholders/?q=counsel").content.decode()
    assert notice not in client_for(viewer).get("/stakeholders/?q=counsel&sort=name").content.decode()
