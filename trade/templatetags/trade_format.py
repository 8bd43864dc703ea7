"""The trade pages' figure filters, kept under their old names: each one is a `core.formatting` function.

Tables on these pages carry the unit in their caption ("US$ millions"), so amounts print as bare
millions; prose and fact lists read amounts with their unit (`money_compact`); shares of GDP are
small, so percentages default to two decimals.
"""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()

register.filter("millions", formatting.millions)
register.filter("money_compact", formatting.money_compact)
register.filter("whole", formatting.integer)


@register.filter
def percent(value, places: int = 2) -> str:
    """A fraction as a percentage, two decimals unless told: 0.0123 → "1.23%" / "1,23 %"."""
    return formatting.percent(value, places)
