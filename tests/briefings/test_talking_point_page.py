"""The talking-point library page: every role reads it; Leads and Admins also see its history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.models import TalkingPoint
from tests.briefings.factories import TalkingPointFactory
from trade.models import Pillar, State

pytestmark = pytest.mark.django_db


def test_talking_point_library_page_and_its_history(reference_data, lead, officer, client_for):
    point = TalkingPointFactory(text="Synthetic point about the grid.")
    point.priority = 5
    point.save()
    gone = TalkingPointFactory(text="Synthetic point removed later.")
    gone.delete()
    body = client_for(lead).get("/briefings/talking-points/").content.decode()
    assert "Synthetic point about the grid." in body and 'id="history-talkingpoint"' in body
    assert "Talking point (deleted): Synthetic point removed later." in body  # named, never by id
    assert "Talking point: Synthetic point about the grid." in body
    officer_body = client_for(officer).get("/briefings/talking-points/").content.decode()
    assert "Synthetic point about the grid." in officer_body
    assert 'id="history-talkingpoint"' not in officer_body


def test_talking_point_page_query_count_constant(reference_data, lead, client_for):
    pillars = list(Pillar.objects.all())
    states = list(State.objects.all()[:5])

    def grow(n):
        for i in range(n):
            TalkingPointFactory(pillar=pillars[i % len(pillars)], state=states[i % len(states)])

    client = client_for(lead)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/briefings/talking-points/").status_code == 200
        return len(queries)

    grow(10)
    small = count()
    grow(190)
    assert count() == small
    assert TalkingPoint.objects.count() >= 200
