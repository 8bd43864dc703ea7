import io

import pytest

from tests.briefings.factories import import_state_trade
from trade.public_data import load_reference


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Packets are written under a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(db):
    """Real states, pillars, HS chapters and the pillar map from the bundled files."""
    load_reference(stdout=io.StringIO())


@pytest.fixture
def state_trade(reference_data):
    """`state_trade("MI", ..., scenarios=False)`: bundled BTS files cut to those states, imported by trade."""
    return import_state_trade


@pytest.fixture
def public_people(reference_data):
    """Congress, committee seats and governors from the bundled public files."""
    from contacts.public_data import committees_import, congress_import, governors_import

    congress_import()
    committees_import()
    governors_import()


@pytest.fixture
def request_packet(django_capture_on_commit_callbacks):
    """`request_packet(**packet_request kwargs)`: request and run the queued generation (eager Celery)."""
    from briefings.services import packet_request

    def _request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            packet = packet_request(**kwargs)
        packet.refresh_from_db()
        return packet

    return _request
