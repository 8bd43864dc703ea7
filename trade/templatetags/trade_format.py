"""Number formats for the trade pages: money in US$ millions, shares of GDP as percentages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def _rounded(value: Decimal, decimals: int) -> str:
    # number_format cuts extra decimals off; round half up first so 23,299.15 shows as 23,299.2.
    step = Decimal(1).scaleb(-decimals)
    return number_format(value.quantize(step, rounding=ROUND_HALF_UP), decimal_pos=decimals, force_grouping=True)


@register.filter
def millions(value, decimals: int = 1) -> str:
    """A USD amount as US$ millions with thousands separators ("—" when missing)."""
    if value is None or value == "":
        return "—"
    return _rounded(Decimal(value) / Decimal(1_000_000), int(decimals))


@register.filter
def percent(value, decimals: int = 2) -> str:
    """A fraction (0.0123) as a percentage with the sign ("1.23 %"); "—" when missing."""
    if value is None or value == "":
        return "—"
    return f"{_rounded(Decimal(value) * 100, int(decimals))} %"


@register.filter
def whole(value) -> str:
    """A count (jobs) rounded to a whole number with separators."""
    if value is None or value == "":
        return "—"
    return _rounded(Decimal(value), 0)
