import io

import pytest

from trade.public_data import load_reference


@pytest.fixture
def reference_data(db):
    """The real states (with 2024 battlegrounds) and pillars, loaded from the bundled files."""
    load_reference(stdout=io.StringIO())


@pytest.fixture
def public_people(reference_data):
    """Congress, committee seats and governors from the bundled public files."""
    from contacts.public_data import committees_import, congress_import, governors_import

    congress_import()
    committees_import()
    governors_import()
