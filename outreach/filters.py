"""FilterSets shared by the pages and the API (same parameter names in both)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from contacts.models import Organization, Person
from outreach.choices import FollowUpStatus, InteractionKind, Sentiment, TargetStatus
from outreach.models import CampaignTarget, FollowUp, Interaction
from trade.models import Pillar, State


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by id (typed for the API schema)."""


MAX_ID = 2**63 - 1  # the largest value a (big) integer primary key column holds


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A foreign key filtered by plain id: a whole number in the column's range, else a 400 (not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A reference row (state, pillar) chosen by its code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="code", **kwargs)


class InteractionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InteractionKind.choices, empty_label=_("All"))
    person = IdChoiceFilter(label=_("Person"), queryset=Person.objects.all(), method="filter_person")
    organization = IdChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.all(), method="filter_organization"
    )
    state = CodeChoiceFilter(
        label=_("State"), queryset=State.objects.filter(is_pseudo=False), method="filter_state", empty_label=_("All")
    )
    pillar = CodeChoiceFilter(
        label=_("Pillar"), queryset=Pillar.objects.all(), method="filter_pillar", empty_label=_("All")
    )
    sentiment = django_filters.ChoiceFilter(label=_("Sentiment"), choices=Sentiment.choices, empty_label=_("All"))
    occurred_after = django_filters.DateFilter(label=_("From"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_before = django_filters.DateFilter(label=_("To"), field_name="occurred_at", lookup_expr="date__lte")
    created_by = IdFilter(label=_("Logged by (user id)"), field_name="created_by_id")

    class Meta:
        model = Interaction
        fields = [
            "q",
            "kind",
            "person",
            "organization",
            "state",
            "pillar",
            "sentiment",
            "occurred_after",
            "occurred_before",
            "created_by",
        ]

    def filter_q(self, queryset, name, value):
        # Searches what everyone may read; confidential notes are never searched.
        return queryset.filter(Q(summary__icontains=value) | Q(location__icontains=value) | Q(asks__icontains=value))

    def _in(self, queryset, condition):
        return queryset.filter(pk__in=Interaction.objects.filter(condition).values("pk"))

    def filter_person(self, queryset, name, value):
        return self._in(queryset, Q(people=value))

    def filter_organization(self, queryset, name, value):
        return self._in(queryset, Q(organizations=value))

    def filter_state(self, queryset, name, value):
        return self._in(queryset, Q(states=value) | Q(people__states=value))

    def filter_pillar(self, queryset, name, value):
        return self._in(queryset, Q(pillars=value))


class FollowUpFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUpStatus.choices, empty_label=_("All"))
    assignee = IdFilter(label=_("Assignee (user id)"), field_name="assignee_id")
    person = IdFilter(label=_("Person (id)"), field_name="person_id")
    organization = IdFilter(label=_("Organization (id)"), field_name="organization_id")
    due_before = django_filters.DateFilter(label=_("Due on or before"), field_name="due_date", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = FollowUp
        fields = ["status", "assignee", "person", "organization", "due_before", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=FollowUpStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class CampaignTargetFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TargetStatus.choices, empty_label=_("All"))

    class Meta:
        model = CampaignTarget
        fields = ["status"]
