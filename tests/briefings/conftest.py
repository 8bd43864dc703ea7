import csv
import datetime as dt
import gzip
import io
from pathlib import Path

import pytest
from django.conf import settings

from trade.choices import Flow, ImportFormat
from trade.models import DataRelease, HSChapter, State, TradeFlow
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


def _release(name: str, fmt: str, checksum: str) -> DataRelease:
    return DataRelease.objects.create(
        source="U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data",
        title=name,
        url="https://www.bts.gov/transborder",
        vintage_date=dt.date(2025, 12, 31),
        format=fmt,
        file_name=name,
        checksum=checksum,
        coverage=f"{name} (test subset)",
    )


@pytest.fixture
def state_trade(reference_data):
    """Real BTS figures for the given states: annual totals 1993–2025 and 2023 monthly chapter detail."""

    def _load(*codes: str) -> None:
        states = {s.code: s for s in State.objects.filter(code__in=codes)}
        chapters = {c.code: c for c in HSChapter.objects.all()}
        annual = _release("bts_state_canada_annual_1993_2025.csv", ImportFormat.BTS_ANNUAL, f"annual-{'-'.join(codes)}")
        with (DATA / "bts_state_canada_annual_1993_2025.csv").open() as handle:
            TradeFlow.objects.bulk_create(
                TradeFlow(
                    state=states[row["state"]],
                    flow=Flow(row["flow"]),
                    year=int(row["year"]),
                    value_usd=int(row["value_usd"]),
                    release=annual,
                )
                for row in csv.DictReader(handle)
                if row["state"] in states
            )
        monthly = _release("bts_state_hs2_canada_monthly.csv.gz", ImportFormat.BTS_STATE_HS2_MONTHLY, f"m-{codes}")
        with gzip.open(DATA / "bts_state_hs2_canada_monthly.csv.gz", "rt") as handle:
            TradeFlow.objects.bulk_create(
                TradeFlow(
                    state=states[row["state"]],
                    flow=Flow(row["flow"]),
                    year=2023,
                    month=int(row["month"]),
                    hs_chapter=chapters[row["hs2"]],
                    value_usd=int(row["value_usd"]),
                    release=monthly,
                )
                for row in csv.DictReader(handle)
                if row["state"] in states and row["year"] == "2023"
            )

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
