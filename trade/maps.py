"""Server-side inline SVG: the US tile-grid map and a simple two-series bar chart (usable in PDFs too)."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.translation import gettext as _

from core import formatting

# (row, column) of each state on a 12 × 8 tile grid (the common NPR-style layout), PR bottom right.
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6), "WI": (2, 7),
    "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6), "OH": (3, 7),
    "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6), "WV": (4, 7),
    "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7), "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9), "PR": (7, 11),
}  # fmt: skip
# Five-step sequential blues (ColorBrewer "Blues" steps chosen for contrast): the state code is dark on
# the three light steps and white on the two dark ones, every pair at least 5:1 (WCAG AA); tiles have a
# grey outline (4.5:1 against the white page) so the lightest step stays visible.
PALETTE = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
INK = ["#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff"]
NO_DATA = "#ffffff"
OUTLINE = "#6b7785"
TILE = 44
GAP = 4
FONT = 'font-family="system-ui, sans-serif"'


def _linear_edges(values: list[float]) -> list[float]:
    top = max(values, default=0)
    return [top * step / len(PALETTE) for step in range(1, len(PALETTE))]


def _quantile_edges(values: list[float]) -> list[float]:
    ordered = sorted(values)
    if not ordered:
        return [0.0] * (len(PALETTE) - 1)
    return [ordered[min(len(ordered) - 1, len(ordered) * step // len(PALETTE))] for step in range(1, len(PALETTE))]


def _bin(value: float, edges: list[float]) -> int:
    return sum(1 for edge in edges if value >= edge and edge > 0) if value > 0 else 0


def tile_map_svg(
    *,
    values: dict[str, float],
    title: str = "",
    labels: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    scale: str = "linear",
    value_format=None,
    legend_title: str = "",
    edges: list[float] | None = None,
    legend_labels: list[str] | None = None,
) -> str:
    """Inline SVG of the US as equal tiles coloured by `values` (state code → number).

    `labels` gives each tile's tooltip text (defaults to the value), `links` a URL per state, `scale`
    "linear" (five equal steps up to the largest value) or "quantile" (five groups of about as many
    states: readable when a few states dwarf the rest). The legend states each step's range in
    `value_format` (a function number → text) under `legend_title` (which should name the unit).
    Fixed `edges` (four lower bounds of steps 2–5) and `legend_labels` (five texts) replace the scale
    where the bands mean something of their own, such as shares of a whole.
    """
    labels = labels or {}
    links = links or {}
    fmt = value_format or formatting.integer
    numbers = list(values.values())
    if edges is None:
        edges = _quantile_edges(numbers) if scale == "quantile" else _linear_edges(numbers)
    width, legend_top = 12 * (TILE + GAP), 8 * (TILE + GAP) + 8
    height = legend_top + 62
    aria_label = escape(title or _("Map of US states"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="tile-map" role="img" '
        f'aria-label="{aria_label}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for code, (row, column) in TILE_POSITIONS.items():
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        value = values.get(code)
        step = None if value is None else _bin(value, edges)
        fill = NO_DATA if step is None else PALETTE[step]
        ink = "#1a1a1a" if step is None else INK[step]
        dash = ' stroke-dasharray="3 2"' if step is None else ""
        shown = fmt(value) if value is not None else _("no data")
        tip = labels.get(code) or f"{code}: {shown}"
        tile = (
            f'<g><title>{escape(tip)}</title><rect x="{x + 0.5}" y="{y + 0.5}" width="{TILE - 1}" height="{TILE - 1}" '
            f'rx="4" fill="{fill}" stroke="{OUTLINE}"{dash}/><text x="{x + TILE / 2}" y="{y + TILE / 2 + 5}" '
            f'text-anchor="middle" font-size="13" font-weight="600" {FONT} fill="{ink}">{code}</text></g>'
        )
        if code in links:
            tile = f'<a href="{escape(links[code])}">{tile}</a>'
        parts.append(tile)
    parts.append(
        f'<text x="0" y="{legend_top + 10}" font-size="12" font-weight="600" {FONT} fill="#1a1a1a">'
        + escape(legend_title or _("Legend"))
        + "</text>"
    )
    bounds = [0.0, *edges]
    swatch = width / (len(PALETTE) + 1)
    for index, colour in enumerate(PALETTE):
        x = index * swatch
        low = bounds[index]
        text = legend_labels[index] if legend_labels else (f"≥ {fmt(low)}" if index else f"< {fmt(edges[0])}")
        parts.append(
            f'<rect x="{x + 0.5}" y="{legend_top + 18}" width="{swatch - 4}" height="14" fill="{colour}" '
            f'stroke="{OUTLINE}"/><text x="{x}" y="{legend_top + 48}" font-size="11" {FONT} fill="#1a1a1a">'
            f"{escape(text)}</text>"
        )
    x = len(PALETTE) * swatch
    parts.append(
        f'<rect x="{x + 0.5}" y="{legend_top + 18}" width="{swatch - 4}" height="14" fill="{NO_DATA}" '
        f'stroke="{OUTLINE}" stroke-dasharray="3 2"/><text x="{x}" y="{legend_top + 48}" font-size="11" {FONT} '
        'fill="#1a1a1a">' + escape(_("no data")) + "</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


EXPORT_COLOUR, IMPORT_COLOUR = "#08519c", "#6baed6"


def bar_chart_svg(*, series: list[dict], title: str) -> str:
    """Grouped bars per year, US$ billions: exports (dark blue) and imports (light blue); bars of partial
    years are hatched and their year is marked with an asterisk. Axis, unit and legend are drawn in."""
    if not series:
        return ""
    top = max(max(row["exports"], row["imports"]) for row in series) or 1
    top_billions = _nice_ceiling(top / 1e9) or 1
    decimals = _axis_places(top_billions / 4)
    bar, gap, left, plot_top, plot_height = 12, 10, 56, 34, 200
    width = left + len(series) * (2 * bar + gap) + 10
    bottom = plot_top + plot_height
    height = bottom + 40
    unit = _("US$ billions")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        '<defs><pattern id="partial" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="5" height="5" fill="#ffffff"/><rect width="2.5" height="5" fill="{EXPORT_COLOUR}"/></pattern>'
        "</defs>",
        f'<text x="0" y="12" font-size="12" font-weight="600" {FONT} fill="#1a1a1a">' + escape(unit) + "</text>",
    ]
    # Each legend item starts where the previous one's text ends (French labels are longer than English).
    x = max(left + 80, _text_width(unit, 12) + 24)
    items = [(EXPORT_COLOUR, _("Exports to Canada"), ""), (IMPORT_COLOUR, _("Imports from Canada"), "")]
    if any(row["partial"] for row in series):
        items.append(("url(#partial)", _("* partial year"), f' stroke="{EXPORT_COLOUR}"'))
    for colour, text, stroke in items:
        parts.append(
            f'<rect x="{x:.0f}" y="2" width="12" height="12" fill="{colour}"{stroke}/>'
            f'<text x="{x + 16:.0f}" y="12" font-size="12" {FONT} fill="#1a1a1a">{escape(text)}</text>'
        )
        x += 16 + _text_width(text, 12) + 20
    if x > width:  # widen the drawing rather than clip the legend; the bars keep their places
        parts[0] = parts[0].replace(f'viewBox="0 0 {width} ', f'viewBox="0 0 {int(x)} ', 1)
    for step in range(5):
        value = top_billions * step / 4
        y = bottom - plot_height * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="#d5dae1"/>'
            f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" {FONT} fill="#1a1a1a">'
            f"{formatting.number(value, decimals)}</text>"
        )
    for index, row in enumerate(series):
        x = left + index * (2 * bar + gap) + gap / 2
        for offset, key, colour, label in (
            (0, "exports", EXPORT_COLOUR, _("exports to Canada")),
            (bar, "imports", IMPORT_COLOUR, _("imports from Canada")),
        ):
            h = plot_height * row[key] / (top_billions * 1e9)
            fill = "url(#partial)" if row["partial"] else colour
            stroke = f' stroke="{colour}"' if row["partial"] else ""
            partial = _(" (partial year)") if row["partial"] else ""
            parts.append(
                f'<rect x="{x + offset}" y="{bottom - h}" width="{bar}" height="{h}" fill="{fill}"{stroke}>'
                "<title>"
                + escape(
                    _("%(year)s %(label)s: %(amount)s%(partial)s")
                    % {
                        "year": row["year"],
                        "label": label,
                        "amount": formatting.money_compact(row[key]),
                        "partial": partial,
                    }
                )
                + "</title></rect>"
            )
        label = f"{row['year']}{'*' if row['partial'] else ''}"
        parts.append(
            f'<text x="{x + bar}" y="{bottom + 16}" font-size="11" text-anchor="middle" {FONT} fill="#1a1a1a">'
            f"{label}</text>"
        )
    parts.append(
        f'<text x="{left}" y="{bottom + 34}" font-size="11" {FONT} fill="#4a5563">'
        + escape(_("Year; nominal US dollars, not adjusted for inflation"))
        + "</text></svg>"
    )
    return "".join(parts)


def _axis_places(step: float) -> int:
    """The fewest decimals (up to two) that print every multiple of `step` exactly: 2.5 → 1, so an
    axis up to 10 reads 0, 2.5, 5, 7.5, 10 rather than rounding 2.5 to "3"."""
    for places in (0, 1):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 2


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of `text` in the sans-serif font the charts use (about 0.6 em
    per character), so that legend items never overlap whatever the language."""
    return len(text) * font_size * 0.6


def _nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above value: the axis top."""
    if value <= 0:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def monthly_duty_chart_svg(*, series: list[dict], title: str) -> str:
    """One bar per month: the estimated monthly US duty (US$ millions) on a state's imports from Canada
    under the measures in force on the first of that month. Axis, unit and month labels are drawn in."""
    if not series:
        return ""
    top = max(float(row["duty"]) for row in series) / 1e6
    top_millions = _nice_ceiling(top) or 1
    decimals = _axis_places(top_millions / 4)
    bar, gap, left, plot_top, plot_height = 14, 6, 56, 24, 180
    width = left + len(series) * (bar + gap) + 10
    bottom = plot_top + plot_height
    height = bottom + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="0" y="12" font-size="12" font-weight="600" {FONT} fill="#1a1a1a">'
        + escape(_("US$ millions"))
        + "</text>",
    ]
    for step in range(5):
        value = top_millions * step / 4
        y = bottom - plot_height * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="#d5dae1"/>'
            f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" {FONT} fill="#1a1a1a">'
            f"{formatting.number(value, decimals)}</text>"
        )
    for index, row in enumerate(series):
        x = left + index * (bar + gap) + gap / 2
        h = plot_height * float(row["duty"]) / 1e6 / top_millions
        month = row["month"]
        parts.append(
            f'<rect x="{x}" y="{bottom - h}" width="{bar}" height="{h}" fill="{IMPORT_COLOUR}">'
            f"<title>{month:%Y-%m}: {formatting.money_compact(row['duty'])}</title></rect>"
        )
        if month.month in (1, 7):
            parts.append(
                f'<text x="{x + bar / 2}" y="{bottom + 16}" font-size="11" text-anchor="middle" {FONT} '
                f'fill="#1a1a1a">{month:%Y-%m}</text>'
            )
    parts.append(
        f'<text x="{left}" y="{bottom + 36}" font-size="11" {FONT} fill="#4a5563">'
        + escape(_("Month; base-year imports ÷ 12 at each month’s measures, nominal US dollars"))
        + "</text></svg>"
    )
    return "".join(parts)
