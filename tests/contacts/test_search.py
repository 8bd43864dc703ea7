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


def test_exact_match_first_then_similar_names_on_either_database():
    from tests.contacts.factories import PersonFactory

    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    whitmar = PersonFactory(first_name="Greta", last_name="Whitmar", full_name="Greta Whitmar")
    PersonFactory(first_name="Alan", last_name="Brown", full_name="Alan Brown")
    found = list(person_search(Person.objects.all(), query="Whitmer"))
    assert found == [whitmer, whitmar]
    assert [p.fuzzy_rank for p in found] == [0, 2]


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
    """The query's document expression is the indexed one, and the fuzzy candidates come from the indexable `%>`."""
    from contacts.search import TEXT_SEARCH_CONFIG, SearchQuery, _person_matching_ids, postgresql_candidates

    search_query = SearchQuery("Whitmr", search_type="websearch", config=TEXT_SEARCH_CONFIG)
    plans = []
    for queryset in (_person_matching_ids("Whitmr", search_query), postgresql_candidates("whitmr")):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "contacts_person_search_gin" in plans[0]
    assert "contacts_person_full_name_trgm" in plans[1]
    assert "contacts_person_preferred_name_trgm" in plans[1]


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


# The typo rule, and the same answers on both databases ------------------------------------------------

TYPO_QUERIES = {
    "Whitmor": "Gretchen Whitmer",
    "Witmer": "Gretchen Whitmer",
    "Gretchen Witmer": "Gretchen Whitmer",
    "Dingel": "Debbie Dingell",
    "debbie dingell": "Debbie Dingell",
}


def test_edit_distance_counts_edits_and_adjacent_swaps_and_stops_at_the_limit():
    from contacts.search import edit_distance

    assert edit_distance("witmer", "whitmer", limit=1) == 1
    assert edit_distance("whitmor", "whitmer", limit=1) == 1
    assert edit_distance("whtimer", "whitmer", limit=2) == 1  # "ti" for "it": one adjacent swap
    assert edit_distance("whtmor", "whitmer", limit=2) == 2
    assert edit_distance("hwitmer", "whitmer", limit=1) == 1  # one adjacent swap
    assert edit_distance("smith", "jones", limit=1) == 2  # more than the limit: limit + 1


def test_the_typo_rule_spares_short_words_and_numbers():
    from contacts.search import name_distance

    assert name_distance(["witmer"], {"gretchen", "whitmer"}) == 1
    assert name_distance(["gretchen", "witmer"], {"gretchen", "whitmer"}) == 1
    assert name_distance(["whit"], {"gretchen", "whitmer"}) == 0  # a prefix, as someone types it
    assert name_distance(["bob"], {"rob", "smith"}) is None  # three letters: exact or prefix only
    assert name_distance(["072693"], {"person", "072694"}) is None  # numbers never fuzzy
    assert name_distance(["whitmer", "smith"], {"gretchen", "whitmer"}) is None  # every word must match


def test_typos_find_the_person_on_this_database(public_people):
    for query, name in TYPO_QUERIES.items():
        found = list(person_search(Person.objects.all(), query=query)[:3])
        assert found and found[0].full_name == name, query


def test_did_you_mean_is_the_best_fuzzy_match_only_when_nothing_matched_exactly(public_people):
    from contacts.search import person_search_suggestion

    assert person_search_suggestion(person_search(Person.objects.all(), query="Witmer")).full_name == (
        "Gretchen Whitmer"
    )
    assert person_search_suggestion(person_search(Person.objects.all(), query="Whitmer")) is None


SQLITE_SCRIPT = """
import io, json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from trade.public_data import load_reference
from contacts.public_data import congress_import, governors_import
load_reference(stdout=io.StringIO())
congress_import()
governors_import()
from contacts.models import Person
from contacts.search import person_search
print(json.dumps({q: [p.full_name for p in person_search(Person.objects.all(), query=q)[:3]] for q in QUERIES}))
"""


@postgresql_only
def test_sqlite_gives_the_same_answers_as_postgresql(public_people, tmp_path):
    """The demo install (SQLite) and production (PostgreSQL) answer each typo alike, from their own index."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    queries = [*TYPO_QUERIES, "Whit", "michigan governor", "Whtimer", "Gretchin Whitmer"]
    expected = {q: [p.full_name for p in person_search(Person.objects.all(), query=q)[:3]] for q in queries}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "memory://",
    }
    script = f"QUERIES = {queries!r}\n" + SQLITE_SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == expected


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_fuzzy_search_works_on_a_new_connection_before_pg_trgm_has_run():
    """pg_trgm's threshold setting does not exist in a session until the extension first runs."""
    from tests.contacts.factories import PersonFactory

    whitmer = PersonFactory(first_name="Gretchen", last_name="Whitmer", full_name="Gretchen Whitmer")
    connection.close()
    assert list(person_search(Person.objects.all(), query="Witmer")) == [whitmer]


def test_a_number_in_a_misspelt_query_narrows_the_candidates_of_common_words(monkeypatch):
    """At scale every synthetic person shares "Synthetic Person": the number picks the one meant."""
    from contacts import search
    from tests.contacts.factories import PersonFactory

    monkeypatch.setattr(search, "FUZZY_CANDIDATE_LIMIT", 3)
    people = [
        PersonFactory(first_name="Synthetic", last_name=f"Person {n:06d}", full_name=f"Synthetic Person {n:06d}")
        for n in range(1, 7)
    ]
    assert list(person_search(Person.objects.all(), query="Synthtic Persn 000004")) == [people[3]]
    # Without the number the two words are too common to propose anyone.
    assert list(person_search(Person.objects.all(), query="Synthtic Persn")) == []
