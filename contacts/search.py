"""Stakeholder search: PostgreSQL full-text + trigram ranking, substring matching elsewhere.

On PostgreSQL a person matches when the full-text vector (names, title, office) matches, or the name is
trigram-similar to the query (so "Whitmr" finds Whitmer), or a state, tag or current organization
matches; results are ranked by the best of those scores. SQLite (local development) has neither
feature, so every word of the query must appear in one of the same fields (case-insensitive).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from contacts.models import Organization, OrganizationStatePresence, Person, Position

# word_similarity("whitmr", "Gretchen Whitmer") is 0.71; "whitmer" against "Whitehouse" is 0.5: 0.6 keeps
# one-letter typos and drops names that merely share a prefix.
TRIGRAM_THRESHOLD = 0.6


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _person_related_match(word: str) -> Q:
    states = Person.states.through.objects.filter(person_id=OuterRef("pk")).filter(
        Q(state__code__iexact=word) | Q(state__name__icontains=word)
    )
    tags = Person.tags.through.objects.filter(person_id=OuterRef("pk"), tag__name__icontains=word)
    orgs = Position.objects.filter(person_id=OuterRef("pk"), is_current=True, organization__name__icontains=word)
    return Q(Exists(states)) | Q(Exists(tags)) | Q(Exists(orgs))


def person_search(queryset: QuerySet[Person], *, query: str, ranked: bool = True) -> QuerySet[Person]:
    query = (query or "").strip()
    if not query:
        return queryset
    if _is_postgres():
        vector = SearchVector("full_name", "preferred_name", weight="A") + SearchVector("title", "office", weight="B")
        search_query = SearchQuery(query, search_type="websearch")
        queryset = queryset.annotate(
            search_vector=vector,
            search_rank=SearchRank(vector, search_query),
            name_similarity=Greatest(
                TrigramWordSimilarity(query, "full_name"),
                TrigramWordSimilarity(query, Coalesce("preferred_name", Value(""))),
            ),
        ).filter(
            # ts_rank is never exactly 0, so the text match itself (@@) decides, not the rank.
            Q(search_vector=search_query) | Q(name_similarity__gte=TRIGRAM_THRESHOLD) | _person_related_match(query)
        )
        if ranked:
            score = Greatest(F("search_rank"), F("name_similarity"), output_field=FloatField())
            queryset = queryset.annotate(search_score=score).order_by("-search_score", "last_name", "id")
        return queryset
    for word in query.split():
        text = (
            Q(full_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(title__icontains=word)
            | Q(office__icontains=word)
        )
        queryset = queryset.filter(text | _person_related_match(word))
    return queryset


def organization_search(queryset: QuerySet[Organization], *, query: str, ranked: bool = True) -> QuerySet[Organization]:
    query = (query or "").strip()
    if not query:
        return queryset

    def related(word: str) -> Q:
        states = OrganizationStatePresence.objects.filter(organization_id=OuterRef("pk")).filter(
            Q(state__code__iexact=word) | Q(state__name__icontains=word)
        )
        tags = Organization.tags.through.objects.filter(organization_id=OuterRef("pk"), tag__name__icontains=word)
        return Q(Exists(states)) | Q(Exists(tags))

    if _is_postgres():
        vector = SearchVector("name", weight="A") + SearchVector("description", weight="C")
        search_query = SearchQuery(query, search_type="websearch")
        queryset = queryset.annotate(
            search_vector=vector,
            search_rank=SearchRank(vector, search_query),
            name_similarity=TrigramWordSimilarity(query, "name"),
        ).filter(Q(search_vector=search_query) | Q(name_similarity__gte=TRIGRAM_THRESHOLD) | related(query))
        if ranked:
            score = Greatest(F("search_rank"), F("name_similarity"), output_field=FloatField())
            queryset = queryset.annotate(search_score=score).order_by("-search_score", "name", "id")
        return queryset
    for word in query.split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word) | related(word))
    return queryset
