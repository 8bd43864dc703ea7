from pathlib import Path

import pytest
from django.conf import settings
from weasyprint.urls import FatalURLFetchingError

from briefings.pdf import FetchRefused, StaticOnlyURLFetcher, html_to_pdf

STYLESHEET = Path(settings.BASE_DIR) / "briefings" / "static" / "briefings" / "packet.css"


def test_fetcher_serves_a_project_static_file():
    response = StaticOnlyURLFetcher().fetch(STYLESHEET.resolve().as_uri())
    assert response.read() == STYLESHEET.read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (Path(settings.BASE_DIR) / "config" / "settings" / "base.py").as_uri(),
        # A path that starts inside static but climbs out of it.
        STYLESHEET.parent.as_uri() + "/../../../config/settings/base.py",
        "file://remote-host/share/x.css",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "data:text/css,body{color:red}",
        "ftp://example.org/x.css",
    ],
)
def test_fetcher_refuses_anything_else(url):
    with pytest.raises(FetchRefused):
        StaticOnlyURLFetcher().fetch(url)


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="http://127.0.0.1:9/tracker.png">',
        '<link rel="stylesheet" href="file:///etc/hosts">',
        '<img src="https://example.org/logo.png">',
    ],
)
def test_rendering_stops_when_a_document_asks_for_a_forbidden_resource(tag):
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(f"<html><head></head><body>{tag}<p>text</p></body></html>")


def test_rendering_with_the_packet_stylesheet_works():
    pdf = html_to_pdf(
        f'<html><head><link rel="stylesheet" href="{STYLESHEET.resolve().as_uri()}"></head><body>x</body></html>'
    )
    assert pdf.startswith(b"%PDF")
