"""Stakeholder search: PostgreSQL full-text + trigram ranking, substring matching elsewhere.

On PostgreSQL a person matches when the full-text document (names, title, office) matches, or the name
is trigram-similar to the query (so "Whitmr" finds Whitmer), or a state, tag or current organization
matches; results are ranked by the best of those scores. SQLite (local development) has neither
feature, so every word of the query must appear in one of the same fields (case-insensitive).

Each way of matching is a separate index lookup (the GIN expression index over the search document,
the GIN trigram indexes on the names, the state/tag/position foreign keys) and their ids are combined
with UNION: an OR of these conditions in one WHERE clause is something no index can serve, and
PostgreSQL would compute a document and two similarities for every row. Only the matches are ranked.
Typo tolerance (trigram similarity of the whole query to the name) is the fallback for when nothing
matches exactly (text, state, tag or organization): a query that shares most of its letters with
thousands of names ("Synthetic Person 072693" and every other synthetic person) would otherwise pull
all of them in, to be ranked below the one exact match.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from contacts.models import Organization, OrganizationStatePresence, Person, Position

# word_similarity("whitmr", "Gretchen Whitmer") is 0.71; "whitmer" against "Whitehouse" is 0.5: 0.6 keeps
# one-letter typos and drops names that merely share a prefix. It is also pg_trgm's default
# `pg_trgm.word_similarity_threshold`, which the indexable `%>` operator uses (a test checks they agree).
TRIGRAM_THRESHOLD = 0.6
TEXT_SEARCH_CONFIG = "english"
# Up to this many matching people are passed to the page query as a list of ids (see _person_match_set).
MATCH_LIST_LIMIT = 5000


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def person_search_document() -> Func:
    """The person's full-text document: the expression that migration 0005 indexes (PostgreSQL)."""
    return Func(
        F("full_name"), F("preferred_name"), F("title"), F("office"),
        function="contacts_person_search_document", output_field=SearchVectorField(),
    )  # fmt: skip


def organization_search_document() -> Func:
    """The organization's full-text document: the expression that migration 0005 indexes (PostgreSQL)."""
    return Func(
        F("name"), F("description"), function="contacts_organization_search_document", output_field=SearchVectorField()
    )


def _states_matching(word: str):
    from trade.models import State

    return State.objects.filter(Q(code__iexact=word) | Q(name__icontains=word)).order_by()


def _person_related_match(word: str) -> Q:
    states = Person.states.through.objects.filter(state__in=_states_matching(word)).values("person_id")
    tags = Person.tags.through.objects.filter(tag__name__icontains=word).values("person_id")
    orgs = Position.objects.filter(is_current=True, organization__name__icontains=word).values("person_id")
    return Q(pk__in=states) | Q(pk__in=tags) | Q(pk__in=orgs)


def _exact_or_similar(exact: list[QuerySet], similar: QuerySet) -> QuerySet:
    """UNION ALL of the exact matches and, only when there are none, the similar ones (ids may repeat:
    callers use them in `pk IN (...)` or de-duplicate).

    The "none" test is a NOT EXISTS per exact branch; uncorrelated, PostgreSQL evaluates each once.
    """
    for branch in exact:
        similar = similar.filter(~Exists(branch))
    return exact[0].union(*exact[1:], similar, all=True)


def _person_matching_ids(query: str, search_query: SearchQuery) -> QuerySet:
    """Ids of the people matching `query` on PostgreSQL: one index lookup per way of matching, UNIONed."""
    by_text = Person.objects.alias(document=person_search_document()).filter(document=search_query)
    by_state = Person.states.through.objects.filter(state__in=_states_matching(query))
    by_tag = Person.tags.through.objects.filter(tag__name__icontains=query)
    by_organization = Position.objects.filter(is_current=True, organization__name__icontains=query)
    by_name = Person.objects.filter(
        Q(full_name__trigram_word_similar=query) | Q(preferred_name__trigram_word_similar=query)
    )
    exact = [by_text.order_by().values_list("pk")]
    exact += [qs.order_by().values_list("person_id") for qs in (by_state, by_tag, by_organization)]
    return _exact_or_similar(exact, by_name.order_by().values_list("pk"))


def _person_match_set(ids: QuerySet) -> QuerySet | list[int]:
    """The matching ids as a list when there are few (the usual case), else the subquery itself.

    PostgreSQL cannot estimate how many rows the UNION returns (the similar-names branch only runs
    when the others find nothing; a state or tag matches a fraction of everyone), so with a subquery
    it plans for thousands and scans the whole person table to join them. A list of ids it reads
    through the primary key. One bounded query finds out which case this is.
    """
    rows = [row[0] for row in ids[: MATCH_LIST_LIMIT + 1]]
    # UNION ALL streams, so this stops after MATCH_LIST_LIMIT + 1 rows (a person matched two ways
    # counts twice here: a few more searches than strictly needed take the broad path).
    return sorted(set(rows)) if len(rows) <= MATCH_LIST_LIMIT else ids


def person_search(queryset: QuerySet[Person], *, query: str, ranked: bool = True) -> QuerySet[Person]:
    """People of `queryset` matching `query`, best match first when `ranked` (and at most
    `MATCH_LIST_LIMIT` match; beyond that, in the queryset's own order)."""
    query = (query or "").strip()
    if not query:
        return queryset
    if _is_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=TEXT_SEARCH_CONFIG)
        matches = _person_match_set(_person_matching_ids(query, search_query))
        queryset = queryset.filter(pk__in=matches)
        # More than MATCH_LIST_LIMIT matches (one very common word): ranking them all would cost seconds
        # and tell the reader little, so they keep the list's order by name; the page says so.
        if ranked and isinstance(matches, list):
            score = Greatest(
                SearchRank(person_search_document(), search_query),
                TrigramWordSimilarity(query, "full_name"),
                TrigramWordSimilarity(query, Coalesce("preferred_name", Value(""))),
                output_field=FloatField(),
            )
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


def person_search_by_name_order(queryset: QuerySet[Person], *, query: str, sort: str = "") -> bool:
    """True when a search matched too many people to rank (PostgreSQL) and lists them by name instead."""
    return (
        bool((query or "").strip()) and not sort and _is_postgres() and "search_score" not in queryset.query.annotations
    )


def _organization_related(word: str) -> Q:
    states = OrganizationStatePresence.objects.filter(state__in=_states_matching(word)).values("organization_id")
    tags = Organization.tags.through.objects.filter(tag__name__icontains=word).values("organization_id")
    return Q(pk__in=states) | Q(pk__in=tags)


def _organization_matching_ids(query: str, search_query: SearchQuery) -> QuerySet:
    by_text = Organization.objects.alias(document=organization_search_document()).filter(document=search_query)
    by_state = OrganizationStatePresence.objects.filter(state__in=_states_matching(query))
    by_tag = Organization.tags.through.objects.filter(tag__name__icontains=query)
    by_name = Organization.objects.filter(name__trigram_word_similar=query)
    exact = [by_text.order_by().values_list("pk")]
    exact += [qs.order_by().values_list("organization_id") for qs in (by_state, by_tag)]
    return _exact_or_similar(exact, by_name.order_by().values_list("pk"))


def organization_search(queryset: QuerySet[Organization], *, query: str, ranked: bool = True) -> QuerySet[Organization]:
    query = (query or "").strip()
    if not query:
        return queryset
    if _is_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=TEXT_SEARCH_CONFIG)
        queryset = queryset.filter(pk__in=_organization_matching_ids(query, search_query))
        if ranked:
            score = Greatest(
                SearchRank(organization_search_document(), search_query),
                TrigramWordSimilarity(query, "name"),
                output_field=FloatField(),
            )
            queryset = queryset.annotate(search_score=score).order_by("-search_score", "name", "id")
        return queryset
    for word in query.split():
        text = Q(name__icontains=word) | Q(description__icontains=word)
        queryset = queryset.filter(text | _organization_related(word))
    return queryset
