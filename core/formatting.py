"""How every page, chart and packet prints a number, an amount of money, a count of jobs or a date.

One module, so that a figure reads the same on the state page, on the map, in the SVG chart and in the
PDF packet, and so that it follows the active language (`get_language()`) without each caller knowing
the rules of either official language:

- English: `US$7,448,595,159`, `US$7.4B`, `US$412.0M`, `12.6%`.
- French (Government of Canada style): `7 448 595 159 $ US`, `7,4 G$ US` ("milliard" is G$),
  `412,0 M$ US`, `12,6 %`.

The French thousands separator and the space before a unit are U+00A0 (no-break space), not U+202F
(narrow no-break space): it is the separator Django's own French locale uses, so numbers this module
prints and numbers Django localises (forms, `|date`, admin) agree, and every font the PDF renderer may
fall back to has a glyph for it. Negative numbers take a true minus (U+2212), not a hyphen. A missing
value prints "—", never 0: a figure that was not modelled is not a zero.

Rounding is half up (23,299.15 → 23,299.2), the way a reader rounds, not Python's half-to-even.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language

MISSING = "—"
MINUS = "\u2212"
NBSP = "\u00a0"

# Compact money scales per language, largest first. French writes k$, M$ and G$ before the currency's
# country ("7,4 G$ US"); English puts the currency first ("US$7.4B").
_SCALES = {
    "en": ((Decimal("1e9"), "B"), (Decimal("1e6"), "M"), (Decimal("1e3"), "K")),
    "fr": ((Decimal("1e9"), "G$"), (Decimal("1e6"), "M$"), (Decimal("1e3"), "k$")),
}


def _french() -> bool:
    return (get_language() or "en").lower().startswith("fr")


def _decimal(value) -> Decimal | None:
    """The value as a Decimal, or None when it is missing ("" is what templates pass for a missing one)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _digits(number: Decimal, places: int) -> str:
    """|number| rounded to `places` decimals with the active language's separators, no sign."""
    return formats.number_format(abs(_rounded(number, places)), decimal_pos=places, force_grouping=True)


def _sign(number: Decimal, places: int) -> str:
    return MINUS if _rounded(number, places) < 0 else ""


def number(value, places: int = 0) -> str:
    """A plain number with separators and `places` decimals: 1234.56 → "1,234.6" / "1 234,6" (places=1)."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    places = int(places)  # template filter arguments may arrive as text
    return _sign(amount, places) + _digits(amount, places)


def integer(value) -> str:
    """A whole count with separators (population, rows, employees): 11487.6 → "11,488" / "11 488"."""
    return number(value, 0)


def jobs(value) -> str:
    """Jobs at risk or supported, as a whole count: 350.38 → "350", 11487.6 → "11,488" / "11 488".

    The model's jobs figures come from one national jobs-per-export ratio; pages and packets have always
    printed them whole, and the captions say how they are estimated, so they stay whole counts here.
    """
    return integer(value)


def jobs_rounded(value) -> str:
    """Jobs for a sentence that already says "about": to the nearest hundred from 1,000, whole below.

    11,487.6 → "11,500" / "11 500"; 350.4 → "350". A national ratio does not know a state's jobs to
    the unit, so prose does not pretend to; under a thousand the hundred would swallow the figure.
    """
    amount = _decimal(value)
    if amount is None:
        return MISSING
    if abs(_rounded(amount, 0)) >= 1000:
        amount = (amount / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 100
    return integer(amount)


def millions(value, places: int = 1) -> str:
    """A USD amount in millions, without the unit, for tables whose caption says "US$ millions"."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    return number(amount / Decimal("1e6"), places)


def billions(value, places: int = 1) -> str:
    """A USD amount in billions, without the unit, for chart axes labelled "US$ billions"."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    return number(amount / Decimal("1e9"), places)


def _with_currency(digits: str, sign: str, unit: str = "") -> str:
    if _french():
        return f"{sign}{digits}{NBSP}{unit or '$'}{NBSP}US"
    return f"{sign}US${digits}{unit}"


def money(value) -> str:
    """Exact whole US dollars, for tables of exact figures: "US$7,448,595,159" / "7 448 595 159 $ US"."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    return _with_currency(_digits(amount, 0), _sign(amount, 0))


def money_compact(value) -> str:
    """US dollars as a reader says them, one decimal: "US$7.4B", "US$412.0M", "US$24.7K", "US$950".

    French: "7,4 G$ US", "412,0 M$ US", "24,7 k$ US", "950 $ US". The unit follows the amount's size,
    and moves up when rounding reaches a thousand of it: 999,950 reads "US$1.0M", not "US$1,000.0K".
    Amounts under a thousand dollars print whole: a unit would hide them.
    """
    amount = _decimal(value)
    if amount is None:
        return MISSING
    absolute = abs(amount)
    if _rounded(absolute, 0) < 1000:
        return money(amount)
    scales = _SCALES["fr" if _french() else "en"]
    # The largest scale the amount reaches (thousands for 999.50–999.99, which round up to a thousand).
    index = next((i for i, (step, _unit) in enumerate(scales) if absolute >= step), len(scales) - 1)
    scaled = _rounded(absolute / scales[index][0], 1)
    if scaled >= 1000 and index > 0:
        index -= 1
        scaled = _rounded(absolute / scales[index][0], 1)
    return _with_currency(_digits(scaled, 1), MINUS if amount < 0 else "", scales[index][1])


def percent(value, places: int = 1) -> str:
    """A fraction as a percentage: 0.126 → "12.6%" / "12,6 %" (French sets a no-break space before %)."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    text = number(amount * 100, places)
    return f"{text}{NBSP}%" if _french() else f"{text}%"


def date(value) -> str:
    """A date in the active language's long form (Django's DATE_FORMAT): "Dec. 4, 2026" / "4 décembre 2026".

    Accepts a date, a datetime or an ISO 8601 string (packet contexts store dates as ISO text).
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return formats.date_format(value, "DATE_FORMAT")


def ordinal(value: int) -> str:
    """A rank as the reader's language writes it: 1st, 2nd, 3rd, 11th / 1er, 2e, 3e, 11e."""
    if _french():
        return f"{value}er" if value == 1 else f"{value}e"
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"
