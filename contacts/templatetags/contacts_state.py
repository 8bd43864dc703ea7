"""The state page's compact list of the state's organizations, role by role (the page lives in trade)."""

from __future__ import annotations

from django import template

from contacts import selectors

register = template.Library()


@register.inclusion_tag("contacts/_state_organizations.html", takes_context=True)
def state_organizations(context, state):
    """`{% state_organizations state %}`: grouped for the signed-in user, so the trade view needs no contacts query."""
    return {"state": state, "groups": selectors.state_organizations_by_role(user=context["request"].user, state=state)}
