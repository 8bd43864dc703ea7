"""API shapes for trade (read-only)."""

from rest_framework import serializers

from trade.models import DataRelease, ExposureFigure, ScenarioRate, State, TariffScenario


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

    class Meta(StateSerializer.Meta):
        fields = [*StateSerializer.Meta.fields, "economics"]

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
        ]


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
