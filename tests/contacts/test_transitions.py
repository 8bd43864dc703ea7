"""Terms that end soon show beside the person; an at-large seat reads "at-large", not "district 0"."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import Person
from tests.outreach.factories import SyntheticPersonFactory

pytestmark = pytest.mark.django_db


def test_term_ending_shows_from_ninety_days_before():
    today = dt.date(2026, 12, 3)
    person = Person(is_current_office_holder=True, term_end=dt.date(2027, 3, 3))
    assert person.term_ending_on(today) == dt.date(2027, 3, 3)
    assert person.term_ending_on(dt.date(2026, 12, 2)) is None  # 91 days ahead
    assert Person(is_current_office_holder=False, term_end=dt.date(2027, 1, 3)).term_ending_on(today) is None
    assert Person(is_current_office_holder=True, term_end=dt.date(2026, 12, 1)).term_ending_on(today) is None


def test_district_label():
    assert Person(chamber="rep", district="0").district_label == "at-large"
    assert Person(chamber="rep", district="12").district_label == "district 12"
    assert Person(chamber="sen", district="").district_label == ""


def test_person_page_list_and_ranking_show_the_term_end(client_for, viewer):
    end = timezone.localdate() + dt.timedelta(days=30)
    person = SyntheticPersonFactory(
        is_current_office_holder=True, term_end=end, chamber="rep", district="0", office="U.S. House"
    )
    text = f"term ends {end.day} {end.strftime('%b')} {end.year}"
    client = client_for(viewer)
    detail = client.get(f"/stakeholders/{person.pk}/").content.decode()
    assert text in detail
    assert "at-large" in detail and "district 0" not in detail
    assert text in client.get("/stakeholders/").content.decode()
    assert text in client.get("/priorities/").content.decode()


# --- Successors and the daily rollover -------------------------------------------------------------


def _governor(**kwargs):
    from tests.outreach.factories import StateFactory
    from trade.models import State

    michigan = State.objects.filter(code="MI").first() or StateFactory(code="MI", name="Michigan")
    person = SyntheticPersonFactory(
        first_name="Outgoing",
        last_name="Governor",
        kind="governor",
        office="Governor of Michigan",
        is_current_office_holder=True,
        term_start=dt.date(2019, 1, 1),
        term_end=dt.date(2027, 1, 1),
        states=[michigan],
        **kwargs,
    )
    return person, michigan


def test_a_successor_takes_the_office_on_its_date_and_both_histories_keep_it(lead):
    from contacts.services import successor_record, transitions_roll_over
    from core.selectors import history_for

    outgoing, michigan = _governor()
    incoming = SyntheticPersonFactory(first_name="Incoming", last_name="Governor", kind="other")
    transition = successor_record(
        actor=lead,
        predecessor=outgoing,
        successor=incoming,
        takes_office_on=dt.date(2027, 1, 1),
        source_url="https://www.michigan.gov/sos/elections",
    )

    assert transitions_roll_over(today=dt.date(2026, 12, 31)) == 0  # not yet
    outgoing.refresh_from_db()
    assert outgoing.is_current_office_holder

    assert transitions_roll_over(today=dt.date(2027, 1, 1)) == 1
    assert transitions_roll_over(today=dt.date(2027, 1, 2)) == 0  # idempotent
    outgoing.refresh_from_db()
    incoming.refresh_from_db()
    transition.refresh_from_db()
    assert transition.rolled_over_at is not None
    assert (outgoing.is_current_office_holder, outgoing.term_end) == (False, dt.date(2026, 12, 31))
    assert (incoming.is_current_office_holder, incoming.office, incoming.kind) == (
        True,
        "Governor of Michigan",
        "governor",
    )
    assert (incoming.term_start, list(incoming.states.all())) == (dt.date(2027, 1, 1), [michigan])
    # History kept: both people's pages show the change and the transition.
    outgoing_changes = {c.name for e in history_for(outgoing, lead) for c in e.changes}
    assert "is_current_office_holder" in outgoing_changes
    incoming_history = history_for(incoming, lead)
    assert any(e.record == "Office transition" for e in incoming_history)
    assert "office" in {c.name for e in incoming_history for c in e.changes}


def test_only_a_current_office_holder_can_have_a_successor_and_only_one_pending(lead, officer):
    from contacts.services import successor_record
    from core.errors import ConflictError, DomainValidationError, PermissionDeniedError

    outgoing, _state = _governor()
    first, second = SyntheticPersonFactory(), SyntheticPersonFactory()
    private = SyntheticPersonFactory(is_current_office_holder=False, office="")
    with pytest.raises(PermissionDeniedError):  # an Officer edits only the people they own
        successor_record(actor=officer, predecessor=outgoing, successor=first, takes_office_on=dt.date(2027, 1, 1))
    with pytest.raises(DomainValidationError):
        successor_record(actor=lead, predecessor=private, successor=first, takes_office_on=dt.date(2027, 1, 1))
    with pytest.raises(DomainValidationError):
        successor_record(actor=lead, predecessor=outgoing, successor=outgoing, takes_office_on=dt.date(2027, 1, 1))
    successor_record(actor=lead, predecessor=outgoing, successor=first, takes_office_on=dt.date(2027, 1, 1))
    with pytest.raises(ConflictError):
        successor_record(actor=lead, predecessor=outgoing, successor=second, takes_office_on=dt.date(2027, 1, 1))


def test_the_person_pages_record_and_show_the_successor(client_for, lead):
    outgoing, _state = _governor()
    incoming = SyntheticPersonFactory(first_name="Incoming", last_name="Governor")
    client = client_for(lead)
    page = client.get(f"/stakeholders/{outgoing.pk}/").content.decode()
    assert "Record a successor" in page and 'id="id_successor"' in page

    refused = client.post(f"/stakeholders/{outgoing.pk}/successor/", {"successor": incoming.pk, "takes_office_on": ""})
    assert refused.status_code == 400 and f'<option value="{incoming.pk}" selected>' in refused.content.decode()

    done = client.post(
        f"/stakeholders/{outgoing.pk}/successor/",
        {"successor": incoming.pk, "takes_office_on": "2027-01-01", "source_url": "https://example.gov/result"},
    )
    assert done.status_code == 302
    outgoing_page = client.get(f"/stakeholders/{outgoing.pk}/").content.decode()
    assert "Leaves office on 2027-01-01; successor:" in outgoing_page and "Incoming Governor" in outgoing_page
    incoming_page = client.get(f"/stakeholders/{incoming.pk}/").content.decode()
    assert "Takes office on 2027-01-01, succeeding" in incoming_page and "Outgoing Governor" in incoming_page


def test_the_rollover_runs_every_day_from_the_beat_schedule():
    from contacts.schedules import SCHEDULES

    assert any(entry["task"] == "contacts.roll_over_offices" for entry in SCHEDULES)
