"""Benchmark: full exposure refresh of every scenario, database aggregation vs a naive per-row Python loop,
and how the refresh grows with 1×, 10× and 100× SYNTHETIC copies of the base-year trade rows.

Run from the repository root (a throwaway SQLite database is created unless DATABASE_URL is set):

    python bench/bench_exposure.py                 # 1x and 10x
    python bench/bench_exposure.py --scales 1 10 100 --naive-at 1 10

Synthetic copies are extra DataReleases flagged is_synthetic=True whose rows duplicate the base year's
effective rows; they exist only in the benchmark database. The naive baseline walks every row in
Python and writes its figures; the script checks they equal the engine's before printing the ratio.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-exposure-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def naive_refresh(scenarios, year: int) -> list:
    """The engine's figures computed row by row in Python, and written: the baseline of the ratio.

    For each scenario: resolve its rates, walk every base-year trade row, multiply and accumulate per
    state, state × pillar and state × chapter, build the same ExposureFigure rows (same rounding, same
    ranking) and bulk-insert them into a snapshot of their own (kept out of `is_current`). Returns the
    snapshots so the caller can check they hold exactly the engine's figures.
    """
    from django.db import transaction
    from django.utils import timezone

    from trade.choices import SnapshotStatus
    from trade.exposure import _base_rows, _figure, _gdp_for, _rank, chapter_rates_resolve
    from trade.models import ExposureFigure, ExposureSnapshot, Pillar, PillarHSCode

    pillars_of_chapter = defaultdict(set)
    for pillar_id, chapter_id in PillarHSCode.objects.filter(counts_at_chapter_level=True).values_list(
        "pillar_id", "chapter_id"
    ):
        pillars_of_chapter[chapter_id].add(pillar_id)
    partial = set(Pillar.objects.filter(is_partial_chapter_approximation=True).values_list("id", flat=True))
    _, gdp = _gdp_for(year)
    snapshots = []
    for scenario in scenarios:
        with transaction.atomic():
            rates = chapter_rates_resolve(scenario=scenario)
            snapshot = ExposureSnapshot.objects.create(
                scenario=scenario, base_year=year, status=SnapshotStatus.BUILDING, trigger="benchmark naive"
            )
            sums: dict[tuple, dict] = {}
            _, rows = _base_rows(year)  # the same base-year rows the engine reads
            for row in rows.iterator(chunk_size=10_000):
                rate = rates[row.hs_chapter_id]
                value = Decimal(row.value_usd)
                keys = [(row.state_id, None, None), (row.state_id, None, row.hs_chapter_id)]
                keys += [(row.state_id, pillar, None) for pillar in pillars_of_chapter.get(row.hs_chapter_id, ())]
                for key in keys:
                    acc = sums.setdefault(key, {"state_id": row.state_id, **dict.fromkeys(SUMS, Decimal(0))})
                    if row.flow == "import":
                        acc["imports"] += value
                        acc["duty"] += value * rate.us_effective_rate
                    else:
                        acc["exports"] += value
                        acc["counter"] += value * rate.ca_rate
                        acc["risk_low"] += value * rate.risk_factor_low
                        acc["risk_central"] += value * rate.risk_factor_central
                        acc["risk_high"] += value * rate.risk_factor_high
            figures, totals = [], []
            for (_state, pillar_id, chapter_id), acc in sums.items():
                keys = {}
                if pillar_id:
                    keys = {"pillar_id": pillar_id, "is_partial_chapter": pillar_id in partial}
                elif chapter_id:
                    keys = {"hs_chapter_id": chapter_id}
                figure = _figure(snapshot, scenario, acc, gdp, **keys)
                figures.append(figure)
                if not pillar_id and not chapter_id:
                    totals.append(figure)
            _rank(totals)
            ExposureFigure.objects.bulk_create(figures, batch_size=5000)
            snapshot.status = SnapshotStatus.READY
            snapshot.figure_count = len(figures)
            snapshot.finished_at = timezone.now()
            snapshot.save()
        snapshots.append(snapshot)
    return snapshots


FIELDS = (
    "imports_from_canada",
    "exports_to_canada",
    "us_duty_cost",
    "counter_duty_exposure",
    "exports_at_risk_low",
    "exports_at_risk_central",
    "exports_at_risk_high",
    "jobs_at_risk_low",
    "jobs_at_risk_central",
    "jobs_at_risk_high",
    "two_way_trade_share_of_gdp",
    "duty_cost_share_of_gdp",
    "rank",
    "is_partial_chapter",
)
SUMS = ("imports", "exports", "duty", "counter", "risk_low", "risk_central", "risk_high")


def figures_of(snapshot) -> dict:
    return {
        (row[0], row[1], row[2]): row[3:]
        for row in snapshot.figures.values_list("state_id", "pillar_id", "hs_chapter_id", *FIELDS)
    }


def same_figures(engine, naive) -> tuple[int, int]:
    """(figures compared, figures that differ by more than a cent / a tenth of a job / 1e-9 of GDP)."""
    a, b = figures_of(engine), figures_of(naive)
    assert a.keys() == b.keys(), (len(a), len(b))
    tolerance = [Decimal("0.01")] * 7 + [Decimal("0.1")] * 3 + [Decimal("0.000000001")] * 2
    differ = 0
    for key, values in a.items():
        other = b[key]
        if values[12:] != other[12:] or any(
            (x is None) != (y is None) or (x is not None and abs(x - y) > tol)
            for x, y, tol in zip(values[:12], other[:12], tolerance, strict=True)
        ):
            differ += 1
    return len(a), differ


def add_synthetic_copies(copies: int, year: int) -> None:
    """Duplicate the base year's effective rows into `copies` synthetic releases (INSERT ... SELECT)."""
    import datetime

    from django.db import connection, transaction

    from trade.models import DataRelease

    with transaction.atomic():
        for index in range(copies):
            release = DataRelease.objects.create(
                source="SYNTHETIC benchmark copy",
                title=f"SYNTHETIC copy {index + 1} of {year} rows (benchmark only)",
                vintage_date=datetime.date(2000, 1, 1),
                format="bts-state-hs2-monthly",
                file_name="synthetic",
                checksum=f"synthetic-{year}-{index:06d}-{time.time_ns()}",
                is_synthetic=True,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO trade_tradeflow (created_at, updated_at, state_id, flow, year, month, hs_chapter_id,"
                    " value_usd, release_id, is_effective) SELECT created_at, updated_at, state_id, flow, year, month,"
                    " hs_chapter_id, value_usd, %s, is_effective FROM trade_tradeflow"
                    " WHERE year = %s AND is_effective AND hs_chapter_id IS NOT NULL AND release_id IN"
                    " (SELECT id FROM trade_datarelease WHERE NOT is_synthetic)",
                    [release.pk, year],
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="*", type=int, default=[1, 10])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--naive-at", nargs="*", type=int, default=[1], help="scales at which the naive loop also runs (slow)"
    )
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection

    from trade.exposure import base_year_default, exposure_refresh_all
    from trade.models import TariffScenario, TradeFlow
    from trade.public_data import load_reference, load_scenarios, load_trade

    started = time.perf_counter()
    for loader in (load_reference, load_trade, load_scenarios):
        loader(stdout=io.StringIO())
    print(f"database: {connection.vendor}; bundled data loaded in {time.perf_counter() - started:.1f} s")
    year = base_year_default()
    scenarios = list(TariffScenario.objects.current_versions().order_by("pk"))
    base_rows = TradeFlow.objects.filter(year=year, is_effective=True, hs_chapter__isnull=False).count()

    print(f"base year {year}: {base_rows} real rows; {len(scenarios)} scenarios")
    print(f"{'scale':>14} {'rows':>10} {'refresh all (s)':>16} {'µs/row/scenario':>16} {'naive (s)':>10} {'ratio':>7}")
    current_scale = 1
    for scale in sorted(args.scales):
        if scale > current_scale:
            started = time.perf_counter()
            add_synthetic_copies(scale - current_scale, year)
            current_scale = scale
            print(f"  (added synthetic copies for {scale}x in {time.perf_counter() - started:.1f} s)")
        rows = TradeFlow.objects.filter(year=year, is_effective=True, hs_chapter__isnull=False).count()
        started = time.perf_counter()
        snapshots = exposure_refresh_all(base_year=year, trigger=f"benchmark {scale}x")
        engine = time.perf_counter() - started
        assert all(s.status == "ready" for s in snapshots), [s.checks for s in snapshots]
        naive_text, ratio_text = "-", "-"
        if scale in args.naive_at:
            started = time.perf_counter()
            naive = naive_refresh(scenarios, year)
            naive_time = time.perf_counter() - started
            compared = [same_figures(a, b) for a, b in zip(snapshots, naive, strict=True)]
            differ = sum(d for _, d in compared)
            assert differ == 0, f"naive and engine figures differ: {compared}"
            naive_text, ratio_text = f"{naive_time:.2f}", f"{naive_time / engine:.1f}x"
            print(f"  (naive wrote {sum(n for n, _ in compared)} figures, identical to the engine's)")
        label = f"{scale}x" + ("" if scale == 1 else " SYNTHETIC")
        per_row = engine / rows / len(scenarios) * 1e6
        print(f"{label:>14} {rows:>10} {engine:>16.2f} {per_row:>16.2f} {naive_text:>10} {ratio_text:>7}")


if __name__ == "__main__":
    main()
