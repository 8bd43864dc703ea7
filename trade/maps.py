"""Server-side inline SVG: the US tile-grid map and a simple two-series bar chart (usable in PDFs too)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

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
# Five-step sequential blues (ColorBrewer "Blues"); text switches to white on the two darkest.
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#f0f0f0"
TILE = 44
GAP = 4


def _bin(value: float, top: float) -> int:
    if top <= 0:
        return 0
    return min(len(PALETTE) - 1, int(value / top * len(PALETTE)))


def tile_map_svg(
    *,
    values: dict[str, float],
    title: str = "",
    labels: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
) -> str:
    """Inline SVG of the US as equal tiles coloured by `values` (state code → number).

    `labels` gives each tile's tooltip text (defaults to the value), `links` a URL per state.
    """
    labels = labels or {}
    links = links or {}
    top = max(values.values(), default=0)
    width, height = 12 * (TILE + GAP), 8 * (TILE + GAP) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="tile-map" role="img" '
        f'aria-label="{escape(title or _("Map of US states"))}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for code, (row, column) in TILE_POSITIONS.items():
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        value = values.get(code)
        fill = NO_DATA if value is None else PALETTE[_bin(value, top)]
        ink = "#ffffff" if value is not None and _bin(value, top) >= 3 else "#1a1a1a"
        tip = labels.get(code) or (f"{code}: {value:,.0f}" if value is not None else f"{code}: {_('no data')}")
        tile = (
            f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}" '
            f'stroke="#ffffff"/><text x="{x + TILE / 2}" y="{y + TILE / 2 + 5}" text-anchor="middle" '
            f'font-size="13" font-family="sans-serif" fill="{ink}">{code}</text></g>'
        )
        if code in links:
            tile = f'<a href="{escape(links[code])}">{tile}</a>'
        parts.append(tile)
    legend_y = 8 * (TILE + GAP) + 4
    for index, colour in enumerate(PALETTE):
        parts.append(f'<rect x="{index * 40}" y="{legend_y}" width="40" height="12" fill="{colour}"/>')
    parts.append(
        f'<text x="0" y="{legend_y + 26}" font-size="11" font-family="sans-serif">{escape(_("low"))}</text>'
        f'<text x="200" y="{legend_y + 26}" font-size="11" font-family="sans-serif" text-anchor="end">'
        f"{escape(_('high'))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(*, series: list[dict], title: str) -> str:
    """Grouped bars per year: exports (dark) and imports (light), billions of USD; partial years hatched
    and marked with an asterisk under the year."""
    if not series:
        return ""
    top = max(max(row["exports"], row["imports"]) for row in series) or 1
    bar, gap, left, height = 9, 8, 48, 180
    width = left + len(series) * (2 * bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 50}" class="chart" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        '<defs><pattern id="partial" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="2" height="4" fill="#999999"/></pattern></defs>',
    ]
    for step in range(5):
        value = top * step / 4
        y = height - height * step / 4 + 10
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="#dddddd"/>'
            f'<text x="{left - 4}" y="{y + 4}" font-size="10" text-anchor="end" font-family="sans-serif">'
            f"{value / 1e9:,.0f}</text>"
        )
    for index, row in enumerate(series):
        x = left + index * (2 * bar + gap)
        for offset, key, colour in ((0, "exports", "#08519c"), (bar, "imports", "#6baed6")):
            h = height * row[key] / top
            fill = "url(#partial)" if row["partial"] else colour
            parts.append(
                f'<rect x="{x + offset}" y="{height - h + 10}" width="{bar}" height="{h}" fill="{fill}">'
                f"<title>{row['year']} {escape(_(key))}: US${row[key] / 1e9:,.2f} B"
                f"{escape(_(' (partial year)')) if row['partial'] else ''}</title></rect>"
            )
        if index % 2 == 0 or row["partial"]:
            label = f"{row['year']}{'*' if row['partial'] else ''}"
            parts.append(
                f'<text x="{x + bar}" y="{height + 26}" font-size="10" text-anchor="middle" font-family="sans-serif">'
                f"{label}</text>"
            )
    parts.append(
        f'<text x="{left}" y="{height + 45}" font-size="11" font-family="sans-serif">'
        f"{escape(_('US$ billions; dark: exports to Canada, light: imports from Canada; * partial year'))}</text></svg>"
    )
    return "".join(parts)
