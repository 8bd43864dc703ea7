"""Read-only trade API: states, a state's trade, scenarios, tariff measures, exposure, data releases."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
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
    TariffMeasureSerializer,
    TariffScenarioSerializer,
    TradeQuerySerializer,
    measure_row,
)
from trade.filters import DataReleaseFilterSet, StateFilterSet
from trade.models import DataRelease, ExposureFigure, ExposureSnapshot, State, TariffMeasure, TariffScenario


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
        OpenApiParameter(
            "as_of", str, description="YYYY-MM-DD: the regime on that date, applied to the snapshot's trade"
        ),
    ]
)
class ExposureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """State totals of the current exposure snapshot of a scenario, ranked, each with `by_measure`."""

    queryset = ExposureFigure.objects.none()
    serializer_class = ExposureFigureSerializer
    filter_backends: list = []

    def _scenario(self) -> TariffScenario:
        try:
            return selectors.scenario_get(slug=self.request.query_params.get("scenario"))
        except TariffScenario.DoesNotExist:
            raise NotFoundError(_("Unknown scenario.")) from None

    def list(self, request, *args, **kwargs):
        as_of = request.query_params.get("as_of")
        if not as_of:
            return super().list(request, *args, **kwargs)
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise DomainValidationError(_("as_of must be a date, YYYY-MM-DD.")) from None
        scenario = self._scenario()
        if not scenario.is_regime:
            raise DomainValidationError(_("as_of applies to scenarios built from dated measures."))
        state = None
        if request.query_params.get("state"):
            state = State.objects.filter(code=request.query_params["state"].upper()).first()
            if state is None:
                raise NotFoundError(_("Unknown state."))
        snapshot, rows = selectors.exposure_as_of(scenario=scenario, as_of=day, state=state)
        results = [
            {
                "state": row["state"].code,
                "state_name": row["state"].name,
                "scenario": scenario.slug,
                "scenario_version": scenario.version,
                "snapshot": snapshot.pk,
                "base_year": snapshot.base_year,
                "as_of": day.isoformat(),
                "us_duty_cost": str(row["us_duty_cost"]),
                "counter_duty_exposure": str(row["counter_duty_exposure"]),
                "by_measure": [measure_row(item) for item in row["by_measure"]],
                "not_modelled": [{"measure": m.slug, "reason": reason} for m, reason in row["not_modelled"]],
            }
            for row in rows
        ]
        return Response({"count": len(results), "next": None, "previous": None, "results": results})

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["by_measure"] = getattr(self, "_by_measure", {})
        return context

    def get_queryset(self):
        params = self.request.query_params
        scenario = self._scenario()
        year = params.get("year")
        if year:
            if not year.isdigit():
                raise DomainValidationError(_("year must be a number."))
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
        snapshot = ExposureSnapshot.objects.filter(pk__in=figures.values("snapshot_id")[:1]).first()
        self._by_measure = selectors.exposure_by_measure(snapshot=snapshot) if snapshot else {}
        return figures


@extend_schema(
    parameters=[
        OpenApiParameter("authority", str),
        OpenApiParameter("side", str, description="us or canada"),
        OpenApiParameter("pillar", str),
        OpenApiParameter("status", str),
    ]
)
class TariffMeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """The tariff measures, US and Canadian, in date order, with their sources and verification."""

    queryset = TariffMeasure.objects.none()
    serializer_class = TariffMeasureSerializer
    filter_backends: list = []
    lookup_field = "slug"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.measure_timeline(
            authority=params.get("authority", ""),
            side=params.get("side", ""),
            pillar=params.get("pillar", ""),
            status=params.get("status", ""),
        )


class DataReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DataRelease.objects.order_by("-vintage_date", "-id")
    serializer_class = DataReleaseSerializer
    filterset_class = DataReleaseFilterSet
