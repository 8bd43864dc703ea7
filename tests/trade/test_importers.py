import datetime
import gzip
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from trade import census
from trade.choices import Flow, ImportFormat, ImportStatus
from trade.importers import DOT2_HEADER as DOT2_COLUMNS
from trade.models import DataRelease, ImportRun, NationalTradeFlow, TradeFlow
from trade.services import ReleaseInfo, trade_file_import

DATA = Path(settings.BASE_DIR) / "data" / "trade"
FIXTURES = Path(__file__).parent / "fixtures"
ANNUAL_HEADER = "year,state,state_name,flow,value_usd\n"
MONTHLY_HEADER = "year,month,state,flow,hs2,value_usd\n"
DOT2_HEADER = ",".join(DOT2_COLUMNS) + "\n"

pytestmark = pytest.mark.usefixtures("reference")


def _import(text: str | bytes, format=ImportFormat.BTS_ANNUAL, **kwargs):
    content = text.encode() if isinstance(text, str) else text
    return trade_file_import(content=content, file_name="test.csv", format=format, enqueue_refresh=False, **kwargs)


def _assert_nothing_written():
    assert TradeFlow.objects.count() == 0
    assert DataRelease.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        (ANNUAL_HEADER + "2024,MI,Michigan,export,abc\n", 2, "value_usd is not a number: 'abc'"),
        (ANNUAL_HEADER + "2024,ZZ,Nowhere,export,10\n", 2, "unknown state code 'ZZ'"),
        (ANNUAL_HEADER + "2024,MI,Michigan,export,-5\n", 2, "value_usd is negative: '-5'"),
        (ANNUAL_HEADER + "2024,MI,Michigan,sideways,5\n", 2, "unknown flow 'sideways' (expected export or import)"),
        (ANNUAL_HEADER + "24x,MI,Michigan,export,5\n", 2, "year is not a number: '24x'"),
        (ANNUAL_HEADER + "2024,MI,Michigan,export\n", 2, "expected 5 values, found 4"),
        (
            ANNUAL_HEADER + "2024,MI,Michigan,export,5\n2024,MI,Michigan,export,6\n",
            3,
            "duplicate row: same cell as row 2",
        ),
    ],
)
def test_bad_row_rejects_the_whole_file_and_names_the_row(text, row, message):
    good = "2023,OH,Ohio,import,7\n"
    run = _import(text + good)
    assert run.status == ImportStatus.REJECTED
    assert run.errors == [{"row": row, "message": message}]
    assert run.rows_rejected == 1
    _assert_nothing_written()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        ("year,state,flow,value_usd\n2024,MI,export,5\n".encode("utf-16"), "Wrong encoding"),
        ("year,state,state_name,flow,value_usd\n2024,MI,Mich\xe9gan,export,5\n".encode("latin-1"), "Wrong encoding"),
        (b"year,state,flow\n2024,MI,export\n", "Header (line 1): missing column(s): value_usd."),
        (b"year,state,flow,value_usd,colour\n2024,MI,export,5,red\n", "Header (line 1): unknown column(s): colour."),
    ],
)
def test_file_level_problems_are_reported_and_nothing_is_written(content, message):
    run = _import(content)
    assert run.status == ImportStatus.REJECTED
    assert run.message.startswith(message)
    assert run.errors[0]["row"] is None
    _assert_nothing_written()


def test_skip_invalid_imports_valid_rows_and_lists_the_rest():
    text = ANNUAL_HEADER + "2024,MI,Michigan,export,100\n2024,ZZ,X,export,5\n2024,MI,Michigan,import,-1\n"
    run = _import(text, skip_invalid=True)
    assert run.status == ImportStatus.PARTIAL
    assert run.rows_read == 3 and run.rows_imported == 1 and run.rows_rejected == 2
    assert [error["row"] for error in run.errors] == [3, 4]
    assert list(TradeFlow.objects.values_list("state__code", "flow", "year", "month", "value_usd")) == [
        ("MI", "export", 2024, None, 100)
    ]


def test_importing_the_same_file_twice_changes_nothing():
    text = ANNUAL_HEADER + "2024,MI,Michigan,export,100\n2024,MI,Michigan,import,50\n"
    first = _import(text)
    rows_before = list(TradeFlow.objects.values_list("id", "value_usd", "is_effective"))
    second = _import(text)
    assert first.status == ImportStatus.SUCCEEDED
    assert second.status == ImportStatus.UNCHANGED
    assert second.release_id == first.release_id
    assert list(TradeFlow.objects.values_list("id", "value_usd", "is_effective")) == rows_before
    assert DataRelease.objects.count() == 1


def test_dry_run_previews_and_writes_nothing():
    run = _import(ANNUAL_HEADER + "2024,MI,Michigan,export,100\n2024,OH,Ohio,export,20\n", dry_run=True)
    assert run.status == ImportStatus.DRY_RUN
    assert run.summary["totals"] == [{"year": 2024, "flow": "export", "value_usd": 120}]
    _assert_nothing_written()


def test_dot2_vermont_sample_matches_the_bundled_monthly_detail():
    run = _import((DATA / "bts_dot2_raw_sample_VT_2015-01.csv").read_bytes(), format=ImportFormat.BTS_DOT2)
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    expected = {}
    with gzip.open(DATA / "bts_state_hs2_canada_monthly.csv.gz", "rt") as handle:
        header = handle.readline().strip().split(",")
        for line in handle:
            row = dict(zip(header, line.strip().split(","), strict=True))
            if row["year"] == "2015" and row["month"] == "1" and row["state"] == "VT":
                expected[(row["flow"], row["hs2"])] = int(row["value_usd"])
    stored = {
        (flow, code): value
        for flow, code, value in TradeFlow.objects.values_list("flow", "hs_chapter__code", "value_usd")
    }
    assert stored == expected


def test_dot2_keeps_canada_and_sums_modes_provinces_and_flags():
    text = DOT2_HEADER + (
        "1,VT,44,5,,XQ,1220,100,0,0,1,X,01,2015\n"
        "1,VT,44,3,,XO,1220,50,0,0,2,X,01,2015\n"
        "1,VT,44,5,CM,,2010,999,0,0,1,0,01,2015\n"
        "2,VT,44,5,,XQ,1220,7,0,0,,X,01,2015\n"
    )
    run = _import(text, format=ImportFormat.BTS_DOT2)
    assert run.status == ImportStatus.SUCCEEDED
    assert sorted(TradeFlow.objects.values_list("flow", "value_usd")) == [("export", 150), ("import", 7)]


def test_dot2_unknown_country_and_duplicate_rows_are_reported():
    text = DOT2_HEADER + (
        "1,VT,44,5,,XQ,1220,100,0,0,1,X,01,2015\n"
        "1,VT,44,5,,XQ,1220,100,0,0,1,X,01,2015\n"
        "1,VT,44,5,,XQ,5700,100,0,0,1,X,01,2015\n"
    )
    run = _import(text, format=ImportFormat.BTS_DOT2)
    assert run.status == ImportStatus.REJECTED
    assert run.errors == [
        {"row": 3, "message": "duplicate row: same detail as row 2"},
        {"row": 4, "message": "unknown country code '5700' (TransBorder: 1220 Canada, 2010 Mexico)"},
    ]
    _assert_nothing_written()


def test_census_statehs_recorded_responses_import_monthly_chapter_figures():
    exports = _import((FIXTURES / "census_exports_statehs_synthetic.json").read_bytes(), format="census-statehs")
    imports = _import((FIXTURES / "census_imports_statehs_synthetic.json").read_bytes(), format="census-statehs")
    assert exports.status == imports.status == ImportStatus.SUCCEEDED
    assert sorted(
        TradeFlow.objects.values_list("state__code", "flow", "year", "month", "hs_chapter__code", "value_usd")
    ) == [
        ("MI", "export", 2024, 6, "27", 250000000),
        ("MI", "export", 2024, 6, "87", 1500000000),
        ("MI", "import", 2024, 6, "27", 900000000),
        ("TX", "import", 2024, 6, "27", 2100000000),
        ("VT", "export", 2024, 6, "44", 1234567),
    ]


def test_census_rows_for_another_country_or_non_string_values_are_rejected():
    data = [
        ["STATE", "E_COMMODITY", "CTY_CODE", "ALL_VAL_MO", "YEAR", "MONTH"],
        ["MI", "87", "2010", "5", "2024", "06"],
        ["MI", "27", "1220", 5, "2024", "06"],
    ]
    run = _import(json.dumps(data), format="census-statehs")
    assert run.errors == [
        {"row": 1, "message": "unknown country code '2010' (expected 1220, Canada)"},
        {"row": 2, "message": "value(s) not given as strings: ALL_VAL_MO"},
    ]
    _assert_nothing_written()


def test_fetch_census_trade_builds_the_request_and_imports_the_answer(monkeypatch):
    monkeypatch.setenv("CENSUS_API_KEY", "test-key")
    answers = {
        "exports/statehs": (FIXTURES / "census_exports_statehs_synthetic.json").read_bytes(),
        "imports/statehs": (FIXTURES / "census_imports_statehs_synthetic.json").read_bytes(),
    }
    requested = []

    def fake_fetch(url):
        requested.append(url)
        return next(body for path, body in answers.items() if f"/{path}?" in url)

    monkeypatch.setattr(census, "census_fetch", fake_fetch)
    call_command("fetch_census_trade", "--year", "2024", "--month", "6", stdout=io.StringIO())
    assert requested == [
        "https://api.census.gov/data/timeseries/intltrade/exports/statehs?get=STATE,E_COMMODITY,CTY_CODE,ALL_VAL_MO,"
        "ALL_VAL_YR,YEAR,MONTH&CTY_CODE=1220&COMM_LVL=HS2&time=2024-06&key=test-key",
        "https://api.census.gov/data/timeseries/intltrade/imports/statehs?get=STATE,I_COMMODITY,CTY_CODE,GEN_VAL_MO,"
        "GEN_VAL_YR,YEAR,MONTH&CTY_CODE=1220&COMM_LVL=HS2&time=2024-06&key=test-key",
    ]
    assert TradeFlow.objects.count() == 5
    assert ImportRun.objects.filter(status=ImportStatus.SUCCEEDED).count() == 2


def test_import_trade_command_reports_rows_and_fails_on_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(ANNUAL_HEADER + "2024,ZZ,X,export,5\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_trade", str(path), "--format", "bts-annual", stdout=out)
    assert "row 2: unknown state code 'ZZ'" in out.getvalue()
    _assert_nothing_written()


def test_national_file_goes_to_national_flows():
    run = _import("year,flow,hs2,value_usd\n2024,export,27,10\n2024,import,27,20\n", format="bts-national-hs2")
    assert run.status == ImportStatus.SUCCEEDED
    assert NationalTradeFlow.objects.count() == 2
    assert TradeFlow.objects.count() == 0


def _release(title, vintage):
    return ReleaseInfo(source="BTS", title=title, vintage_date=vintage)


def test_revised_release_wins_and_figures_never_double_count():
    original = _import(
        ANNUAL_HEADER + "2024,MI,Michigan,export,100\n2024,OH,Ohio,export,40\n",
        release_info=_release("first", datetime.date(2025, 2, 1)),
    )
    revised = _import(
        ANNUAL_HEADER + "2024,MI,Michigan,export,110\n",
        release_info=_release("revised", datetime.date(2025, 6, 1)),
    )
    effective = TradeFlow.objects.effective().filter(year=2024, flow=Flow.EXPORT)
    assert sorted(effective.values_list("state__code", "value_usd", "release_id")) == [
        ("MI", 110, revised.release_id),
        ("OH", 40, original.release_id),
    ]
    # The superseded row is kept, not deleted.
    assert TradeFlow.objects.filter(release_id=original.release_id).count() == 2


def test_an_older_vintage_imported_later_does_not_win():
    newer = _import(
        ANNUAL_HEADER + "2024,MI,Michigan,export,110\n", release_info=_release("new", datetime.date(2025, 6, 1))
    )
    older = _import(
        ANNUAL_HEADER + "2024,MI,Michigan,export,100\n", release_info=_release("old", datetime.date(2025, 2, 1))
    )
    assert list(TradeFlow.objects.effective().values_list("release_id", "value_usd")) == [(newer.release_id, 110)]
    assert TradeFlow.objects.get(release_id=older.release_id).is_effective is False


def test_annual_totals_and_monthly_detail_do_not_compete():
    _import(ANNUAL_HEADER + "2023,MI,Michigan,export,300\n")
    _import(MONTHLY_HEADER + "2023,1,MI,export,87,100\n2023,2,MI,export,87,200\n", format="bts-state-hs2-monthly")
    assert TradeFlow.objects.effective().count() == 3
    assert TradeFlow.objects.effective().annual_totals().get().value_usd == 300
    assert sum(TradeFlow.objects.effective().chapter_detail().values_list("value_usd", flat=True)) == 300


HS2_ANNUAL_HEADER = "year,state,flow,hs2,value_usd,months_covered\n"


def test_state_hs2_annual_stores_full_years_as_annual_chapter_cells():
    run = _import(
        HS2_ANNUAL_HEADER + "2023,MI,export,87,1000,12\n2023,MI,import,27,250,12\n",
        format=ImportFormat.BTS_STATE_HS2_ANNUAL,
    )
    assert run.status == ImportStatus.SUCCEEDED
    assert sorted(
        TradeFlow.objects.values_list("state__code", "flow", "year", "month", "hs_chapter__code", "value_usd")
    ) == [
        ("MI", Flow.EXPORT, 2023, None, "87", 1000),
        ("MI", Flow.IMPORT, 2023, None, "27", 250),
    ]


def test_state_hs2_annual_rejects_partial_years_with_the_reason():
    text = HS2_ANNUAL_HEADER + "2023,MI,export,87,1000,12\n2024,MI,export,87,700,8\n"
    run = _import(text, format=ImportFormat.BTS_STATE_HS2_ANNUAL)
    assert run.status == ImportStatus.REJECTED
    assert run.errors == [
        {
            "row": 3,
            "message": "partial year: 2024 covers 8 of 12 months; only full years are stored as annual figures "
            "(import the monthly detail for partial years)",
        }
    ]
    _assert_nothing_written()
    skipped = _import(text, format=ImportFormat.BTS_STATE_HS2_ANNUAL, skip_invalid=True)
    assert skipped.status == ImportStatus.PARTIAL
    assert list(TradeFlow.objects.values_list("year", "value_usd")) == [(2023, 1000)]


def test_import_trade_command_counts_rows_kept_and_skipped_by_reason(tmp_path):
    path = tmp_path / "dot2.csv"
    path.write_text(
        DOT2_HEADER + "1,VT,44,5,,XQ,1220,100,0,0,1,X,01,2015\n"
        "1,VT,44,5,CM,,2010,999,0,0,1,0,01,2015\n"
        "1,ZZ,44,5,,XQ,1220,100,0,0,1,X,01,2015\n"
    )
    out = io.StringIO()
    call_command("import_trade", str(path), "--format", "bts-dot2", "--skip-invalid", stdout=out)
    assert "Rows read 3, kept (Canada) 1, skipped 2 (1 not Canada (Mexico), 1 invalid)." in out.getvalue()
    run = ImportRun.objects.get()
    assert run.rows_imported == 1
    assert run.summary["skipped"] == {"not Canada (Mexico)": 1}


def test_import_trade_command_release_date_sets_the_vintage_that_decides_which_release_wins(tmp_path):
    newer = tmp_path / "newer.csv"
    newer.write_text(ANNUAL_HEADER + "2024,MI,Michigan,export,110\n")
    older = tmp_path / "older.csv"
    older.write_text(ANNUAL_HEADER + "2024,MI,Michigan,export,100\n")
    call_command(
        "import_trade",
        str(newer),
        "--format",
        "bts-annual",
        "--release-date",
        "2025-06-01",
        "--vintage",
        "2024 annual, revised",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    # Imported later but published earlier: with its own release date it must not displace the revision.
    call_command("import_trade", str(older), "--format", "bts-annual", "--release-date", "2025-02-01", stdout=out)
    assert "vintage date 2025-02-01" in out.getvalue()
    revised = DataRelease.objects.get(title="2024 annual, revised")
    assert revised.vintage_date == datetime.date(2025, 6, 1)
    assert list(TradeFlow.objects.effective().values_list("value_usd", flat=True)) == [110]


def test_import_trade_command_refuses_a_bad_release_date(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(ANNUAL_HEADER + "2024,MI,Michigan,export,1\n")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_trade", str(path), "--format", "bts-annual", "--release-date", "1/6/2025")
    _assert_nothing_written()


def test_row_errors_and_command_output_read_in_french(tmp_path):
    """Import messages follow the active language: the uploader's on a page, the deployment's default
    (DJANGO_LANGUAGE_CODE) for a management command."""
    from django.utils import translation

    path = tmp_path / "bad.csv"
    path.write_text(ANNUAL_HEADER + "2024,ZZ,X,export,5\n")
    out = io.StringIO()
    with translation.override("fr"), pytest.raises(CommandError, match="Rien n’a été importé."):
        call_command("import_trade", str(path), "--format", "bts-annual", stdout=out)
    assert "ligne 2 : code d’État inconnu 'ZZ'" in out.getvalue()
    assert "Lignes lues : 1, conservées (Canada) : 0, ignorées : 1 (1 non valide(s))." in out.getvalue()
    with translation.override("fr"):
        run = _import(b"year,state,flow\n2024,MI,export\n")
    assert (
        run.message == "En-tête (ligne 1) : colonne(s) manquante(s) : value_usd. Attendu : year,state,flow,value_usd."
    )
    _assert_nothing_written()
