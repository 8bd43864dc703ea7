import io

import pytest

from trade.public_data import load_reference


@pytest.fixture
def reference(db):
    """States, HS chapters, pillars and the pillar map (small and fast)."""
    load_reference(stdout=io.StringIO())
