"""The coverage tile map, drawn with trade's tile-grid helper."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trade.maps import tile_map_svg


def coverage_map_svg(*, rows) -> SafeString:
    """Tile map shaded by the share of each state's stakeholders contacted in the last 90 days."""
    from outreach.templatetags.outreach_tags import state_url

    values = {row.state.code: round(100 * row.share_90) for row in rows if row.stakeholders}
    labels = {
        row.state.code: _("%(state)s: %(done)d of %(total)d stakeholders contacted in 90 days")
        % {"state": row.state.name, "done": row.contacted_90, "total": row.stakeholders}
        for row in rows
    }
    links = {row.state.code: state_url(row.state) for row in rows}
    svg = tile_map_svg(
        values=values, title=_("Share of stakeholders contacted in the last 90 days"), labels=labels, links=links
    )
    # trade.maps escapes every text it puts in the SVG, so the markup is safe to embed.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
