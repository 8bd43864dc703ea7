"""One stance rule: every change of stance or influence writes one dated entry; the entry observed last is current."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.choices import AssessmentSource, Stance
from contacts.merge import contact_merge
from contacts.models import InfluenceEntry, Person, StanceEntry
from contacts.services import person_set_influence, person_set_stance
from core.forms import VersionedFormMixin
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _edit_form(person, **changes):
    data = {
        "first_name": person.first_name, "last_name": person.last_name, "kind": person.kind, "title": person.title,
        "stance": person.stance, "influence": person.influence or "", "influence_rationale": "", "tags": "",
        "stance_reason": "",
    }  # fmt: skip
    # The version the editor read (optimistic concurrency, docs/security.md).
    person.refresh_from_db(fields=["version"])
    data["version"] = VersionedFormMixin.version_token(person.version)
    return {**data, **changes}


def test_stance_set_on_the_edit_page_writes_one_entry(client_for, lead):
    person = PersonFactory()
    response = client_for(lead).post(
        f"/stakeholders/{person.pk}/edit/",
        _edit_form(person, stance=Stance.SUPPORTIVE, stance_reason="Met in Detroit"),
    )
    assert response.status_code == 302
    entry = StanceEntry.objects.get()
    assert (entry.person, entry.stance, entry.reason, entry.set_by) == (person, "supportive", "Met in Detroit", lead)
    assert entry.source == AssessmentSource.STAFF_EDIT
    person.refresh_from_db()
    assert person.stance == Stance.SUPPORTIVE
    assert InfluenceEntry.objects.count() == 0


def test_saving_the_edit_page_without_a_stance_change_writes_no_entry(client_for, lead):
    person = PersonFactory()
    person_set_stance(person=person, stance=Stance.NEUTRAL, actor=lead)
    person.refresh_from_db()
    client_for(lead).post(f"/stakeholders/{person.pk}/edit/", _edit_form(person, title="New title"))
    assert StanceEntry.objects.count() == 1


def test_influence_set_on_the_edit_page_writes_one_dated_entry(client_for, lead):
    person = PersonFactory()
    client_for(lead).post(
        f"/stakeholders/{person.pk}/edit/", _edit_form(person, influence=4, influence_rationale="Chairs the panel")
    )
    entry = InfluenceEntry.objects.get()
    assert (entry.person, entry.influence, entry.rationale, entry.set_by) == (person, 4, "Chairs the panel", lead)
    person.refresh_from_db()
    assert (person.influence, person.influence_rationale) == (4, "Chairs the panel")


def test_stance_observed_in_an_interaction_with_two_people_is_recorded_for_the_chosen_one(client_for, officer):
    a, b = PersonFactory(), PersonFactory()
    response = client_for(officer).post(
        "/interactions/new/",
        {
            "kind": "meeting",
            "people": [a.pk, b.pk],
            "occurred_at": "2026-01-15T10:30",
            "summary": "Group meeting",
            "stance_observed": "skeptical",
            "stance_people": [b.pk],
            "stance_confirmed": "on",
        },
    )
    assert response.status_code == 302
    entry = StanceEntry.objects.get()
    assert (entry.person, entry.stance, entry.source) == (b, "skeptical", AssessmentSource.INTERACTION)
    assert entry.set_at.date() == dt.date(2026, 1, 15)
    assert Person.objects.get(pk=a.pk).stance == Stance.UNKNOWN


def test_the_interaction_form_offers_the_chosen_people_for_the_stance(client_for, officer):
    a, b = PersonFactory(), PersonFactory()
    PersonFactory(last_name="Notchosen")
    response = client_for(officer).post(
        "/interactions/new/",
        {"kind": "call", "people": [a.pk, b.pk], "occurred_at": "2026-01-15T10:30", "summary": "x",
         "stance_observed": "neutral", "stance_confirmed": "on"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400
    assert 'name="stance_people"' in html
    assert "Notchosen" not in html.split('name="stance_people"')[1].split("</select>")[0]
    assert StanceEntry.objects.count() == 0


def test_stance_observed_through_the_api_writes_one_entry(api_for, officer):
    a, b = PersonFactory(), PersonFactory()
    response = api_for(officer).post(
        "/api/interactions/",
        {"kind": "call", "people": [a.pk, b.pk], "summary": "x", "stance_observed": "champion",
         "stance_person": a.pk, "stance_confirmed": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert list(StanceEntry.objects.values_list("person", "stance")) == [(a.pk, "champion")]


def test_entries_arriving_out_of_order_leave_the_latest_observation_current(lead):
    person = PersonFactory()
    now = timezone.now()
    person_set_stance(person=person, stance=Stance.SUPPORTIVE, actor=lead, when=now - dt.timedelta(hours=1))
    person_set_stance(person=person, stance=Stance.CHAMPION, actor=lead, when=now)
    # Logged late: a meeting three hours ago. It joins the history but does not override the newer ones.
    person_set_stance(person=person, stance=Stance.NEUTRAL, actor=lead, when=now - dt.timedelta(hours=3))
    person.refresh_from_db()
    assert person.stance == Stance.CHAMPION
    assert [e.stance for e in person.stance_history.all()] == ["champion", "supportive", "neutral"]

    # Two observations at the same moment: the one recorded last wins.
    person_set_stance(person=person, stance=Stance.OPPOSED, actor=lead, when=now)
    person.refresh_from_db()
    assert person.stance == Stance.OPPOSED


def test_influence_entries_follow_the_same_rule(lead):
    person = PersonFactory()
    now = timezone.now()
    person_set_influence(person=person, influence=5, actor=lead, rationale="Chair", when=now)
    person_set_influence(person=person, influence=2, actor=lead, when=now - dt.timedelta(days=30))
    person.refresh_from_db()
    assert (person.influence, person.influence_rationale) == (5, "Chair")
    assert InfluenceEntry.objects.filter(person=person).count() == 2


def test_bad_stance_or_influence_is_refused_and_writes_nothing(lead):
    from core.errors import DomainValidationError

    person = PersonFactory()
    with pytest.raises(DomainValidationError):
        person_set_stance(person=person, stance="ecstatic", actor=lead)
    with pytest.raises(DomainValidationError):
        person_set_influence(person=person, influence=9, actor=lead)
    assert (StanceEntry.objects.count(), InfluenceEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("newer", ["keep", "duplicate"])
def test_after_a_merge_the_current_stance_is_the_newest_entry(lead, newer):
    keep, duplicate = PersonFactory(), PersonFactory()
    now = timezone.now()
    old, new = now - dt.timedelta(days=2), now - dt.timedelta(days=1)
    person_set_stance(person=keep, stance=Stance.SUPPORTIVE, actor=lead, when=new if newer == "keep" else old)
    person_set_stance(person=duplicate, stance=Stance.SKEPTICAL, actor=lead, when=new if newer != "keep" else old)
    keep.refresh_from_db()
    duplicate.refresh_from_db()

    contact_merge(keep=keep, duplicate=duplicate, actor=lead)

    keep.refresh_from_db()
    newest = keep.stance_history.first()
    assert keep.stance == newest.stance == (Stance.SUPPORTIVE if newer == "keep" else Stance.SKEPTICAL)
    assert keep.stance_history.count() == 2
