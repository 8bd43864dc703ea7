"""The cached "who to call next" ranking: equal to the live one while fresh, never used once stale."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.services import person_update
from outreach.models import PriorityRanking, PriorityScore, PriorityWeights
from outreach.selectors import COMPONENTS, priority_people, priority_ranking_is_fresh, scored_people
from outreach.services import interaction_log, priority_scores_refresh, priority_scores_refresh_if_stale
from outreach.tasks import refresh_priority_scores
from tests.outreach.factories import (
    CommitmentFactory,
    InteractionFactory,
    StateFactory,
    SyntheticPersonFactory,
    exposure_snapshot,
)

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "score", "exposure_value", "last_contact_at", "open_commitments", "in_battleground") + tuple(
    f"{kind}_{name}" for kind in ("c", "p") for name in COMPONENTS
)


def rows(queryset):
    return [tuple(getattr(person, column) for column in COLUMNS) for person in queryset]


def live(user, **filters):
    """The live computation, whatever the cache holds (an explicit `now` bypasses it)."""
    return rows(priority_people(user=user, now=timezone.now(), **filters))


def is_fresh():
    from outreach.selectors import scenario_or_none

    return priority_ranking_is_fresh(scenario=scenario_or_none(), weights=PriorityWeights.load())


@pytest.fixture
def world():
    """A few people spread over every component: exposure, battleground, stance, recency, commitments."""
    ny = StateFactory(code="NY", name="New York")
    wi = StateFactory(code="WI", name="Wisconsin", is_battleground_2024=True)
    exposure_snapshot(totals={ny: (800, 200), wi: (100, 0)})
    people = [
        SyntheticPersonFactory(influence=5, stance="neutral", states=[ny]),
        SyntheticPersonFactory(influence=2, stance="champion", states=[wi]),
        SyntheticPersonFactory(influence=3, stance="opposed", states=[ny, wi]),
        SyntheticPersonFactory(influence=None, stance="unknown"),
    ]
    now = timezone.now()
    InteractionFactory(people=[people[0]], occurred_at=now - dt.timedelta(days=40))
    InteractionFactory(people=[people[1]], occurred_at=now - dt.timedelta(days=2))
    met = InteractionFactory(people=[people[2]], occurred_at=now - dt.timedelta(days=200))
    CommitmentFactory(interaction=met, party="them", description="Write to the governor")
    from outreach.services import contact_stats_refresh

    contact_stats_refresh()
    return {"ny": ny, "wi": wi, "people": people}


def test_cached_ranking_equals_the_live_one_and_is_what_pages_read(world, viewer):
    assert not is_fresh()  # nothing computed yet: pages compute live
    assert priority_scores_refresh() == 4
    assert is_fresh()
    assert PriorityScore.objects.count() == 4
    cached = rows(priority_people(user=viewer))
    assert cached == live(viewer)
    # Filters apply to the cached rows too.
    assert rows(priority_people(user=viewer, state=world["wi"])) == live(viewer, state=world["wi"])
    # The cached query reads the score table, not the contact figures or the exposure figures.
    sql = str(priority_people(user=viewer).query)
    assert "outreach_priorityscore" in sql and "outreach_personcontactstats" not in sql, sql


def test_logging_an_interaction_rescores_that_person_at_once(world, officer, viewer):
    priority_scores_refresh()
    neutral = world["people"][0]
    before = PriorityScore.objects.get(person=neutral)
    interaction_log(actor=officer, kind="call", summary="Checked in", people=[neutral])
    after = PriorityScore.objects.get(person=neutral)
    assert (before.c_recency, after.c_recency) == (0.5, 0.0)
    assert after.score < before.score
    assert is_fresh()
    assert rows(priority_people(user=viewer)) == live(viewer)


def test_editing_stance_or_states_rescores_after_commit(world, lead, viewer, django_capture_on_commit_callbacks):
    priority_scores_refresh()
    unknown = world["people"][3]
    with django_capture_on_commit_callbacks(execute=True):
        person_update(actor=lead, person=unknown, fields={"stance": "neutral", "influence": 5}, states=[world["wi"]])
    row = PriorityScore.objects.get(person=unknown)
    assert (row.c_stance, row.c_influence, row.c_battleground, row.in_battleground) == (1.0, 1.0, 1.0, True)
    assert rows(priority_people(user=viewer)) == live(viewer)


def test_new_weights_a_new_snapshot_or_an_unscored_person_make_it_stale(world, viewer):
    priority_scores_refresh()
    assert is_fresh()
    PriorityWeights.objects.filter(pk=1).update(influence=9)  # even past the model's save()
    assert not is_fresh()
    assert rows(priority_people(user=viewer)) == live(viewer)  # live, with the new weights
    assert refresh_priority_scores() == 4  # the beat job sees it is stale and recomputes
    assert is_fresh()
    assert refresh_priority_scores() == 0  # and leaves a fresh ranking alone

    from trade.models import ExposureSnapshot

    scenario = PriorityRanking.objects.get().scenario
    ExposureSnapshot.objects.filter(scenario=scenario).update(is_current=False)  # a refresh switched snapshots
    exposure_snapshot(scenario=scenario, totals={world["wi"]: (5000, 0)})
    assert not is_fresh()
    assert rows(priority_people(user=viewer)) == live(viewer)
    priority_scores_refresh_if_stale()
    assert is_fresh()
    assert PriorityScore.objects.get(person=world["people"][1]).c_exposure == 1.0  # Wisconsin now leads

    from contacts.models import Person

    Person.objects.bulk_create([Person(full_name="Bulk Synthetic", last_name="Synthetic", is_synthetic=True)])
    assert not is_fresh()  # no signal was sent, but the counts differ
    assert len(live(viewer)) == len(rows(priority_people(user=viewer))) == 5


def test_an_old_ranking_is_not_used_and_the_job_recomputes_it(world, viewer):
    priority_scores_refresh(now=timezone.now() - dt.timedelta(hours=2))
    assert not is_fresh()
    assert refresh_priority_scores() == 4
    assert is_fresh()
    PriorityRanking.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=20))
    assert is_fresh()  # still usable, but the job renews anything older than 15 minutes
    assert refresh_priority_scores() == 4


def test_past_or_pillar_rankings_are_always_live(world, viewer):
    priority_scores_refresh()
    sql = str(priority_people(user=viewer, now=timezone.now() - dt.timedelta(days=30)).query)
    assert "outreach_priorityscore" not in sql
    from tests.outreach.factories import PillarFactory

    sql = str(priority_people(user=viewer, pillar=PillarFactory(code="energy", name="Energy")).query)
    assert "outreach_priorityscore" not in sql


def test_the_refresh_writes_what_the_live_query_computes(world):
    from contacts.models import Person

    now = timezone.now()
    priority_scores_refresh(now=now)
    expected = {
        p.pk: p.score
        for p in scored_people(
            Person.objects.all(),
            scenario=PriorityRanking.objects.get().scenario,
            now=now,
            weights=PriorityWeights.load(),
        )
    }
    assert dict(PriorityScore.objects.values_list("person_id", "score")) == expected


def test_pages_read_the_cache_in_a_constant_number_of_queries(world, client_for, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(lead)
    urls = ["/priorities/", "/api/priorities/?page_size=200", "/"]

    def counts():
        priority_scores_refresh()
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            assert any("outreach_priorityscore" in q["sql"] for q in captured.captured_queries), url
            result.append(len(captured))
        return result

    small = counts()
    for _ in range(30):
        SyntheticPersonFactory(states=[world["ny"]])
    assert counts() == small
    assert small[0] <= 15, small


def test_coverage_is_cached_until_contact_figures_change(world, officer):
    from outreach.selectors import coverage_by_state

    def contacted_90(code):
        return next(row.contacted_90 for row in coverage_by_state() if row.state.code == code)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert contacted_90("NY") == 1  # the neutral New Yorker, 40 days ago
    with CaptureQueriesContext(connection) as again:
        assert contacted_90("NY") == 1
    # Served from the cache: the default scenario and the key's versions, not the per-state counts.
    assert len(again.captured_queries) == 2
    assert not any("COUNT(" in query["sql"].upper() for query in again.captured_queries)
    fresh_face = world["people"][2]  # in NY and WI, last contacted 200 days ago
    interaction_log(actor=officer, kind="call", summary="Caught up", people=[fresh_face])
    assert contacted_90("NY") == 2  # a new key: the contact figures changed
    assert contacted_90("WI") == 2
