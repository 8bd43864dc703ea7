"""API shapes for trade (read-only)."""

from decimal import Decimal

from rest_framework import serializers

from trade import selectors
from trade.models import DataRelease, ExposureFigure, ScenarioRate, State, TariffMeasure, TariffScenario


class StateSerializer(serializers.ModelSerializer):
    class Meta:
        model = State
        fields = [
            "code",
            "fips",
            "name",
            "census_region",
            "census_division",
            "is_battleground_2024",
            "battleground_source",
            "is_pseudo",
        ]


class StateDetailSerializer(StateSerializer):
    economics = serializers.SerializerMethodField()
    jobs_supported_by_exports_to_canada = serializers.SerializerMethodField()

    class Meta(StateSerializer.Meta):
        fields = [*StateSerializer.Meta.fields, "economics", "jobs_supported_by_exports_to_canada"]

    def get_jobs_supported_by_exports_to_canada(self, state) -> dict | None:
        """Unrounded value (a consumer rounds once), its year and its source; null with no full year."""
        jobs = selectors.jobs_supported_by_exports_to_canada(state=state)
        if jobs is None:
            return None
        return {
            "value": str(jobs["value"].quantize(Decimal("0.01"))),
            "year": jobs["year"],
            "exports_usd": str(jobs["exports_usd"]),
            "jobs_per_billion_usd": str(jobs["jobs_per_billion_usd"]),
            "source": str(jobs["source"]),
        }

    def get_economics(self, state) -> list[dict]:
        return [
            {"year": row.year, "gdp_usd": str(row.gdp_usd), "population": row.population, "source": row.source}
            for row in state.economics.all()
        ]


class TradeQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    flow = serializers.ChoiceField(required=False, choices=["export", "import"])
    group_by = serializers.ChoiceField(required=False, default="year", choices=["year", "month", "pillar", "hs"])


class ScenarioRateSerializer(serializers.ModelSerializer):
    """A rate names either an HS chapter or a pillar; the other one is null, and the schema says so."""

    hs_chapter = serializers.CharField(source="hs_chapter.code", default=None, allow_null=True, read_only=True)
    pillar = serializers.CharField(source="pillar.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ScenarioRate
        fields = ["hs_chapter", "pillar", "us_rate", "usmca_exempt_share", "ca_rate", "note"]


class TariffScenarioSerializer(serializers.ModelSerializer):
    rates = ScenarioRateSerializer(many=True, read_only=True)

    class Meta:
        model = TariffScenario
        fields = [
            "slug",
            "version",
            "name",
            "description",
            "is_default",
            "effective_date",
            "source",
            "source_url",
            "rationale",
            "default_us_rate",
            "default_usmca_exempt_share",
            "usmca_exempt_share_source",
            "default_ca_rate",
            "elasticity_low",
            "elasticity_central",
            "elasticity_high",
            "elasticity_source",
            "jobs_per_billion_usd",
            "jobs_source",
            "is_synthetic",
            "rates",
        ]


class ExposureFigureSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.code")
    state_name = serializers.CharField(source="state.name")
    scenario = serializers.CharField(source="snapshot.scenario.slug")
    scenario_version = serializers.IntegerField(source="snapshot.scenario.version")
    snapshot = serializers.IntegerField(source="snapshot_id")
    base_year = serializers.IntegerField(source="snapshot.base_year")
    # The shares of GDP divide base-year trade by this year's GDP (the nearest held; bundled: 2022).
    gdp_year = serializers.IntegerField(source="snapshot.gdp_year", default=None, allow_null=True, read_only=True)
    regime_date = serializers.DateField(source="snapshot.regime_date", default=None, allow_null=True)
    by_measure = serializers.SerializerMethodField()

    class Meta:
        model = ExposureFigure
        fields = [
            "state",
            "state_name",
            "scenario",
            "scenario_version",
            "snapshot",
            "base_year",
            "rank",
            "imports_from_canada",
            "exports_to_canada",
            "us_duty_cost",
            "counter_duty_exposure",
            "exports_at_risk_low",
            "exports_at_risk_central",
            "exports_at_risk_high",
            "jobs_at_risk_low",
            "jobs_at_risk_central",
            "jobs_at_risk_high",
            "two_way_trade_share_of_gdp",
            "duty_cost_share_of_gdp",
            "gdp_year",
            "regime_date",
            "by_measure",
        ]

    def get_by_measure(self, figure) -> list[dict]:
        """Duty cost (US measures) and counter-duty (Canadian) per measure; the view loads them once."""
        by_state = self.context.get("by_measure", {})
        return [measure_row(row) for row in by_state.get(figure.state_id, [])]


class TariffMeasureSerializer(serializers.ModelSerializer):
    """Field names are a contract (issue #19): side, authority, instrument, rate, usmca_treatment,
    effective_from, effective_to, status, source_url, verified_on, scope."""

    scope = serializers.SerializerMethodField()
    pillar = serializers.CharField(source="pillar.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = TariffMeasure
        fields = [
            "slug",
            "family",
            "side",
            "authority",
            "title",
            "instrument",
            "instrument_citation",
            "rate",
            "usmca_treatment",
            "us_content_share",
            "us_content_source",
            "yields_to",
            "date_announced",
            "effective_from",
            "effective_to",
            "end_reason",
            "status",
            "source_url",
            "source_says",
            "secondary_sources",
            "verified_on",
            "verification_note",
            "not_modelled_reason",
            "pillar",
            "scope",
            "notes",
        ]

    def get_scope(self, measure) -> dict:
        return {
            "chapters": measure.scope_chapters,
            "all_chapters_except": measure.scope_all_chapters_except,
            "hs_codes": measure.scope_hs_codes,
            "note": measure.scope_note,
        }


def measure_row(row: dict) -> dict:
    measure = row["measure"]
    return {
        "measure": measure.slug,
        "title": measure.title,
        "side": measure.side,
        "authority": measure.authority,
        "amount_usd": str(row["amount"]),
    }


class DataReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataRelease
        fields = [
            "id",
            "source",
            "title",
            "url",
            "licence",
            "vintage_date",
            "format",
            "file_name",
            "checksum",
            "coverage",
            "first_year",
            "last_year",
            "row_count",
            "is_synthetic",
            "notes",
            "created_at",
        ]
