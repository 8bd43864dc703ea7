"""Template filters that print packet figures exactly as briefings.formatting does."""

from django import template

from briefings import formatting
from briefings.models import BriefingPacket

register = template.Library()

register.filter("usd", formatting.usd)
register.filter("usd_short", formatting.usd_short)
register.filter("percent", formatting.percent)
register.filter("jobs", formatting.jobs)


@register.filter
def can_request_packets(user) -> bool:
    """Whether to offer packet request buttons: the rule the request view and service apply."""
    return BriefingPacket.may_request(user)


@register.filter
def figure(value, fmt: str) -> str:
    """A compared figure in its format ("usd", "jobs" or "int")."""
    if value is None:
        return "—"
    if fmt == "usd":
        return formatting.usd(value)
    return formatting.jobs(value)


@register.filter
def share(part, whole) -> str:
    """`part / whole` as a percentage, "—" when the whole is missing or zero."""
    try:
        return formatting.percent(float(part) / float(whole))
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"
