"""Read-only trade API: states, a state's trade, scenarios, exposure, data releases."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import DomainValidationError, NotFoundError
from trade import selectors
from trade.api.serializers import (
    DataReleaseSerializer,
    ExposureFigureSerializer,
    StateDetailSerializer,
    StateSerializer,
    TariffScenarioSerializer,
    TradeQuerySerializer,
)
from trade.filters import DataReleaseFilterSet, StateFilterSet
from trade.models import DataRelease, ExposureFigure, ExposureSnapshot, State, TariffScenario


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = State.objects.prefetch_related("economics").order_by("name")
    serializer_class = StateSerializer
    filterset_class = StateFilterSet
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())

    def get_serializer_class(self):
        return StateDetailSerializer if self.action == "retrieve" else StateSerializer

    @extend_schema(parameters=[TradeQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="trade")
    def trade(self, request, code=None, **kwargs):
        state = self.get_object()
        query = TradeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = selectors.trade_flows_grouped(
            state=state,
            group_by=params["group_by"],
            year=params.get("year"),
            month=params.get("month"),
            flow=params.get("flow"),
        )
        return Response({"state": state.code, "group_by": params["group_by"], "results": rows})


class TariffScenarioViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = TariffScenario.objects.none()
    serializer_class = TariffScenarioSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.scenario_list().order_by("name")


@extend_schema(
    parameters=[
        OpenApiParameter("scenario", str, description="Scenario slug (default scenario when absent)"),
        OpenApiParameter("year", int, description="Base year (default: the current snapshot's)"),
        OpenApiParameter("state", str, description="Postal code"),
    ]
)
class ExposureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """State totals of the current exposure snapshot of a scenario, ranked."""

    queryset = ExposureFigure.objects.none()
    serializer_class = ExposureFigureSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        try:
            scenario = selectors.scenario_get(slug=params.get("scenario"))
        except TariffScenario.DoesNotExist:
            raise NotFoundError("Unknown scenario.") from None
        year = params.get("year")
        if year:
            if not year.isdigit():
                raise DomainValidationError("year must be a number.")
            snapshot = (
                ExposureSnapshot.objects.filter(scenario=scenario, base_year=int(year), status="ready")
                .order_by("-is_current", "-created_at")
                .first()
            )
            figures = (
                ExposureFigure.objects.none()
                if snapshot is None
                else (
                    ExposureFigure.objects.filter(snapshot=snapshot, pillar__isnull=True, hs_chapter__isnull=True)
                    .select_related("state", "snapshot__scenario")
                    .order_by("rank", "state__name")
                )
            )
        else:
            figures = selectors.exposure_state_totals(scenario=scenario)
        if params.get("state"):
            figures = figures.filter(state__code=params["state"].upper())
        return figures


class DataReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DataRelease.objects.order_by("-vintage_date", "-id")
    serializer_class = DataReleaseSerializer
    filterset_class = DataReleaseFilterSet
