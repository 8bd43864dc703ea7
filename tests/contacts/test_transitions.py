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
