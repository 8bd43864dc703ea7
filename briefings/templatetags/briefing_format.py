"""Packet template filters. Figures print through `core.formatting`, as the pages and charts do."""

from django import template

from briefings.models import BriefingPacket
from core import formatting

register = template.Library()

# Exact tables keep whole dollars; cards, prose and breakdowns read in millions or billions.
register.filter("usd", formatting.money)
register.filter("usd_short", formatting.money_compact)
register.filter("percent", formatting.percent)
register.filter("jobs", formatting.jobs)
# Packet contexts keep dates as ISO text (they are stored as JSON); print them in the packet's language.
register.filter("local_date", formatting.date)


@register.filter
def can_request_packets(user) -> bool:
    """Whether to offer packet request buttons: the rule the request view and service apply."""
    return BriefingPacket.may_request(user)


@register.filter
def figure(value, fmt: str) -> str:
    """A compared figure in its format ("usd", "jobs" or "int")."""
    if fmt == "usd":
        return formatting.money(value)
    return formatting.jobs(value)


@register.filter
def share(part, whole) -> str:
    """`part / whole` as a percentage, "—" when the whole is missing or zero."""
    try:
        return formatting.percent(float(part) / float(whole))
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"
