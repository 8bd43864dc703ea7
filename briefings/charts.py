"""Inline SVG charts for packets: no JavaScript, no external files, the same markup on screen and in PDF."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _

from core import formatting

EXPORT_COLOUR = "#0b57a4"
IMPORT_COLOUR = "#8b1c24"


def _nice_step(maximum: float, ticks: int = 4) -> float:
    raw = maximum / ticks if maximum > 0 else 1.0
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def trend_chart_svg(*, series: list[dict], title: str, width: int = 640, height: int = 240) -> str:
    """Two lines (exports to and imports from Canada, US$ billions) over the years in `series`.

    `series` rows hold year, exports, imports (USD) and partial (bool); partial years get a hollow
    marker and the legend says so. The table under the chart in the packet carries the exact values.
    """
    if not series:
        return ""
    left, right, top, bottom = 56, 16, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(row[key] or 0) / 1e9 for row in series for key in ("exports", "imports")]
    step = _nice_step(max(values) if values else 1.0)
    y_max = step * max(1, -(-max(values) // step)) if values else step
    years = [row["year"] for row in series]
    span = max(1, len(years) - 1)

    def x(index: int) -> float:
        return left + plot_w * index / span

    def y(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    parts = [
        f'<svg class="trend-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="trend-title">',
        f'<title id="trend-title">{escape(title)}</title>',
    ]
    tick = 0.0
    while tick <= y_max + 1e-9:
        ty = y(tick)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#d5dae1"/>')
        # Whole steps print whole; a 2.5 or 0.5 step keeps its decimal so 7.5 does not read as 8.
        label = formatting.number(tick, 0 if float(step).is_integer() else 1)
        parts.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11">{label}</text>')
        tick += step
    parts.append(f'<text x="{left - 44}" y="{top - 12}" font-size="11">' + escape(_("US$ billions")) + "</text>")
    label_every = max(1, len(years) // 8 + (1 if len(years) % 8 else 0))
    for index, year in enumerate(years):
        if index % label_every == 0 or index == len(years) - 1:
            parts.append(
                f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">{year}</text>'
            )
    for key, colour, dash in (("exports", EXPORT_COLOUR, ""), ("imports", IMPORT_COLOUR, ' stroke-dasharray="6 3"')):
        points = " ".join(f"{x(i):.1f},{y(float(row[key] or 0) / 1e9):.1f}" for i, row in enumerate(series))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{points}"/>')
        for i, row in enumerate(series):
            fill = "#ffffff" if row.get("partial") else colour
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(float(row[key] or 0) / 1e9):.1f}" r="3" '
                f'fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
            )
    legend_y = top - 12
    legend = [
        (EXPORT_COLOUR, "", _("Exports to Canada")),
        (IMPORT_COLOUR, ' stroke-dasharray="6 3"', _("Imports from Canada")),
    ]
    lx = left + 70
    for colour, dash, text in legend:
        parts.append(
            f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 22}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
        parts.append(f'<text x="{lx + 27}" y="{legend_y}" font-size="11">{escape(text)}</text>')
        lx += 170
    if any(row.get("partial") for row in series):
        parts.append(
            f'<text x="{width - right}" y="{legend_y}" text-anchor="end" font-size="11">'
            + escape(_("○ partial year"))
            + "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def range_bar_svg(*, low: Decimal, central: Decimal, high: Decimal, maximum: Decimal, label: str) -> str:
    """A small low–central–high range bar (used for exports and jobs at risk)."""
    width, height, pad = 220, 18, 4
    top = float(maximum) or 1.0

    def x(value: Decimal) -> float:
        return pad + (width - 2 * pad) * float(value) / top

    return (
        f'<svg class="range-bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
        f'<rect x="{pad}" y="7" width="{width - 2 * pad}" height="4" fill="#e8edf3"/>'
        f'<rect x="{x(low):.1f}" y="5" width="{max(2.0, x(high) - x(low)):.1f}" height="8" fill="#c9d6e6"/>'
        f'<rect x="{x(central) - 1.5:.1f}" y="2" width="3" height="14" fill="{EXPORT_COLOUR}"/>'
        "</svg>"
    )
