"""The packet's trend chart labels its axis through core.formatting, in the packet's language."""

import re

from django.utils import translation

from briefings.charts import trend_chart_svg

SERIES = [
    {"year": 2023, "exports": 9_000_000_000, "imports": 2_000_000_000, "partial": False},
    {"year": 2024, "exports": 7_448_595_159, "imports": 1_000_000_000, "partial": True},
]


def _axis(svg: str) -> list[str]:
    # Axis labels sit 6 px left of the plot (x=50); the partial-year note is also right-aligned.
    return re.findall(r'<text x="50" [^>]*text-anchor="end" font-size="11">([^<]*)</text>', svg)


def test_trend_chart_axis_keeps_the_decimal_of_a_two_and_a_half_step():
    with translation.override("en"):
        assert _axis(trend_chart_svg(series=SERIES, title="Trade")) == ["0.0", "2.5", "5.0", "7.5", "10.0"]
    with translation.override("fr"):
        assert _axis(trend_chart_svg(series=SERIES, title="Commerce")) == ["0,0", "2,5", "5,0", "7,5", "10,0"]


def test_trend_chart_whole_steps_print_whole_numbers_with_separators():
    series = [{"year": 2024, "exports": 3_500_000_000_000, "imports": 0, "partial": False}]
    with translation.override("fr"):
        assert _axis(trend_chart_svg(series=series, title="Commerce")) == [
            "0",
            "1\xa0000",
            "2\xa0000",
            "3\xa0000",
            "4\xa0000",
        ]
