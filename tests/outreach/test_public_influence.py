"""Who to call next ranks people nobody has rated by what the public record says of them."""

import datetime as dt
import io
import statistics

import pytest
from django.utils import timezone, translation

from contacts.models import InfluenceWeights, Person
from contacts.services import public_influence_refresh
from outreach.selectors import priority_explanation, priority_people, state_exposure_ranks
from tests.outreach.factories import InteractionFactory, StateFactory, SyntheticPersonFactory, exposure_snapshot
from trade.public_data import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_people(db):
    """States, Congress, trade-committee seats and governors from the bundled public files."""
    from contacts.public_data import committees_import, congress_import, governors_import

    load_reference(stdout=io.StringIO())
    congress_import()
    committees_import()
    governors_import()


def test_michigan_ranks_by_office_and_committee_seats_with_default_weights(public_people, viewer):
    ranked = list(priority_people(user=viewer, state=_state("MI")))
    assert len(ranked) == 16
    top_ten = ranked[:10]
    assert len({round(p.score, 6) for p in top_ten}) >= 6
    representatives = [p.score for p in ranked if p.kind == "representative"]
    median = statistics.median(representatives)
    governor = next(p for p in ranked if p.kind == "governor")
    senators = [p for p in ranked if p.kind == "senator"]
    assert len(senators) == 2
    assert all(p.score > median for p in [governor, *senators])
    assert ranked[0] == governor
    # Seats on Energy and Commerce (and its trade subcommittee) lift the two members who hold them.
    seated = {p.last_name for p in ranked[3:5]}
    assert seated == {"James", "Dingell"}
    assert governor.public_influence_basis.startswith("Governor; ")


def test_public_record_reasons_read_in_the_readers_language_and_the_basis_stays_english(public_people, viewer):
    ranked = {p.last_name: p for p in priority_people(user=viewer, state=_state("MI"))}
    dingell = ranked["Dingell"]
    assert dingell.public_influence_basis.startswith("U.S. representative; sits on House Energy and Commerce")
    with translation.override("fr"):
        explanation = priority_explanation(dingell, exposure_ranks={})
        assert explanation.startswith("Représentant des États-Unis; siège à : House Energy and Commerce")
        assert "sits on" not in explanation
        # Rows scored before the reasons were kept read their English basis rather than nothing.
        dingell.public_influence_reasons = []
        assert priority_explanation(dingell, exposure_ranks={}).startswith("U.S. representative; sits on")


def test_staff_rating_wins_over_the_public_record_and_says_so(public_people, viewer):
    governor = Person.objects.get(kind="governor", states__code="MI")
    Person.objects.filter(pk=governor.pk).update(influence=1)
    row = next(p for p in priority_people(user=viewer, state=_state("MI")) if p.pk == governor.pk)
    assert row.c_influence == pytest.approx(0.2)
    explanation = priority_explanation(row, exposure_ranks={})
    assert explanation.startswith("Rated 1/5 by staff; ")
    assert "Governor" not in explanation


def test_explanation_names_office_exposure_and_contact(viewer):
    michigan = StateFactory(code="MI", name="Michigan")
    ohio = StateFactory(code="OH", name="Ohio")
    scenario = exposure_snapshot(totals={michigan: (60, 40), ohio: (30, 20)}).scenario
    governor = SyntheticPersonFactory(kind="governor", is_current_office_holder=True, states=[michigan])
    senator = SyntheticPersonFactory(kind="senator", is_current_office_holder=True, states=[ohio])
    InteractionFactory(people=[senator], occurred_at=timezone.now() - dt.timedelta(days=3, hours=1))
    public_influence_refresh()
    ranks = state_exposure_ranks(scenario=scenario)
    rows = {p.pk: p for p in priority_people(user=viewer, scenario=scenario)}
    assert priority_explanation(rows[governor.pk], exposure_ranks=ranks) == (
        "Governor; Michigan is the most exposed state; never contacted"
    )
    assert priority_explanation(rows[senator.pk], exposure_ranks=ranks) == (
        "U.S. senator; Ohio is the 2nd most exposed state; last contacted 3 days ago"
    )


def test_explanation_reads_in_the_readers_language(viewer):
    michigan = StateFactory(code="MI", name="Michigan")
    ohio = StateFactory(code="OH", name="Ohio")
    scenario = exposure_snapshot(totals={michigan: (60, 40), ohio: (30, 20)}).scenario
    rated = SyntheticPersonFactory(influence=4, states=[ohio])
    InteractionFactory(people=[rated], occurred_at=timezone.now() - dt.timedelta(days=3, hours=1))
    ranks = state_exposure_ranks(scenario=scenario)
    row = next(p for p in priority_people(user=viewer, scenario=scenario) if p.pk == rated.pk)
    with translation.override("fr"):
        assert priority_explanation(row, exposure_ranks=ranks) == (
            "Noté 4/5 par l’équipe; Ohio est au 2e rang des États les plus exposés; dernier contact il y a 3 jours"
        )
    with translation.override("en"):
        assert priority_explanation(row, exposure_ranks=ranks) == (
            "Rated 4/5 by staff; Ohio is the 2nd most exposed state; last contacted 3 days ago"
        )


def test_changed_weights_change_the_influence(viewer):
    governor = SyntheticPersonFactory(kind="governor", is_current_office_holder=True)
    public_influence_refresh()
    governor.refresh_from_db()
    assert governor.public_influence == pytest.approx(4.0)
    InfluenceWeights.objects.filter(pk=1).update(governor=2)
    assert public_influence_refresh() == 1
    governor.refresh_from_db()
    assert governor.public_influence == pytest.approx(2.0)
    row = next(p for p in priority_people(user=viewer) if p.pk == governor.pk)
    assert row.c_influence == pytest.approx(0.4)


def test_former_office_holders_and_people_the_record_says_nothing_of_get_no_public_influence(viewer):
    former = SyntheticPersonFactory(kind="senator", is_current_office_holder=False)
    other = SyntheticPersonFactory(kind="other")
    public_influence_refresh()
    assert list(Person.objects.filter(pk__in=[former.pk, other.pk]).values_list("public_influence", flat=True)) == [
        None,
        None,
    ]


def test_admin_saving_the_weights_recomputes_everyone(client_for, admin_user_role):
    governor = SyntheticPersonFactory(kind="governor", is_current_office_holder=True)
    weights = InfluenceWeights.load()
    data = {name: str(getattr(weights, name)) for name in _weight_fields()}
    data["governor"] = "3"
    response = client_for(admin_user_role).post("/admin/contacts/influenceweights/1/change/", data)
    assert response.status_code == 302
    governor.refresh_from_db()
    assert governor.public_influence == pytest.approx(3.0)


def _weight_fields():
    return [f.name for f in InfluenceWeights._meta.concrete_fields if f.name not in {"id", "created_at", "updated_at"}]


def _state(code):
    from trade.models import State

    return State.objects.get(code=code)


def test_one_party_vocabulary_after_the_public_imports(public_people):
    parties = set(Person.objects.exclude(party="").values_list("party", flat=True))
    assert "Democrat" not in parties
    assert {"Democratic", "Republican"} <= parties
    assert Person.objects.get(bioguide_id="P000595").party == "Democratic"  # Gary Peters, listed as "Democrat"
