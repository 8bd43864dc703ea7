"""The coverage tile map, drawn with trade's tile-grid helper."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trade.maps import tile_map_svg

# Fixed bands of the influence-weighted share contacted in 90 days (percent): a share means the same
# whatever the best-covered state reaches, so one call in a big state no longer paints it darkest.
COVERAGE_BANDS = [1, 25, 50, 75]


def coverage_map_svg(*, rows) -> SafeString:
    """Tile map shaded by the influence-weighted share of each state's stakeholders contacted in 90 days."""
    from outreach.templatetags.outreach_tags import state_url

    values = {row.state.code: 100 * row.weighted_share_90 for row in rows if row.stakeholders}
    labels = {
        row.state.code: _(
            "%(state)s: %(done)d of %(total)d stakeholders contacted in 90 days (%(share)d%% weighted by influence)"
        )
        % {
            "state": row.state.name,
            "done": row.contacted_90,
            "total": row.stakeholders,
            "share": round(100 * row.weighted_share_90),
        }
        for row in rows
    }
    links = {row.state.code: state_url(row.state) for row in rows}
    svg = tile_map_svg(
        values=values,
        title=_("Share of stakeholders contacted in the last 90 days, weighted by influence"),
        labels=labels,
        links=links,
        edges=COVERAGE_BANDS,
        legend_title=_("Contacted in 90 days (weighted by influence)"),
        legend_labels=[_("under 1%"), _("1–24%"), _("25–49%"), _("50–74%"), _("75% or more")],
    )
    # trade.maps escapes every text it puts in the SVG, so the markup is safe to embed.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
