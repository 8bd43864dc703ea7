"""Template helpers for outreach pages and for the activity timeline shown on stakeholder and state pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from core import formatting
from outreach import selectors

register = template.Library()


def _url(obj, routes: tuple[str, ...], arg, fallback: str) -> str:
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    for route in routes:
        try:
            return reverse(route, args=[arg])
        except NoReverseMatch:
            continue
    return fallback


@register.filter
def person_url(person) -> str:
    return _url(person, ("contacts:person-detail", "person-detail"), person.pk, f"/stakeholders/{person.pk}/")


@register.filter
def organization_url(organization) -> str:
    pk = organization.pk
    return _url(organization, ("contacts:organization-detail", "organization-detail"), pk, f"/organizations/{pk}/")


@register.filter
def state_url(state) -> str:
    return _url(state, ("trade:state-detail", "state-detail"), state.code, f"/states/{state.code}/")


@register.filter
def points(value) -> str:
    """A score component's points, one decimal (a component that adds nothing adds 0.0 points)."""
    return formatting.number(value or 0, 1)


@register.inclusion_tag("outreach/_timeline_list.html", takes_context=True)
def outreach_timeline(context, person=None, organization=None, state=None, limit: int = 20):
    """Recent interactions (and open follow-ups) of a person, an organization or a state.

    `{% outreach_timeline person=person %}`, or include "outreach/_timeline.html" with `person`,
    `organization` or `state` in the context. Confidential notes show only to those who may read them.
    """
    request = context["request"]
    # Missing template variables arrive as "": treat anything falsy as not given.
    person, organization, state = person or None, organization or None, state or None
    subject_query = ""
    if person is not None:
        subject_query = f"person={person.pk}"
    elif organization is not None:
        subject_query = f"organization={organization.pk}"
    return {
        "interactions": selectors.timeline_interactions(
            user=request.user, person=person, organization=organization, state=state, limit=limit
        ),
        "open_follow_ups": selectors.timeline_follow_ups(person=person, organization=organization),
        "person": person,
        "organization": organization,
        "state": state,
        "subject_query": subject_query,
        "can_log": selectors.can_log(request.user),
        "request": request,
    }
