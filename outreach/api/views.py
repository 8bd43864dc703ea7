"""Outreach API: thin viewsets over the same querysets, filters and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contacts.selectors import segments_for
from core.api.concurrency import VersionedUpdateMixin
from core.api.pagination import LargeTablePagination
from core.errors import NotFoundError
from core.roles import Role
from outreach import selectors, services
from outreach.api.serializers import (
    CampaignSerializer,
    CampaignTargetsAddSerializer,
    CampaignTargetSerializer,
    FollowUpSerializer,
    InteractionSerializer,
    InteractionUpdateSerializer,
    PrioritySerializer,
)
from outreach.filters import CampaignTargetFilterSet, FollowUpFilterSet, InteractionFilterSet
from outreach.models import Campaign, FollowUp, Interaction
from trade.models import Pillar, State


class InteractionViewSet(
    VersionedUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Interactions. `confidential_notes` is returned only to its author and to Leads/Admins.

    A PATCH says which version it changes: `If-Match` with the ETag a GET returned, or `version`
    in the body (428 without either; 412/409 when someone saved since)."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilterSet
    pagination_class = LargeTablePagination
    ordering_fields = ["occurred_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Interaction.objects.visible_to(self.request.user)
            .with_list_relations()
            .prefetch_related("pillars", "commitments")
        )

    def get_serializer_class(self):
        return InteractionUpdateSerializer if self.action == "partial_update" else InteractionSerializer

    def _reloaded(self, pk: int):
        return self.get_queryset().get(pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        interaction = services.interaction_log(actor=request.user, **data)
        return Response(InteractionSerializer(self._reloaded(interaction.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InteractionUpdateSerializer, responses=InteractionSerializer)
    def partial_update(self, request, *args, **kwargs):
        interaction = self.get_object()
        serializer = InteractionUpdateSerializer(interaction, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        services.interaction_edit_authorize(interaction=interaction, user=request.user)
        self.versioned_write(
            instance=interaction,
            validated_data=changes,
            write=lambda expected: services.interaction_update(
                interaction=interaction, actor=request.user, expected_version=expected, **changes
            ),
        )
        return Response(InteractionSerializer(self._reloaded(interaction.pk)).data)


class FollowUpViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Follow-ups; `?assignee=<id>&status=open` for someone's open items. Close with `complete` / `cancel`."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering_fields = ["due_date", "id"]
    pagination_class = LargeTablePagination  # 100,000 follow-ups: no exact COUNT(*) beyond 10,000

    def get_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).with_list_relations().order_by("due_date", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_create(actor=request.user, **serializer.validated_data)
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None, **kwargs):
        follow_up = services.follow_up_complete(follow_up=self.get_object(), actor=request.user)
        return Response(FollowUpSerializer(follow_up).data)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, **kwargs):
        follow_up = services.follow_up_cancel(follow_up=self.get_object(), actor=request.user)
        return Response(FollowUpSerializer(follow_up).data)


class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Campaigns with counts per target status; `targets` lists (GET, `?status=`) or adds (POST) targets."""

    serializer_class = CampaignSerializer
    write_role = Role.LEAD

    def get_queryset(self):
        campaigns = Campaign.objects.visible_to(self.request.user).with_list_relations()
        return campaigns.order_by("-start_date", "name", "id")

    def get_permissions(self):
        # Adding targets is Officer work; creating a campaign needs a Lead.
        self.write_role = Role.OFFICER if self.action == "targets" else Role.LEAD
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **serializer.validated_data)
        return Response(
            CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("status", OpenApiTypes.STR)],
        responses=CampaignTargetSerializer(many=True),
    )
    @extend_schema(methods=["POST"], request=CampaignTargetsAddSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get", "post"])
    def targets(self, request, pk=None, **kwargs):
        # DRF's get_object_or_404: a malformed id ("null") is a 404 like a missing one, not a 500.
        campaign = generics.get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
        if request.method == "POST":
            serializer = CampaignTargetsAddSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            segment = data.pop("segment", None)
            if segment is not None and not segments_for(user=request.user).filter(pk=segment.pk).exists():
                raise NotFoundError(_("Unknown segment."), details={"segment": [_("Not found.")]})
            added = services.campaign_targets_add(campaign=campaign, actor=request.user, **data)
            if segment is not None:
                added += services.campaign_targets_add_from_segment(
                    campaign=campaign, segment=segment, actor=request.user
                )
            return Response({"added": added}, status=status.HTTP_201_CREATED)
        targets = CampaignTargetFilterSet(request.query_params, queryset=campaign.targets.with_list_relations()).qs
        page = self.paginate_queryset(targets.order_by("id"))
        return self.get_paginated_response(CampaignTargetSerializer(page, many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("scenario", OpenApiTypes.STR, description="Scenario slug (default scenario if omitted)"),
        OpenApiParameter("state", OpenApiTypes.STR, description="State postal code"),
        OpenApiParameter("pillar", OpenApiTypes.STR, description="Pillar code"),
        OpenApiParameter("owner", OpenApiTypes.INT, description="Owner user id"),
        OpenApiParameter("campaign", OpenApiTypes.INT, description="Campaign id"),
    ]
)
class PriorityListView(generics.ListAPIView):
    """Who to call next: people ranked by score, each component's value (0–1) and points."""

    serializer_class = PrioritySerializer
    filter_backends: list = []
    pagination_class = LargeTablePagination  # everyone is ranked: no exact COUNT(*) beyond 10,000

    def _lookup(self, model, field: str, param: str):
        value = self.request.query_params.get(param)
        if not value:
            return None
        found = model.objects.filter(**{field: value}).first() if (field != "pk" or value.isdigit()) else None
        if found is None:
            raise NotFoundError(
                _("Unknown %(parameter)s: %(value)s") % {"parameter": param, "value": value},
                details={param: [_("Not found.")]},
            )
        return found

    def get_queryset(self):
        from django.contrib.auth import get_user_model

        scenario = selectors.scenario_or_none(slug=self.request.query_params.get("scenario") or None)
        return selectors.priority_people(
            user=self.request.user,
            scenario=scenario,
            state=self._lookup(State, "code", "state"),
            pillar=self._lookup(Pillar, "code", "pillar"),
            owner=self._lookup(get_user_model(), "pk", "owner"),
            campaign=self._lookup(Campaign, "pk", "campaign"),
        )
