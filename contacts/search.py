"""Stakeholder search: PostgreSQL full-text + trigram ranking, substring matching elsewhere.

On PostgreSQL a person matches when the full-text document (names, title, office) matches, or the name
is trigram-similar to the query (so "Whitmr" finds Whitmer), or a state, tag or current organization
matches; results are ranked by the best of those scores. SQLite (local development) has neither
feature, so every word of the query must appear in one of the same fields (case-insensitive).

Each way of matching is a separate index lookup (the GIN expression index over the search document,
the GIN trigram indexes on the names, the state/tag/position foreign keys) and their ids are combined
with UNION: an OR of these conditions in one WHERE clause is something no index can serve, and
PostgreSQL would compute a document and two similarities for every row. Only the matches are ranked.
Typo tolerance is one rule on both databases (`person_fuzzy_matches`): every word of the query must be
within a small edit distance of a word of the person's name (one edit up to seven letters, two beyond;
words with digits or under four letters must match exactly or as a prefix), so "Witmer", "Whitmor",
"Gretchen Witmer" and "Dingel" find Gretchen Whitmer and Debbie Dingell. The database only proposes
candidates from an index: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite (kept by triggers).
Fuzzy matches come after the exact ones, also when there are exact ones, and a page can offer the best
of them as "did you mean" when nothing matched exactly.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Case, Exists, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

from contacts.models import Organization, OrganizationStatePresence, Person, Position
from contacts.normalize import search_words

# word_similarity("whitmr", "Gretchen Whitmer") is 0.71; "whitmer" against "Whitehouse" is 0.5: 0.6 keeps
# one-letter typos and drops names that merely share a prefix. It is also pg_trgm's default
# `pg_trgm.word_similarity_threshold`, which the indexable `%>` operator uses (a test checks they agree).
TRIGRAM_THRESHOLD = 0.6
TEXT_SEARCH_CONFIG = "english"
# Up to this many matching people are passed to the page query as a list of ids (see _person_match_set).
MATCH_LIST_LIMIT = 5000
# Fuzzy matching: candidates proposed per query word by the index, and fuzzy results kept (best first).
# A word that proposes more candidates than this is too common to be a misspelt name ("synthetic" at
# the 100,000-people bench scale) and proposes none; the other words still must match.
FUZZY_CANDIDATE_LIMIT = 300
FUZZY_RESULT_LIMIT = 25
# The looser threshold for proposing candidates on PostgreSQL (the rule below decides): "Whtimer" shares
# half its trigrams with "Whitmer".
FUZZY_CANDIDATE_THRESHOLD = 0.3
FUZZY_MIN_LENGTH = 4
SQLITE_NAME_INDEX = "contacts_person_name_trigrams"
# On SQLite, words with this many trigrams or more (eight letters and up) need two shared trigrams.
SQLITE_PAIRED_TRIGRAMS_FROM = 6


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


def states_matching(word: str):
    """States whose postal code is `word` or whose name contains it (search, pickers, the header)."""
    from trade.models import State

    return State.objects.filter(Q(code__iexact=word) | Q(name__icontains=word)).order_by()


def _person_related_match(word: str) -> Q:
    states = Person.states.through.objects.filter(state__in=states_matching(word)).values("person_id")
    tags = Person.tags.through.objects.filter(tag__name__icontains=word).values("person_id")
    orgs = Position.objects.filter(is_current=True, organization__name__icontains=word).values("person_id")
    return Q(pk__in=states) | Q(pk__in=tags) | Q(pk__in=orgs)


# --- Typo tolerance: one rule on both databases -------------------------------------------------------


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps), or
    `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    """How many edits a query word may be from a name word: none for short words and numbers."""
    if len(word) < FUZZY_MIN_LENGTH or any(char.isdigit() for char in word):
        return 0
    return 1 if len(word) <= 7 else 2


def name_distance(query_words: list[str], name_words: set[str]) -> int | None:
    """Total edits from the query to the name, or None when some query word matches no name word.
    A query word that begins a name word ("Whit", "Gret") matches it with no edit (type-ahead)."""
    total = 0
    for word in query_words:
        limit = allowed_edits(word)
        best = limit + 1
        for name_word in name_words:
            if name_word.startswith(word):
                best = 0
                break
            if limit:
                best = min(best, edit_distance(word, name_word, limit=limit))
        if best > limit:
            return None
        total += best
    return total


def _fuzzy_words(query: str) -> list[str]:
    return [word for word in search_words(query) if allowed_edits(word)]


def postgresql_candidates(word: str, *, required: list[str] = ()) -> QuerySet:
    """People whose name shares enough trigrams with `word` (the indexable `%>` on both name columns)
    and contains each `required` word (a number, say: trigram-indexed ILIKE)."""
    queryset = Person.objects.filter(
        Q(full_name__trigram_word_similar=word) | Q(preferred_name__trigram_word_similar=word)
    )
    for text in required:
        queryset = queryset.filter(Q(full_name__icontains=text) | Q(preferred_name__icontains=text))
    return queryset.order_by().values_list("pk", "full_name", "preferred_name")


def _candidate_rows_postgresql(word: str, required: list[str]) -> list[tuple]:
    """The candidates for `word` at the looser threshold (GIN trigram indexes), at most the limit + 1."""
    rows = postgresql_candidates(word, required=required)
    with transaction.atomic(), connection.cursor() as cursor:
        # `%>` compares with this setting; set for this transaction only (is_local), then restored.
        # Until pg_trgm first runs in a session its setting is not defined (missing_ok: NULL).
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold', true)")
        saved = cursor.fetchone()[0] or str(TRIGRAM_THRESHOLD)
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(FUZZY_CANDIDATE_THRESHOLD)]
        )
        try:
            return list(rows[: FUZZY_CANDIDATE_LIMIT + 1])
        finally:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [saved])


def _candidate_rows_sqlite(word: str, required: list[str]) -> list[tuple]:
    """People whose name contains at least two of `word`'s trigrams (one, for a word of up to seven
    letters) and each `required` word (the FTS5 trigram table), at most the limit + 1: about what
    PostgreSQL's looser threshold proposes; the rule then decides alike on both."""
    trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
    if len(trigrams) >= SQLITE_PAIRED_TRIGRAMS_FROM:
        alternatives = [f'("{a}" AND "{b}")' for i, a in enumerate(trigrams) for b in trigrams[i + 1 :]]
    else:
        # A short word shares few trigrams with its misspelling ("whtimer" and "whitmer": only "mer";
        # PostgreSQL also counts the word's edges), so one shared trigram proposes a candidate.
        alternatives = [f'"{trigram}"' for trigram in trigrams]
    if not alternatives:
        return []
    match = "(" + " OR ".join(alternatives) + ")" + "".join(f' AND "{text}"' for text in required)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM contacts_person_name_trigrams WHERE contacts_person_name_trigrams MATCH %s LIMIT %s",
            [match, FUZZY_CANDIDATE_LIMIT + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return list(Person.objects.filter(pk__in=ids).order_by().values_list("pk", "full_name", "preferred_name"))


def person_fuzzy_matches(query: str, *, exclude: set[int] = frozenset()) -> dict[int, int]:
    """{person id: edits} of the people whose name is within the typo rule of every query word, best
    first, at most FUZZY_RESULT_LIMIT. The index proposes candidates; the same rule decides everywhere,
    so both databases give the same answer. A query of only short words or numbers has no fuzzy matches.

    Words that may not be misspelt (numbers) and have three characters or more narrow every word's
    candidates ("Synthtic Persn 072693" among 100,000 synthetic people); a word that still proposes more
    than FUZZY_CANDIDATE_LIMIT people is too common to be the misspelt one and proposes none."""
    words = search_words(query)
    fuzzy_words = list(dict.fromkeys(_fuzzy_words(query)))
    if not fuzzy_words:
        return {}
    required = sorted({word for word in words if not allowed_edits(word) and len(word) >= 3})
    candidate_rows = _candidate_rows_postgresql if _is_postgres() else _candidate_rows_sqlite
    candidates: dict[int, tuple] = {}
    for word in fuzzy_words:
        rows = candidate_rows(word, required)
        if len(rows) <= FUZZY_CANDIDATE_LIMIT:
            candidates.update((row[0], row) for row in rows)
    scored = []
    for pk, full_name, preferred_name in candidates.values():
        if pk in exclude:
            continue
        distance = name_distance(words, set(search_words(f"{full_name} {preferred_name or ''}")))
        if distance is not None:
            scored.append((distance, full_name, pk))
    scored.sort()
    return {pk: distance for distance, _name, pk in scored[:FUZZY_RESULT_LIMIT]}


def _with_fuzzy(queryset: QuerySet[Person], exact: Q, fuzzy: dict[int, int], *, ranked: bool) -> QuerySet[Person]:
    """The exact matches and the fuzzy ones; when ranked, exact first (fuzzy_rank 0), then by edits."""
    if not fuzzy:
        return queryset.filter(exact).annotate(fuzzy_rank=Value(0, output_field=IntegerField()))
    by_distance: dict[int, list[int]] = {}
    for pk, distance in fuzzy.items():
        by_distance.setdefault(distance, []).append(pk)
    rank = Case(
        *(When(pk__in=ids, then=Value(distance + 1)) for distance, ids in sorted(by_distance.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.filter(exact | Q(pk__in=list(fuzzy))).annotate(fuzzy_rank=rank)


def sqlite_name_index_install(sender, using="default", **kwargs) -> None:
    """The SQLite candidate index for fuzzy search: an FTS5 trigram table over the people's names, kept
    by triggers, rebuilt after every migrate (a table rebuild by a later migration drops triggers).
    PostgreSQL uses the pg_trgm indexes of migration 0005 instead."""
    from django.db import connections

    target = connections[using]
    if sender.name != "contacts" or target.vendor != "sqlite":
        return
    # Literal SQL: the names are fixed (contacts_person, and SQLITE_NAME_INDEX below).
    statements = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS contacts_person_name_trigrams USING fts5(full_name, preferred_name, "
        "content='contacts_person', content_rowid='id', tokenize='trigram')",
        "CREATE TRIGGER IF NOT EXISTS contacts_person_name_trigrams_insert AFTER INSERT ON contacts_person BEGIN "
        "INSERT INTO contacts_person_name_trigrams(rowid, full_name, preferred_name) "
        "VALUES (new.id, new.full_name, new.preferred_name); END",
        "CREATE TRIGGER IF NOT EXISTS contacts_person_name_trigrams_delete AFTER DELETE ON contacts_person BEGIN "
        "INSERT INTO contacts_person_name_trigrams(contacts_person_name_trigrams, rowid, full_name, preferred_name) "
        "VALUES ('delete', old.id, old.full_name, old.preferred_name); END",
        "CREATE TRIGGER IF NOT EXISTS contacts_person_name_trigrams_update "
        "AFTER UPDATE OF full_name, preferred_name ON contacts_person BEGIN "
        "INSERT INTO contacts_person_name_trigrams(contacts_person_name_trigrams, rowid, full_name, preferred_name) "
        "VALUES ('delete', old.id, old.full_name, old.preferred_name); "
        "INSERT INTO contacts_person_name_trigrams(rowid, full_name, preferred_name) "
        "VALUES (new.id, new.full_name, new.preferred_name); END",
        "INSERT INTO contacts_person_name_trigrams(contacts_person_name_trigrams) VALUES ('rebuild')",
    ]
    with target.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


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
    by_state = Person.states.through.objects.filter(state__in=states_matching(query))
    by_tag = Person.tags.through.objects.filter(tag__name__icontains=query)
    by_organization = Position.objects.filter(is_current=True, organization__name__icontains=query)
    exact = [by_text.order_by().values_list("pk")]
    exact += [qs.order_by().values_list("person_id") for qs in (by_state, by_tag, by_organization)]
    return exact[0].union(*exact[1:], all=True)


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
    """People of `queryset` matching `query` exactly or within the typo rule, each annotated with
    `fuzzy_rank` (0 exact, then 1 + edits). When `ranked`: exact matches first (on PostgreSQL by text
    score; at most `MATCH_LIST_LIMIT` are ranked, beyond that the list's order), then the fuzzy ones."""
    query = (query or "").strip()
    if not query:
        return queryset
    if _is_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=TEXT_SEARCH_CONFIG)
        matches = _person_match_set(_person_matching_ids(query, search_query))
        exact_ids = set(matches) if isinstance(matches, list) else set()
        fuzzy = person_fuzzy_matches(query, exclude=exact_ids) if isinstance(matches, list) else {}
        queryset = _with_fuzzy(queryset, Q(pk__in=matches), fuzzy, ranked=ranked)
        # More than MATCH_LIST_LIMIT matches (one very common word): ranking them all would cost seconds
        # and tell the reader little, so they keep the list's order by name; the page says so.
        if ranked and isinstance(matches, list):
            score = Greatest(
                SearchRank(person_search_document(), search_query),
                TrigramWordSimilarity(query, "full_name"),
                TrigramWordSimilarity(query, Coalesce("preferred_name", Value(""))),
                output_field=FloatField(),
            )
            queryset = queryset.annotate(search_score=score).order_by("fuzzy_rank", "-search_score", "last_name", "id")
        return queryset
    exact = Q()
    for word in query.split():
        text = (
            Q(full_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(title__icontains=word)
            | Q(office__icontains=word)
        )
        exact &= text | _person_related_match(word)
    exact_ids = set(Person.objects.filter(exact).values_list("pk", flat=True)[: MATCH_LIST_LIMIT + 1])
    fuzzy = person_fuzzy_matches(query, exclude=exact_ids)
    queryset = _with_fuzzy(queryset, exact, fuzzy, ranked=ranked)
    if ranked and fuzzy:
        ordering = list(queryset.query.order_by or Person._meta.ordering or ["last_name", "id"])
        queryset = queryset.order_by("fuzzy_rank", *ordering)
    return queryset


def person_search_suggestion(people) -> Person | None:
    """The "did you mean" of a search page: its best fuzzy match when nothing on it matched exactly."""
    people = list(people)
    if people and all(getattr(person, "fuzzy_rank", 0) > 0 for person in people):
        return min(people, key=lambda person: person.fuzzy_rank)
    return None


def person_search_by_name_order(queryset: QuerySet[Person], *, query: str, sort: str = "") -> bool:
    """True when a search matched too many people to rank (PostgreSQL) and lists them by name instead."""
    return (
        bool((query or "").strip()) and not sort and _is_postgres() and "search_score" not in queryset.query.annotations
    )


def _organization_related(word: str) -> Q:
    states = OrganizationStatePresence.objects.filter(state__in=states_matching(word)).values("organization_id")
    tags = Organization.tags.through.objects.filter(tag__name__icontains=word).values("organization_id")
    return Q(pk__in=states) | Q(pk__in=tags)


def _organization_matching_ids(query: str, search_query: SearchQuery) -> QuerySet:
    by_text = Organization.objects.alias(document=organization_search_document()).filter(document=search_query)
    by_state = OrganizationStatePresence.objects.filter(state__in=states_matching(query))
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
