"""Compare the two scales' results: how each page's cost grows from 10k/50k to 100k/1M.

    python bench/compare.py                # print the table
    python bench/compare.py --write-docs   # also replace the growth table in docs/performance.md

Reads `var/bench/envoy_bench_10k.json` and `var/bench/envoy_bench.json` (written by `bench/run.py`).
Ratios of one machine's figures are what carry over to another machine; the absolute milliseconds do
not. The cheapest authenticated page is shown as the machine's floor: what a request costs here
before any data is read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DOCS, replace_section  # noqa: E402

RESULTS = ROOT / "var" / "bench"


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `make bench-10k` and `make bench-100k` first.")
    return json.loads(path.read_text())


def _queries(page: dict) -> str:
    counts = sorted(set(page.get("queries") or []))
    if not counts:
        return "–"
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"


def _db(page: dict) -> float | None:
    values = page.get("db_ms") or []
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(small: dict, large: dict) -> str:
    by_name = {page["name"]: page for page in small["pages"]}
    lines = [
        f"10k: commit `{small['git']}`, {small['when'][:16]}; 100k: commit `{large['git']}`, {large['when'][:16]}.",
        "",
        "| Page / endpoint | Queries 10k → 100k | DB ms 10k → 100k | Median ms 10k → 100k | × (median) |",
        "|---|---:|---:|---:|---:|",
    ]
    for page in large["pages"]:
        before = by_name.get(page["name"])
        if before is None or not page.get("median_ms") or not before.get("median_ms"):
            continue
        ratio = page["median_ms"] / before["median_ms"]
        lines.append(
            f"| {page['name']} | {_queries(before)} → {_queries(page)} | {_fmt(_db(before))} → {_fmt(_db(page))} "
            f"| {_fmt(before['median_ms'])} → {_fmt(page['median_ms'])} | {ratio:.2f} |"
        )
    cheapest = min(
        (p for p in large["pages"] if p.get("median_ms") and p["kind"] == "list"), key=lambda p: p["median_ms"]
    )
    lines += [
        "",
        f"Floor on this machine: the cheapest list ({cheapest['name']}, {_queries(cheapest)} queries) answers in "
        f"{cheapest['median_ms']:.1f} ms at 100k.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    body = table(_load("envoy_bench_10k"), _load("envoy_bench"))
    print(body)
    if args.write_docs:
        DOCS.write_text(replace_section(DOCS.read_text(), "growth", body))
        print(f"== updated {DOCS}")


if __name__ == "__main__":
    main()
