"""Writing exports people open in spreadsheet software: CSV, XLSX, and text bound for calendars.

Every cell goes through `neutralise`, so a value typed into the app (a summary, a title, an email)
cannot become a formula when the file is opened (OWASP "CSV injection"). Exports write through
`write_csv` / `csv_bytes` / `xlsx_bytes` here rather than calling `csv.writer` or openpyxl themselves,
and a test fails when product code writes a CSV or workbook anywhere else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# Spreadsheet software evaluates a cell that starts with one of these (tab and CR included: some
# programs strip them and then see the formula behind them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert by prefixing an apostrophe; numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def write_csv(stream, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write a header and rows to a text stream (a file, a StringIO or an HttpResponse)."""
    writer = csv.writer(stream)
    writer.writerow(_safe_row(header))
    for row in rows:
        writer.writerow(_safe_row(row))


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read accented names correctly."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append(_safe_row(header))
    for row in rows:
        sheet.append(_safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
