"""The server-side SVG charts label axes and bars through core.formatting, in the active language."""

import datetime
import re
from decimal import Decimal

from django.utils import translation

from trade.maps import bar_chart_svg, monthly_duty_chart_svg, tile_map_svg

SERIES = [
    {"year": 2023, "exports": 9_000_000_000, "imports": 2_000_000_000, "partial": False},
    {"year": 2024, "exports": 7_448_595_159, "imports": 1_000_000_000, "partial": True},
]


def _axis(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)


def test_bar_chart_axis_keeps_the_decimal_of_its_step_and_bars_read_in_billions():
    with translation.override("en"):
        svg = bar_chart_svg(series=SERIES, title="Trade")
        assert _axis(svg) == ["0.0", "2.5", "5.0", "7.5", "10.0"]
        assert "<title>2024 exports to Canada: US$7.4B (partial year)</title>" in svg
    with translation.override("fr"):
        svg = bar_chart_svg(series=SERIES, title="Trade")
        assert _axis(svg) == ["0,0", "2,5", "5,0", "7,5", "10,0"]
        assert "2024 exportations vers le Canada\xa0: 7,4\xa0G$\xa0US (année partielle)" in svg


def test_bar_chart_legend_items_never_overlap_in_either_language():
    """Each legend label ends before the next swatch starts, and the drawing is wide enough for them."""
    for language in ("en", "fr"):
        with translation.override(language):
            svg = bar_chart_svg(series=SERIES, title="Trade")
        view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        legend = re.findall(r'<rect x="(\d+)" y="2" width="12"[^>]*/><text x="(\d+)" y="12"[^>]*>([^<]*)</text>', svg)
        assert len(legend) == 3, language  # exports, imports, partial year
        for (_, text_x, text), (next_swatch, _, _) in zip(legend, legend[1:], strict=False):
            assert int(text_x) + len(text) * 12 * 0.55 < int(next_swatch), (language, text)
        last_x, last_text = int(legend[-1][1]), legend[-1][2]
        assert last_x + len(last_text) * 12 * 0.55 <= view_width, language


def test_monthly_duty_chart_in_french():
    series = [{"month": datetime.date(2025, 9, 1), "duty": Decimal("1234567")}]
    with translation.override("fr"):
        svg = monthly_duty_chart_svg(series=series, title="Droits")
    # The axis tops out at 1.5 (US$ millions); its 0.375 step is printed to two decimals, rounded half up.
    assert _axis(svg) == ["0,00", "0,38", "0,75", "1,13", "1,50"]
    assert "<title>2025-09: 1,2\xa0M$\xa0US</title>" in svg


def test_tile_map_tooltips_and_legend_use_the_language_separators():
    with translation.override("fr"):
        svg = tile_map_svg(values={"MI": 1234567.0, "OH": 20.0}, title="Carte")
    assert "<title>MI: 1\xa0234\xa0567</title>" in svg
    assert "≥ 987\xa0654" in svg  # the top step starts at 4/5 of the largest value
