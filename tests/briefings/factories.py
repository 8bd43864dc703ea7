"""Briefing factories. Scenarios and exposure figures made here are synthetic and flagged so."""

import datetime as dt
import gzip
import io
from decimal import Decimal
from pathlib import Path

import factory
from django.conf import settings

from briefings.models import BriefingPacket, PacketTemplate, TalkingPoint
from trade.choices import SnapshotStatus
from trade.models import ExposureFigure, ExposureSnapshot, State, TariffScenario


class PacketTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PacketTemplate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Template {n}")


class TalkingPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkingPoint

    text = factory.Sequence(lambda n: f"Synthetic talking point {n}.")
    source = "Test source (synthetic)"


class ScenarioFactory(factory.django.DjangoModelFactory):
    """A synthetic test scenario: 25 % US duty, 25 % Canadian counter-duty."""

    class Meta:
        model = TariffScenario

    slug = factory.Sequence(lambda n: f"test-scenario-{n}")
    name = factory.Sequence(lambda n: f"Test scenario {n} (synthetic)")
    source = "Synthetic test scenario"
    default_us_rate = Decimal("0.25")
    default_ca_rate = Decimal("0.25")
    effective_date = dt.date(2025, 3, 4)
    is_synthetic = True


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExposureSnapshot

    scenario = factory.SubFactory(ScenarioFactory)
    base_year = 2024
    status = SnapshotStatus.READY
    is_current = True


class ExposureFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExposureFigure

    snapshot = factory.SubFactory(SnapshotFactory)
    imports_from_canada = Decimal("44812635460.00")
    exports_to_canada = Decimal("23299152909.00")
    us_duty_cost = Decimal("2801039716.25")
    counter_duty_exposure = Decimal("5824788227.25")
    exports_at_risk_low = Decimal("1234567.00")
    exports_at_risk_central = Decimal("2469134.00")
    exports_at_risk_high = Decimal("4938268.00")
    jobs_at_risk_low = Decimal("7091.5")
    jobs_at_risk_central = Decimal("14183.0")
    jobs_at_risk_high = Decimal("28366.0")
    two_way_trade_share_of_gdp = Decimal("0.1137000000")
    duty_cost_share_of_gdp = Decimal("0.0047000000")
    rank = 2


class PacketFactory(factory.django.DjangoModelFactory):
    """A packet row for list/permission tests (no rendering): a state target, queued."""

    class Meta:
        model = BriefingPacket

    target_kind = "state"
    # Looked up per row (not a cached iterator): each test has its own states.
    state = factory.Sequence(lambda n: State.objects.order_by("code")[n % State.objects.count()])
    target_key = factory.Sequence(lambda n: f"state:T{n}")
    target_label = factory.LazyAttribute(lambda p: p.state.name)
    version = 1
    template = factory.SubFactory(PacketTemplateFactory)
    template_version = 1


def _subset(content: str, states: set[str]) -> bytes:
    lines = content.splitlines(keepends=True)
    column = lines[0].rstrip("\r\n").split(",").index("state")
    return "".join([lines[0], *(line for line in lines[1:] if line.split(",")[column] in states)]).encode()


def import_state_trade(*codes: str, scenarios: bool = False) -> None:
    """Import the bundled BTS state files, cut to `codes`, through trade's own importer, so packets read
    figures exactly as the trade engine stores them. `scenarios=True` also loads the bundled scenarios
    and computes their exposure snapshots with the trade engine. Needs the reference data loaded."""
    from trade.public_data import bundled_trade_files, load_scenarios
    from trade.services import trade_file_import

    data = Path(settings.BASE_DIR) / "data" / "trade"
    for file_name, fmt, info in bundled_trade_files():
        if "national" in file_name:
            continue
        raw = (data / file_name).read_bytes()
        text = gzip.decompress(raw).decode() if file_name.endswith(".gz") else raw.decode()
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
