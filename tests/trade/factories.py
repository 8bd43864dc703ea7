import datetime
from decimal import Decimal

import factory

from trade.choices import Flow, ImportFormat
from trade.models import DataRelease, HSChapter, ScenarioRate, State, TariffScenario, TradeFlow


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"State {o.code}")
    census_region = "Midwest"


class HSChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HSChapter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 99 + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"Chapter {o.code}")


class DataReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataRelease

    source = "Test source"
    title = factory.Sequence(lambda n: f"Release {n}")
    vintage_date = datetime.date(2024, 1, 1)
    format = ImportFormat.BTS_STATE_HS2_MONTHLY
    file_name = "test.csv"
    checksum = factory.Sequence(lambda n: f"{n:064d}")


class TradeFlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradeFlow

    state = factory.SubFactory(StateFactory)
    flow = Flow.EXPORT
    year = 2023
    month = None
    hs_chapter = None
    value_usd = 1000
    release = factory.SubFactory(DataReleaseFactory)


class TariffScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffScenario

    slug = factory.Sequence(lambda n: f"scenario-{n}")
    name = factory.Sequence(lambda n: f"Scenario {n}")
    source = "Test source"
    default_us_rate = Decimal("0.25")
    default_usmca_exempt_share = Decimal("0")
    default_ca_rate = Decimal("0")
    elasticity_low = Decimal("0.76")
    elasticity_central = Decimal("1.38")
    elasticity_high = Decimal("2.00")


class ScenarioRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScenarioRate

    scenario = factory.SubFactory(TariffScenarioFactory)
    us_rate = Decimal("0.10")
    ca_rate = Decimal("0")
