"""How packets print numbers. One module, so tests can format a figure exactly as the packet does."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def usd(value) -> str:
    """Whole US dollars with thousands separators: 23299152909 → "$23,299,152,909"."""
    number = _decimal(value)
    if number is None:
        return "—"
    whole = int(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    sign = "−" if whole < 0 else ""
    return f"{sign}${abs(whole):,}"


def usd_short(value) -> str:
    """Rounded for prose and charts: "$23.3 billion", "$412 million"."""
    number = _decimal(value)
    if number is None:
        return "—"
    absolute = abs(number)
    sign = "−" if number < 0 else ""
    if absolute >= Decimal("1e9"):
        return _("%(sign)s$%(amount)s billion") % {"sign": sign, "amount": f"{absolute / Decimal('1e9'):,.1f}"}
    if absolute >= Decimal("1e6"):
        return _("%(sign)s$%(amount)s million") % {"sign": sign, "amount": f"{absolute / Decimal('1e6'):,.0f}"}
    return usd(number)


def percent(value, places: int = 1) -> str:
    """A fraction as a percentage: 0.0421 → "4.2 %"."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number * 100:,.{places}f} %"


def jobs(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{int(number.quantize(Decimal('1'), rounding=ROUND_HALF_UP)):,}"
