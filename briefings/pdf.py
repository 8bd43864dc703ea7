"""PDF output through WeasyPrint, which may read only the project's own static files.

`StaticOnlyURLFetcher` is the only fetcher WeasyPrint is given: `file://` URLs must resolve
(symlinks followed) to a file inside a static directory, and everything else — http(s), data:,
files outside static — raises and stops the rendering, so a packet can never make the worker read
an arbitrary file or reach the network.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint logs every layout step at INFO; worker logs only need its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return list(dict.fromkeys(roots))


class FetchRefused(ValueError):
    """WeasyPrint asked for a resource outside the project's static files."""


def static_file_for_url(url: str) -> Path:
    """The static file a `file://` URL names; raises FetchRefused for any other URL."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused to fetch {url!r}: only the project's static files may be loaded")
    path = Path(unquote(parsed.path)).resolve()
    if not path.is_file() or not any(path.is_relative_to(root) for root in static_roots()):
        raise FetchRefused(f"refused to fetch {url!r}: not a static file of this project")
    return path


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint fetcher that serves files under the static roots and refuses everything else.

    `fail_on_errors` makes a refusal stop the rendering instead of leaving a hole in the PDF.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None) -> URLFetcherResponse:
        path = static_file_for_url(url)
        mime_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime_type or "application/octet-stream"}
        )


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=StaticOnlyURLFetcher()).write_pdf()
