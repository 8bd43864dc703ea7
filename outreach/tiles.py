"""The coverage tile map, drawn with trade's tile-grid helper when it is available."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe


def coverage_map_svg(*, rows) -> SafeString:
    """Tile map shaded by the share of each state's stakeholders contacted in the last 90 days."""
    try:
        from trade.maps import tile_map_svg
    except ImportError:
        return mark_safe("")
    values = {row.state.code: round(100 * row.share_90) for row in rows if row.stakeholders}
    return mark_safe(tile_map_svg(values=values))  # noqa: S308  (SVG built by trade from numbers and codes)
