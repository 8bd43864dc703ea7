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
