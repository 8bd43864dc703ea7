"""Stakeholder API: read-only lists with the same filter names as the pages; saved segments read/write."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from contacts.api.serializers import (
    OrganizationSerializer,
    PersonSerializer,
    PositionSerializer,
    RelationshipSerializer,
    SavedSegmentSerializer,
)
from contacts.filters import OrganizationFilterSet, PersonFilterSet
from contacts.models import Organization, Person, Position, Relationship
from contacts.selectors import segment_people, segments_for
from contacts.services import segment_delete, segment_save
from core.api.pagination import LargeTablePagination
from core.roles import Role


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    pagination_class = LargeTablePagination
    ordering_fields = ["last_name", "influence", "updated_at"]

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).with_list_relations().order_by("last_name", "id")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "updated_at"]

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).with_list_relations().order_by("name", "id")


class PositionFilterSet(django_filters.FilterSet):
    current = django_filters.BooleanFilter(field_name="is_current")

    class Meta:
        model = Position
        fields = ["person", "organization", "current"]


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    pagination_class = LargeTablePagination

    def get_queryset(self):
        visible = Person.objects.visible_to(self.request.user)
        return Position.objects.filter(person__in=visible).select_related("person", "organization").order_by("id")


class RelationshipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RelationshipSerializer
    filterset_fields = ["from_person", "to_person", "to_organization", "kind"]
    pagination_class = LargeTablePagination

    def get_queryset(self):
        visible = Person.objects.visible_to(self.request.user)
        return Relationship.objects.filter(from_person__in=visible).order_by("id")


class SavedSegmentViewSet(
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A user's own and shared segments. Anyone with a role may save their own segments."""

    serializer_class = SavedSegmentSerializer
    write_role = Role.VIEWER
    filterset_fields = ["shared"]

    def get_queryset(self):
        return segments_for(user=self.request.user).order_by("name", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = segment_save(
            owner=self.request.user,
            name=data["name"],
            params=data.get("filters", {}),
            shared=data.get("shared", False),
            description=data.get("description", ""),
        )

    def perform_destroy(self, instance):
        segment_delete(segment=instance, actor=self.request.user)

    @extend_schema(responses=PersonSerializer(many=True))
    @action(detail=True, methods=["get"])
    def people(self, request, pk=None, **kwargs):
        """The people the segment selects now."""
        queryset = segment_people(segment=self.get_object(), user=request.user)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(PersonSerializer(page, many=True).data)
