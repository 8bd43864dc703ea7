"""FilterSets for the trade API."""

import django_filters

from trade.models import DataRelease, State


class StateFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="census_region", lookup_expr="iexact")
    battleground = django_filters.BooleanFilter(field_name="is_battleground_2024")

    class Meta:
        model = State
        fields = ["region", "battleground", "is_pseudo"]


class DataReleaseFilterSet(django_filters.FilterSet):
    class Meta:
        model = DataRelease
        fields = ["format", "is_synthetic"]
