"""Coverage: the share of a state's influence contacted in 90 days, on a map whose bands read correctly."""

import re

import pytest

from outreach.selectors import coverage_by_state
from outreach.tiles import coverage_map_svg
from tests.outreach.factories import InteractionFactory, StateFactory, SyntheticPersonFactory
from trade.maps import PALETTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def michigan():
    state = StateFactory(code="MI", name="Michigan")
    governor = SyntheticPersonFactory(influence=5, states=[state])
    representatives = [SyntheticPersonFactory(influence=2, states=[state]) for _ in range(15)]
    return state, governor, representatives


def _row(state):
    return next(row for row in coverage_by_state() if row.state == state)


def _tile_fill(svg: str, code: str) -> str:
    return re.search(rf'<rect [^>]*fill="(#[0-9a-f]+)"[^>]*/><text [^>]*>{code}</text>', svg).group(1)


def test_one_call_to_one_of_sixteen_leaves_the_state_a_light_gap(michigan):
    state, _governor, representatives = michigan
    InteractionFactory(people=[representatives[0]])
    row = _row(state)
    assert (row.contacted_90, row.stakeholders) == (1, 16)
    assert row.weighted_share_90 == pytest.approx(2 / 35)
    assert row.is_gap
    svg = coverage_map_svg(rows=coverage_by_state())
    assert _tile_fill(svg, "MI") == PALETTE[1]


def test_calling_the_governor_covers_more_than_calling_a_representative(michigan):
    state, governor, _representatives = michigan
    InteractionFactory(people=[governor])
    row = _row(state)
    assert row.weighted_share_90 == pytest.approx(5 / 35)
    assert row.share_90 == pytest.approx(1 / 16)


def test_people_nobody_rated_weigh_by_the_public_record_else_one():
    state = StateFactory(code="OH", name="Ohio")
    rated = SyntheticPersonFactory(states=[state])
    SyntheticPersonFactory(states=[state])
    type(rated).objects.filter(pk=rated.pk).update(public_influence=3.0)
    InteractionFactory(people=[rated])
    assert _row(state).weighted_share_90 == pytest.approx(3 / 4)
    assert not _row(state).is_gap


def test_legend_bands_read_as_shares_even_when_nobody_was_contacted(michigan):
    svg = coverage_map_svg(rows=coverage_by_state())
    legend = re.findall(r'font-size="11"[^>]*>([^<]+)</text>', svg)
    assert legend == ["under 1%", "1–24%", "25–49%", "50–74%", "75% or more", "no data"]
    assert "&lt; 0" not in svg and "≥ 0" not in svg
    assert _tile_fill(svg, "MI") == PALETTE[0]


def test_coverage_page_marks_gaps(client_for, viewer, michigan):
    state, _governor, representatives = michigan
    InteractionFactory(people=[representatives[0]])
    html = client_for(viewer).get("/coverage/").content.decode()
    assert 'class="tag gap"' in html
