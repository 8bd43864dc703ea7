import datetime as dt

import pytest
from django.utils import timezone

from outreach.models import PriorityWeights
from outreach.selectors import priority_people
from tests.core.factories import UserFactory
from tests.outreach.factories import (
    CampaignTargetFactory,
    CommitmentFactory,
    InteractionFactory,
    PillarFactory,
    StateFactory,
    SyntheticPersonFactory,
    exposure_snapshot,
)

pytestmark = pytest.mark.django_db


def ranked(user, **kwargs):
    return {p.pk: p for p in priority_people(user=user, **kwargs)}


def test_recency_steps(viewer):
    now = timezone.now()
    people = {}
    for days in (None, 200, 100, 40, 10, 2):
        person = SyntheticPersonFactory()
        if days is not None:
            InteractionFactory(people=[person], occurred_at=now - dt.timedelta(days=days))
        people[days] = person
    scores = ranked(viewer, now=now)
    assert [scores[people[d].pk].c_recency for d in (None, 200, 100, 40, 10, 2)] == [1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
    assert scores[people[None].pk].last_contact_at is None


def test_stance_influence_battleground_and_commitments(viewer):
    swing = StateFactory(code="WI", name="Wisconsin", is_battleground_2024=True)
    person = SyntheticPersonFactory(stance="neutral", influence=4, states=[swing])
    interaction = InteractionFactory(people=[person])
    for _ in range(2):
        CommitmentFactory(interaction=interaction, party="them", description="x")
    CommitmentFactory(interaction=interaction, party="us", description="done", status="fulfilled")
    row = ranked(viewer)[person.pk]
    assert (row.c_stance, row.c_influence, row.c_battleground) == (1.0, 0.8, 1.0)
    assert row.open_commitments == 2
    assert row.c_commitments == pytest.approx(2 / 3)


def test_weights_from_admin_change_the_score(viewer):
    person = SyntheticPersonFactory(influence=5, stance="opposed")
    zero = dict.fromkeys(["exposure", "recency", "stance", "battleground", "commitments"], 0)
    PriorityWeights.objects.filter(pk=1).update(influence=1, **zero)
    row = ranked(viewer)[person.pk]
    assert row.score == pytest.approx(100.0)
    assert row.p_influence == pytest.approx(100.0)
    assert row.p_stance == 0


def test_ranking_order_and_filters(viewer):
    owner = UserFactory()
    pillar = PillarFactory(code="autos", name="Autos")
    mi = StateFactory(code="MI", name="Michigan", is_battleground_2024=True)
    top = SyntheticPersonFactory(influence=5, stance="neutral", states=[mi], owner=owner)
    top.pillars.add(pillar)
    bottom = SyntheticPersonFactory(influence=1, stance="champion")
    InteractionFactory(people=[bottom], occurred_at=timezone.now() - dt.timedelta(hours=1))
    target = CampaignTargetFactory(person=bottom)
    order = [p.pk for p in priority_people(user=viewer)]
    assert order.index(top.pk) < order.index(bottom.pk)
    assert [p.pk for p in priority_people(user=viewer, state=mi)] == [top.pk]
    assert [p.pk for p in priority_people(user=viewer, pillar=pillar)] == [top.pk]
    assert [p.pk for p in priority_people(user=viewer, owner=owner)] == [top.pk]
    assert [p.pk for p in priority_people(user=viewer, campaign=target.campaign)] == [bottom.pk]


def test_priorities_page_shows_why(client_for, viewer):
    SyntheticPersonFactory(full_name="Casey Synthetic", influence=3)
    html = client_for(viewer).get("/priorities/").content.decode()
    assert "Casey Synthetic" in html
    assert "never" in html
    assert "3/5" in html
    assert "How the score works" in html


def test_exposure_component_from_the_current_snapshot(viewer):
    ny, vt, wy = (StateFactory(code=c, name=n) for c, n in [("NY", "New York"), ("VT", "Vermont"), ("WY", "Wyoming")])
    energy = PillarFactory(code="energy", name="Energy")
    exposure_snapshot(
        totals={ny: (800, 200), vt: (200, 50), wy: (0, 0)},
        pillar_figures={(ny, energy): (10, 0), (vt, energy): (40, 0)},
    )
    new_yorker = SyntheticPersonFactory(states=[ny, wy])
    vermonter = SyntheticPersonFactory(states=[vt])
    vermonter.pillars.add(energy)
    new_yorker.pillars.add(energy)
    stateless = SyntheticPersonFactory()
    rows = ranked(viewer)
    assert rows[new_yorker.pk].c_exposure == pytest.approx(1.0)  # best of its states, NY is the top state
    assert rows[new_yorker.pk].exposure_value == pytest.approx(1000)
    assert rows[vermonter.pk].c_exposure == pytest.approx(0.25)
    assert rows[stateless.pk].c_exposure == 0.0
    by_pillar = ranked(viewer, pillar=energy)
    assert by_pillar[vermonter.pk].c_exposure == pytest.approx(1.0)  # Vermont leads on energy
    assert by_pillar[new_yorker.pk].c_exposure == pytest.approx(0.25)


def test_scenario_parameter_in_api_and_pages(api_for, client_for, viewer):
    from tests.trade.factories import TariffScenarioFactory

    ny = StateFactory(code="NY", name="New York")
    exposure_snapshot(totals={ny: (100, 0)})
    other = TariffScenarioFactory(slug="steel-only")
    exposure_snapshot(scenario=other, totals={ny: (5, 0)})
    person = SyntheticPersonFactory(states=[ny])
    api = api_for(viewer)
    default = api.get("/api/priorities/").json()["results"][0]
    assert (default["id"], default["components"]["exposure"]["value"]) == (person.pk, 1.0)
    assert api.get("/api/priorities/?scenario=steel-only").status_code == 200
    assert api.get("/api/priorities/?scenario=nope").status_code == 404
    page = client_for(viewer).get("/coverage/")
    assert [(row.state.code, row.exposure) for row in page.context["rows"]][:1] == [("NY", 100.0)]
    assert "<svg" in page.content.decode()


def test_scheduled_meetings_are_not_last_contact(viewer):
    person = SyntheticPersonFactory()
    InteractionFactory(people=[person], kind="meeting", occurred_at=timezone.now() + dt.timedelta(days=3))
    row = ranked(viewer)[person.pk]
    assert (row.last_contact_at, row.c_recency) == (None, 1.0)
