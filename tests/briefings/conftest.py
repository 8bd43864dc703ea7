import gzip
import io
from pathlib import Path

import pytest
from django.conf import settings

from trade.public_data import load_reference

DATA = Path(settings.BASE_DIR) / "data" / "trade"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Packets are written under a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(db):
    """Real states, pillars, HS chapters and the pillar map from the bundled files."""
    load_reference(stdout=io.StringIO())


def _subset(content: str, states: set[str]) -> bytes:
    lines = content.splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    column = header.index("state")
    return "".join([lines[0], *(line for line in lines[1:] if line.split(",")[column] in states)]).encode()


@pytest.fixture
def state_trade(reference_data):
    """Import the bundled BTS files, cut to the given states, through trade's own importer, so packets
    read figures exactly as the trade engine stores them. `scenarios=True` also loads the bundled
    scenarios and computes their exposure snapshots with the trade engine."""
    from trade.public_data import bundled_trade_files, load_scenarios
    from trade.services import trade_file_import

    def _load(*codes: str, scenarios: bool = False) -> None:
        for file_name, fmt, info in bundled_trade_files():
            if "national" in file_name:
                continue
            path = DATA / file_name
            text = gzip.decompress(path.read_bytes()).decode() if file_name.endswith(".gz") else path.read_text()
            run = trade_file_import(
                content=_subset(text, set(codes)),
                file_name=file_name,
                format=fmt,
                release_info=info,
                enqueue_refresh=False,
            )
            assert run.status == "succeeded", run.message
        if scenarios:
            load_scenarios(stdout=io.StringIO())

    return _load


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
