"""Rendering a packet: one template set → the HTML page and, through WeasyPrint (briefings.pdf), the PDF."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

from briefings.charts import trend_chart_svg

DOCUMENT_TEMPLATE = "briefings/packet_document.html"
STYLESHEET = "briefings/packet.css"


def _stylesheet_uri(*, for_pdf: bool) -> str:
    if not for_pdf:
        return static(STYLESHEET)
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    return Path(found).resolve().as_uri()


def render_packet_html(*, context: dict, for_pdf: bool = False) -> str:
    """The packet document; `for_pdf` links the stylesheet by file URI for WeasyPrint's fetcher."""
    trade = context.get("trade") or {}
    chart = ""
    if trade.get("series"):
        chart = trend_chart_svg(
            series=trade["series"],
            title=f"{context['state']['name']}: exports to and imports from Canada, "
            f"{trade['series'][0]['year']}–{trade['series'][-1]['year']}",
        )
    return render_to_string(
        DOCUMENT_TEMPLATE,
        {**context, "trend_chart": chart, "stylesheet_url": _stylesheet_uri(for_pdf=for_pdf), "for_pdf": for_pdf},
    )


def render_packet_pdf(*, context: dict) -> bytes:
    return render_pdf(source=render_packet_html(context=context, for_pdf=True))


def render_pdf(*, source: str) -> bytes:
    """The PDF of a packet's PDF source (`render_packet_html(..., for_pdf=True)`)."""
    # WeasyPrint is imported on first use: web processes that never render a PDF do not load it.
    from briefings.pdf import html_to_pdf

    return html_to_pdf(source)
