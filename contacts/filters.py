"""The stakeholder filters: one FilterSet per list, shared by the pages, the API and saved segments.

Filter names are the same everywhere: state, type, pillar, stance, influence, owner, tag, current,
committee, battleground, q (search) and sort.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from contacts.choices import OrganizationType, PersonKind, Stance
from contacts.models import CommitteeMembership, Organization, OrganizationStatePresence, Person
from contacts.search import organization_search, person_search

PERSON_FILTER_KEYS = (
    "state", "type", "pillar", "stance", "influence", "owner", "tag", "current", "committee", "battleground", "q",
    "sort",
)  # fmt: skip


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in str(value).split(",") if part.strip()]


class PersonFilterSet(django_filters.FilterSet):
    state = django_filters.CharFilter(method="filter_state", label=_("State (postal code, comma-separated)"))
    type = django_filters.ChoiceFilter(field_name="kind", choices=PersonKind.choices, label=_("Type"))
    pillar = django_filters.CharFilter(method="filter_pillar", label=_("Pillar"))
    stance = django_filters.ChoiceFilter(choices=Stance.choices, label=_("Stance"))
    influence = django_filters.NumberFilter(
        field_name="influence", lookup_expr="gte", min_value=1, max_value=5, label=_("Influence at least")
    )
    owner = django_filters.CharFilter(method="filter_owner", label=_("Owner (user id or “me”)"))
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))
    current = django_filters.BooleanFilter(field_name="is_current_office_holder", label=_("Current office holder"))
    committee = django_filters.CharFilter(method="filter_committee", label=_("Committee code (e.g. HSWM)"))
    battleground = django_filters.BooleanFilter(method="filter_battleground", label=_("2024 battleground state"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sort = django_filters.OrderingFilter(
        fields=(
            ("last_name", "name"),
            ("influence", "influence"),
            ("stance", "stance"),
            ("kind", "type"),
            ("updated_at", "updated"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Person.states.through.objects.filter(person_id=OuterRef("pk"), state__code__in=_codes(value))
        return queryset.filter(Exists(through))

    def filter_pillar(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        codes = [c.lower() for c in _codes(value)]
        return queryset.filter(
            Exists(Person.pillars.through.objects.filter(person_id=OuterRef("pk"), pillar__code__in=codes))
        )

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)
        if value == "me":
            return queryset.filter(owner=user) if user is not None else queryset.none()
        if value == "none":
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=int(value)) if value.isdigit() else queryset.none()

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(Person.tags.through.objects.filter(person_id=OuterRef("pk"), tag__name__iexact=value.strip()))
        )

    def filter_committee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        seats = CommitteeMembership.objects.filter(person_id=OuterRef("pk"), committee__code__in=_codes(value))
        return queryset.filter(Exists(seats))

    def filter_battleground(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        in_battleground = Exists(
            Person.states.through.objects.filter(person_id=OuterRef("pk"), state__is_battleground_2024=True)
        )
        return queryset.filter(in_battleground if value else ~in_battleground)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ranked = not self.data.get("sort")
        return person_search(queryset, query=value, ranked=ranked)


class OrganizationFilterSet(django_filters.FilterSet):
    state = django_filters.CharFilter(method="filter_state", label=_("State (postal code, comma-separated)"))
    type = django_filters.ChoiceFilter(field_name="org_type", choices=OrganizationType.choices, label=_("Type"))
    pillar = django_filters.CharFilter(method="filter_pillar", label=_("Pillar"))
    owner = django_filters.CharFilter(method="filter_owner", label=_("Owner (user id or “me”)"))
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("org_type", "type"), ("updated_at", "updated")), label=_("Sort")
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        codes = _codes(value)
        present = OrganizationStatePresence.objects.filter(organization_id=OuterRef("pk"), state__code__in=codes)
        return queryset.filter(Exists(present))

    def filter_pillar(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        codes = [c.lower() for c in _codes(value)]
        pillars = Organization.pillars.through.objects.filter(organization_id=OuterRef("pk"), pillar__code__in=codes)
        return queryset.filter(Exists(pillars))

    filter_owner = PersonFilterSet.filter_owner

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        tags = Organization.tags.through.objects.filter(organization_id=OuterRef("pk"), tag__name__iexact=value.strip())
        return queryset.filter(Exists(tags))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return organization_search(queryset, query=value, ranked=not self.data.get("sort"))
