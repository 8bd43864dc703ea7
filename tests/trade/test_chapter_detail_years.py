"""The years with state × chapter detail: counted once, then read from the cache until releases change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.trade.factories import DataReleaseFactory, HSChapterFactory, StateFactory, TradeFlowFactory
from trade.selectors import chapter_detail_years

pytestmark = pytest.mark.django_db


def test_months_are_counted_once_and_recounted_when_a_release_arrives():
    state, chapter = StateFactory(code="ZZ"), HSChapterFactory(code="87")
    first = DataReleaseFactory()
    for month in (1, 2, 3):
        TradeFlowFactory(state=state, hs_chapter=chapter, release=first, year=2025, month=month, is_effective=True)
    assert chapter_detail_years() == [{"year": 2025, "months": 3, "partial": True}]
    with CaptureQueriesContext(connection) as again:
        assert chapter_detail_years() == [{"year": 2025, "months": 3, "partial": True}]
    assert len(again.captured_queries) == 1  # the releases' version only

    second = DataReleaseFactory()  # a new import: a new release
    TradeFlowFactory(state=state, hs_chapter=chapter, release=second, year=2025, month=4, is_effective=True)
    assert chapter_detail_years() == [{"year": 2025, "months": 4, "partial": True}]
