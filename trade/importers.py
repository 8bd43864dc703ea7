"""Parsers and validators for the trade file formats. They read bytes and return records and row errors;
they never write (the import service in `trade.services` does).

Each parser validates every row and reports each bad one with its row number and reason:
- CSV formats: `row` is the line number in the file (the header is line 1);
- Census JSON: `row` is the index in the top-level list (the header row is 0).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trade.choices import Flow, ImportFormat

CANADA = "1220"
# Countries in BTS TransBorder files: Canada and Mexico. Anything else is not a TransBorder row.
TRANSBORDER_COUNTRIES = {CANADA, "2010"}
DOT2_HEADER = [
    "TRDTYPE",
    "USASTATE",
    "COMMODITY2",
    "DISAGMOT",
    "MEXSTATE",
    "CANPROV",
    "COUNTRY",
    "VALUE",
    "SHIPWT",
    "FREIGHT_CHARGES",
    "DF",
    "CONTCODE",
    "MONTH",
    "YEAR",
]
DOT2_TRDTYPE = {"1": Flow.EXPORT, "2": Flow.IMPORT}
MAX_REPORTED_ERRORS = 1000
FIRST_YEAR, LAST_YEAR = 1990, 2100


class FileRejected(Exception):
    """The file as a whole cannot be read (encoding, empty, header); no row-level report is possible."""


@dataclass(frozen=True)
class StateRecord:
    state: str
    flow: str
    year: int
    month: int | None
    hs2: str | None
    value_usd: int


@dataclass(frozen=True)
class NationalRecord:
    flow: str
    year: int
    hs2: str
    value_usd: int


@dataclass
class ParseResult:
    records: list = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    is_national: bool = False
    # Valid rows deliberately left out (e.g. Mexico in a TransBorder file), by reason; not errors.
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def rows_kept(self) -> int:
        """Rows that went into the figures: read, less rejected, less skipped."""
        return self.rows_read - self.rows_rejected - sum(self.skipped.values())

    def reject(self, row: int, message: str) -> None:
        self.rows_rejected += 1
        self.errors.append({"row": row, "message": message})

    @property
    def years(self) -> list[int]:
        return sorted({record.year for record in self.records})

    def summary(self) -> dict:
        """Totals by year and flow (and months covered), for the dry-run preview and the run record."""
        totals: dict[tuple[int, str], int] = defaultdict(int)
        months: dict[int, set[int]] = defaultdict(set)
        for record in self.records:
            totals[(record.year, record.flow)] += record.value_usd
            if getattr(record, "month", None):
                months[record.year].add(record.month)
        return {
            "records": len(self.records),
            "totals": [
                {"year": year, "flow": flow, "value_usd": value} for (year, flow), value in sorted(totals.items())
            ],
            "months": {str(year): sorted(found) for year, found in sorted(months.items())},
            "rows_kept": self.rows_kept,
            "skipped": dict(sorted(self.skipped.items())),
        }


@dataclass(frozen=True)
class Reference:
    """The codes a file may use: known state codes and HS chapters."""

    states: frozenset[str]
    chapters: frozenset[str]


def decode(content: bytes) -> str:
    """Bytes to text: gzip is unpacked, UTF-8 (with or without BOM) is required."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise FileRejected(
                _("The file looks gzip-compressed but cannot be unpacked: %(error)s.") % {"error": exc}
            ) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _("Wrong encoding: the file is not UTF-8 (invalid byte at position %(position)s). Save it as UTF-8.")
            % {"position": exc.start}
        ) from exc
    if not text.strip():
        raise FileRejected(_("The file is empty."))
    return text


def _csv_rows(text: str, *, required: list[str], optional: Iterable[str] = ()) -> tuple[list[str], Iterable]:
    reader = csv.reader(io.StringIO(text))
    header = [column.strip() for column in next(reader, [])]
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in required and column not in set(optional)]
    problems = []
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)})
    if len(set(header)) != len(header):
        problems.append(_("duplicate column names"))
    if problems:
        raise FileRejected(
            _("Header (line 1): %(problems)s. Expected: %(columns)s.")
            % {"problems": "; ".join(problems), "columns": ",".join(required)}
        )
    return header, reader


def _integer(value: str, name: str, *, minimum: int | None = 0) -> int:
    text = (value or "").strip()
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise ValueError(
                _("%(column)s is not a number: %(value)s") % {"column": name, "value": repr(value)}
            ) from None
        if not as_float.is_integer():
            raise ValueError(
                _("%(column)s is not a whole number: %(value)s") % {"column": name, "value": repr(value)}
            ) from None
        number = int(as_float)
    if minimum is not None and number < minimum:
        message = (
            _("%(column)s is negative: %(value)s") if minimum == 0 else _("%(column)s is below %(minimum)s: %(value)s")
        )
        raise ValueError(message % {"column": name, "minimum": minimum, "value": repr(value)})
    return number


def _year(value: str) -> int:
    year = _integer(value, "year")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(_("year out of range: %(value)s") % {"value": repr(value)})
    return year


def _month(value: str) -> int:
    month = _integer(value, "month")
    if not 1 <= month <= 12:
        raise ValueError(_("month out of range: %(value)s") % {"value": repr(value)})
    return month


def _flow(value: str) -> str:
    text = (value or "").strip().lower()
    if text not in Flow.values:
        raise ValueError(_("unknown flow %(value)s (expected export or import)") % {"value": repr(value)})
    return text


def _state(value: str, reference: Reference) -> str:
    code = (value or "").strip().upper()
    if code not in reference.states:
        raise ValueError(_("unknown state code %(value)s") % {"value": repr(value)})
    return code


def _chapter(value: str, reference: Reference) -> str:
    code = (value or "").strip()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    if code not in reference.chapters:
        raise ValueError(_("unknown HS chapter %(value)s") % {"value": repr(value)})
    return code


def _parse_keyed_rows(
    rows: Iterable[tuple[int, dict]],
    result: ParseResult,
    build: Callable[[dict], object],
    key: Callable[[object], tuple],
) -> None:
    """Validate each row with `build`; a key seen twice is a duplicate row (both lines reported)."""
    seen: dict[tuple, int] = {}
    for number, row in rows:
        result.rows_read += 1
        try:
            record = build(row)
        except ValueError as exc:
            result.reject(number, str(exc))
            continue
        record_key = key(record)
        if record_key in seen:
            result.reject(number, _("duplicate row: same cell as row %(row)s") % {"row": seen[record_key]})
            continue
        seen[record_key] = number
        result.records.append(record)


def _numbered(header: list[str], reader: Iterable[list[str]]) -> Iterable[tuple[int, dict]]:
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield number, {"__width__": len(values)}
            continue
        yield number, dict(zip(header, values, strict=True))


def _check_width(row: dict, header: list[str]) -> None:
    if "__width__" in row:
        raise ValueError(
            _("expected %(expected)s values, found %(found)s") % {"expected": len(header), "found": row["__width__"]}
        )


def parse_bts_annual(content: bytes, reference: Reference) -> ParseResult:
    """`year,state,state_name,flow,value_usd`: all goods, state × year × flow (state_name optional)."""
    required = ["year", "state", "flow", "value_usd"]
    header, reader = _csv_rows(decode(content), required=required, optional=["state_name"])
    result = ParseResult()

    def build(row: dict) -> StateRecord:
        _check_width(row, header)
        return StateRecord(
            state=_state(row["state"], reference),
            flow=_flow(row["flow"]),
            year=_year(row["year"]),
            month=None,
            hs2=None,
            value_usd=_integer(row["value_usd"], "value_usd"),
        )

    _parse_keyed_rows(_numbered(header, reader), result, build, lambda r: (r.state, r.flow, r.year))
    return result


def parse_bts_state_hs2_monthly(content: bytes, reference: Reference) -> ParseResult:
    """`year,month,state,flow,hs2,value_usd`: state × HS chapter × month (the file may be gzip)."""
    required = ["year", "month", "state", "flow", "hs2", "value_usd"]
    header, reader = _csv_rows(decode(content), required=required)
    result = ParseResult()

    def build(row: dict) -> StateRecord:
        _check_width(row, header)
        return StateRecord(
            state=_state(row["state"], reference),
            flow=_flow(row["flow"]),
            year=_year(row["year"]),
            month=_month(row["month"]),
            hs2=_chapter(row["hs2"], reference),
            value_usd=_integer(row["value_usd"], "value_usd"),
        )

    _parse_keyed_rows(_numbered(header, reader), result, build, lambda r: (r.state, r.flow, r.year, r.month, r.hs2))
    return result


def parse_bts_state_hs2_annual(content: bytes, reference: Reference) -> ParseResult:
    """`year,state,flow,hs2,value_usd,months_covered`: state × HS chapter × year, stored as annual chapter cells.

    An annual cell carries no month, so only full years can be stored honestly: a row whose
    `months_covered` is below 12 is rejected with its reason (import the monthly detail for those years).
    """
    required = ["year", "state", "flow", "hs2", "value_usd", "months_covered"]
    header, reader = _csv_rows(decode(content), required=required)
    result = ParseResult()

    def build(row: dict) -> StateRecord:
        _check_width(row, header)
        months = _integer(row["months_covered"], "months_covered")
        if months > 12:
            raise ValueError(_("months_covered %(months)s is more than 12") % {"months": months})
        record = StateRecord(
            state=_state(row["state"], reference),
            flow=_flow(row["flow"]),
            year=_year(row["year"]),
            month=None,
            hs2=_chapter(row["hs2"], reference),
            value_usd=_integer(row["value_usd"], "value_usd"),
        )
        if months < 12:
            raise ValueError(
                _(
                    "partial year: %(year)s covers %(months)s of 12 months; only full years are stored as annual "
                    "figures (import the monthly detail for partial years)"
                )
                % {"year": record.year, "months": months}
            )
        return record

    _parse_keyed_rows(_numbered(header, reader), result, build, lambda r: (r.state, r.flow, r.year, r.hs2))
    return result


def parse_bts_national_hs2(content: bytes, reference: Reference) -> ParseResult:
    """`year,flow,hs2,value_usd`: US totals by HS chapter (no state)."""
    required = ["year", "flow", "hs2", "value_usd"]
    header, reader = _csv_rows(decode(content), required=required)
    result = ParseResult(is_national=True)

    def build(row: dict) -> NationalRecord:
        _check_width(row, header)
        return NationalRecord(
            flow=_flow(row["flow"]),
            year=_year(row["year"]),
            hs2=_chapter(row["hs2"], reference),
            value_usd=_integer(row["value_usd"], "value_usd"),
        )

    _parse_keyed_rows(_numbered(header, reader), result, build, lambda r: (r.flow, r.year, r.hs2))
    return result


def parse_bts_dot2(content: bytes, reference: Reference) -> ParseResult:
    """The raw BTS TransBorder monthly DOT2 file: keeps Canada (COUNTRY 1220) and sums transport modes,
    provinces, DF and CONTCODE into state × HS chapter × month. Mexican rows are validated for their
    country code and skipped (counted under `skipped`); they are not counted as rejected.
    """
    header, reader = _csv_rows(decode(content), required=DOT2_HEADER)
    result = ParseResult()
    seen: dict[tuple, int] = {}
    sums: dict[tuple, int] = defaultdict(int)
    detail_key_columns = [column for column in DOT2_HEADER if column not in {"VALUE", "SHIPWT", "FREIGHT_CHARGES"}]
    for number, row in _numbered(header, reader):
        result.rows_read += 1
        try:
            _check_width(row, header)
            country = row["COUNTRY"].strip()
            if country not in TRANSBORDER_COUNTRIES:
                raise ValueError(
                    _("unknown country code %(value)s (TransBorder: 1220 Canada, 2010 Mexico)")
                    % {"value": repr(row["COUNTRY"])}
                )
            if country != CANADA:
                result.skip(_("not Canada (Mexico)"))
                continue
            if row["TRDTYPE"].strip() not in DOT2_TRDTYPE:
                raise ValueError(_("unknown TRDTYPE %(value)s (1 export, 2 import)") % {"value": repr(row["TRDTYPE"])})
            key = (
                _state(row["USASTATE"], reference),
                DOT2_TRDTYPE[row["TRDTYPE"].strip()],
                _year(row["YEAR"]),
                _month(row["MONTH"]),
                _chapter(row["COMMODITY2"], reference),
            )
            value = _integer(row["VALUE"], "VALUE")
            for column in ("SHIPWT", "FREIGHT_CHARGES"):
                if row[column].strip():
                    _integer(row[column], column)
        except ValueError as exc:
            result.reject(number, str(exc))
            continue
        detail = tuple(row[column].strip() for column in detail_key_columns)
        if detail in seen:
            result.reject(number, _("duplicate row: same detail as row %(row)s") % {"row": seen[detail]})
            continue
        seen[detail] = number
        sums[key] += value
    result.records = [
        StateRecord(state=s, flow=f, year=y, month=m, hs2=h, value_usd=v) for (s, f, y, m, h), v in sums.items()
    ]
    return result


CENSUS_FLOWS = {
    "E_COMMODITY": (Flow.EXPORT, "ALL_VAL_MO", "ALL_VAL_YR"),
    "I_COMMODITY": (Flow.IMPORT, "GEN_VAL_MO", "GEN_VAL_YR"),
}
# Columns the Census API echoes back from the query predicates or adds as labels.
CENSUS_ECHOED = {
    "time",
    "COMM_LVL",
    "SUMMARY_LVL",
    "CTY_NAME",
    "E_COMMODITY_SDESC",
    "I_COMMODITY_SDESC",
    "E_COMMODITY_LDESC",
    "I_COMMODITY_LDESC",
    "STATE_NAME",
}


def parse_census_statehs(content: bytes, reference: Reference) -> ParseResult:
    """US Census international trade API, `exports/statehs` or `imports/statehs`, HS2 level, Canada.

    The answer is a JSON list of lists; the first is the header and every value is a string. The
    monthly value (`ALL_VAL_MO` for exports, `GEN_VAL_MO` for general imports) is stored per month;
    the year-to-date value is checked to be a number but not stored (it would double count months).
    """
    try:
        data = json.loads(decode(content))
    except json.JSONDecodeError as exc:
        raise FileRejected(
            _("Not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    if not isinstance(data, list) or not data or not isinstance(data[0], list):
        raise FileRejected(_("Expected a JSON list whose first element is the header row."))
    header = [str(column) for column in data[0]]
    commodity = next((column for column in CENSUS_FLOWS if column in header), None)
    if commodity is None:
        raise FileRejected(_("Header (row 0): missing column E_COMMODITY (exports) or I_COMMODITY (imports)."))
    flow, value_column, ytd_column = CENSUS_FLOWS[commodity]
    required = ["STATE", commodity, "CTY_CODE", value_column, "YEAR", "MONTH"]
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in required and column not in CENSUS_ECHOED | {ytd_column}]
    if missing or unknown:
        problems = [_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)}] if missing else []
        problems += [_("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)}] if unknown else []
        raise FileRejected(_("Header (row 0): %(problems)s.") % {"problems": "; ".join(problems)})
    result = ParseResult()

    def rows() -> Iterable[tuple[int, dict]]:
        for index, values in enumerate(data[1:], start=1):
            if not isinstance(values, list) or len(values) != len(header):
                yield index, {"__width__": len(values) if isinstance(values, list) else 0}
                continue
            yield index, dict(zip(header, values, strict=True))

    def build(row: dict) -> StateRecord:
        _check_width(row, header)
        not_strings = [name for name, value in row.items() if not isinstance(value, str)]
        if not_strings:
            raise ValueError(_("value(s) not given as strings: %(columns)s") % {"columns": ", ".join(not_strings)})
        if row["CTY_CODE"].strip() != CANADA:
            raise ValueError(
                _("unknown country code %(value)s (expected 1220, Canada)") % {"value": repr(row["CTY_CODE"])}
            )
        if ytd_column in row and row[ytd_column].strip():
            _integer(row[ytd_column], ytd_column)
        return StateRecord(
            state=_state(row["STATE"], reference),
            flow=flow,
            year=_year(row["YEAR"]),
            month=_month(row["MONTH"]),
            hs2=_chapter(row[commodity], reference),
            value_usd=_integer(row[value_column], value_column),
        )

    _parse_keyed_rows(rows(), result, build, lambda r: (r.state, r.flow, r.year, r.month, r.hs2))
    return result


PARSERS: dict[str, Callable[[bytes, Reference], ParseResult]] = {
    ImportFormat.BTS_DOT2: parse_bts_dot2,
    ImportFormat.BTS_ANNUAL: parse_bts_annual,
    ImportFormat.BTS_STATE_HS2_MONTHLY: parse_bts_state_hs2_monthly,
    ImportFormat.BTS_STATE_HS2_ANNUAL: parse_bts_state_hs2_annual,
    ImportFormat.BTS_NATIONAL_HS2: parse_bts_national_hs2,
    ImportFormat.CENSUS_STATEHS: parse_census_statehs,
}
