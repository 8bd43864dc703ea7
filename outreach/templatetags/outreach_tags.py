"""Template helpers for outreach pages and for the activity timeline shown on stakeholder and state pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from outreach import selectors

register = template.Library()


def _url(obj, route: str, fallback: str) -> str:
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    try:
        return reverse(route, args=[obj.pk])
    except NoReverseMatch:
        return fallback


@register.filter
def person_url(person) -> str:
    return _url(person, "person-detail", f"/stakeholders/{person.pk}/")


@register.filter
def organization_url(organization) -> str:
    return _url(organization, "organization-detail", f"/stakeholders/organizations/{organization.pk}/")


@register.filter
def state_url(state) -> str:
    if hasattr(state, "get_absolute_url"):
        return state.get_absolute_url()
    try:
        return reverse("state-detail", args=[state.code])
    except NoReverseMatch:
        return f"/states/{state.code}/"


@register.filter
def points(value) -> str:
    """A score component's points, one decimal."""
    return f"{value or 0:.1f}"


@register.inclusion_tag("outreach/_timeline.html", takes_context=True)
def outreach_timeline(context, person=None, organization=None, state=None, limit: int = 20):
    """`{% outreach_timeline person=person %}` — recent interactions, confidential notes as the viewer may see them."""
    user = context["request"].user
    return {
        "interactions": selectors.timeline_interactions(
            user=user, person=person, organization=organization, state=state, limit=limit
        ),
        "person": person,
        "organization": organization,
        "state": state,
        "can_log": selectors.can_log(user),
        "request": context["request"],
    }
