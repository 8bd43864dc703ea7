"""Benchmark: full exposure refresh of every scenario, database aggregation vs a naive per-row Python loop,
and how the refresh grows with 1×, 10× and 100× SYNTHETIC copies of the base-year trade rows.

Run from the repository root (a throwaway SQLite database is created unless DATABASE_URL is set):

    python bench/bench_exposure.py                 # 1x and 10x
    python bench/bench_exposure.py --scales 1 10 100

Synthetic copies are extra DataReleases flagged is_synthetic=True whose rows duplicate the base year's
effective rows; they exist only in the benchmark database.
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


def naive_refresh(scenarios, year: int) -> int:
    """What the engine computes, done row by row in Python (the baseline the ratio compares against)."""
    from trade.exposure import scenario_rates_resolve
    from trade.models import PillarHSCode, TradeFlow

    pillar_chapters = defaultdict(set)
    for pillar_id, chapter_id in PillarHSCode.objects.filter(counts_at_chapter_level=True).values_list(
        "pillar_id", "chapter_id"
    ):
        pillar_chapters[chapter_id].add(pillar_id)
    groups = 0
    for scenario in scenarios:
        rates = scenario_rates_resolve(scenario=scenario)
        sums: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
        for row in TradeFlow.objects.filter(year=year, is_effective=True, hs_chapter__isnull=False).iterator():
            rate = rates[row.hs_chapter_id]
            keys = [(row.state_id, None, None), (row.state_id, None, row.hs_chapter_id)]
            keys += [(row.state_id, pillar, None) for pillar in pillar_chapters.get(row.hs_chapter_id, ())]
            for key in keys:
                acc = sums[key]
                if row.flow == "import":
                    acc[0] += row.value_usd
                    acc[2] += row.value_usd * rate.us_effective_rate
                else:
                    acc[1] += row.value_usd
                    acc[3] += row.value_usd * rate.risk_factor_central
        groups += len(sums)
    return groups


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
    scenarios = list(TariffScenario.objects.current_versions())
    base_rows = TradeFlow.objects.filter(year=year, is_effective=True, hs_chapter__isnull=False).count()

    print(f"base year {year}: {base_rows} real rows; {len(scenarios)} scenarios")
    print(f"{'scale':>6} {'rows':>10} {'refresh all (s)':>16} {'µs/row/scenario':>16} {'naive (s)':>10} {'ratio':>7}")
    current_scale = 1
    for scale in sorted(args.scales):
        if scale > current_scale:
            add_synthetic_copies(scale - current_scale, year)
            current_scale = scale
        rows = TradeFlow.objects.filter(year=year, is_effective=True, hs_chapter__isnull=False).count()
        started = time.perf_counter()
        snapshots = exposure_refresh_all(base_year=year, trigger=f"benchmark {scale}x")
        engine = time.perf_counter() - started
        assert all(s.status == "ready" for s in snapshots), [s.checks for s in snapshots]
        naive_text, ratio_text = "-", "-"
        if scale == 1:
            started = time.perf_counter()
            naive_refresh(scenarios, year)
            naive = time.perf_counter() - started
            naive_text, ratio_text = f"{naive:.2f}", f"{naive / engine:.1f}x"
        label = f"{scale}x" + ("" if scale == 1 else " SYNTHETIC")
        per_row = engine / rows / len(scenarios) * 1e6
        print(f"{label:>6} {rows:>10} {engine:>16.2f} {per_row:>16.2f} {naive_text:>10} {ratio_text:>7}")


if __name__ == "__main__":
    main()
