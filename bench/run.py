"""Run the whole benchmark at one scale and write its tables.

    python bench/run.py --scale 10k      # 10,000 people / 50,000 interactions   (make bench-10k)
    python bench/run.py --scale 100k     # 100,000 people / 1,000,000 interactions (make bench-100k)

Steps: create the PostgreSQL database if missing, migrate, load the public reference data, seed the
synthetic data (re-seeded only when the counts differ), VACUUM ANALYZE, start gunicorn (2 workers,
production settings minus HTTPS, loopback only), measure every page and endpoint of
`bench/targets.py`, run the load mix (20 users, 60 s), time the heavy jobs in-process, stop gunicorn.
Results go to var/bench/<database>.json and .md; `--write-docs` also replaces this scale's tables in
docs/performance.md. Everything stops by itself: each page has a time budget and wrk a fixed duration.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT_DIR, ROOT, django_setup, ensure_database, gunicorn, manage

SCALES = {
    "10k": {"people": 10_000, "organizations": 2_000, "interactions": 50_000, "database": "envoy_bench_10k"},
    "100k": {"people": 100_000, "organizations": 10_000, "interactions": 1_000_000, "database": "envoy_bench"},
    # A quick end-to-end check of the bench itself.
    "smoke": {"people": 500, "organizations": 50, "interactions": 2_000, "database": "envoy_bench_smoke"},
}
DOCS = ROOT / "docs" / "performance.md"


def synthetic_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {
        "people": apps.get_model("contacts.Person").objects.filter(is_synthetic=True).count(),
        "organizations": apps.get_model("contacts.Organization").objects.filter(is_synthetic=True).count(),
        "interactions": 0,
    }
    with contextlib.suppress(LookupError):
        counts["interactions"] = apps.get_model("outreach.Interaction").objects.filter(is_synthetic=True).count()
    return counts


def prepare(database: str, scale: dict, *, reseed: bool, skip: bool = False) -> dict:
    if skip:
        django_setup(database)
        return {"counts": synthetic_counts(), "seed_seconds": None}
    ensure_database(database)
    manage(database, "migrate", "--noinput", "-v", "0")
    manage(database, "load_public_data", quiet=True)
    manage(database, "collectstatic", "--noinput", "-v", "0")
    django_setup(database)
    wanted = {k: scale[k] for k in ("people", "organizations", "interactions")}
    seconds = None
    if reseed or synthetic_counts() != wanted:
        started = time.monotonic()
        manage(
            database, "seed_synthetic", "--reset-synthetic",
            "--people", str(wanted["people"]),
            "--organizations", str(wanted["organizations"]),
            "--interactions", str(wanted["interactions"]),
        )  # fmt: skip
        seconds = time.monotonic() - started
    # Seeding writes rows directly, past the services that keep each person's contact figures.
    manage(database, "refresh_contact_stats", quiet=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"counts": synthetic_counts(), "seed_seconds": seconds}


def load_paths(values: dict[str, str], exclude: list[str] | None = None) -> list[str]:
    from bench.bench_pages import fill, route_exists
    from bench.targets import PAGES

    paths = []
    for target in PAGES:
        if exclude and any(word.lower() in target.name.lower() for word in exclude):
            continue
        path = fill(target, values)
        if target.in_load_mix and path and route_exists(path):
            paths += [path] * target.in_load_mix
    return paths


def replace_section(text: str, marker: str, body: str) -> str:
    start, end = f"<!-- bench:{marker}:start -->", f"<!-- bench:{marker}:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        return f"{before}{start}\n{body}\n{end}{after}"
    return f"{text.rstrip()}\n\n{start}\n{body}\n{end}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="10k")
    parser.add_argument("--database", help="Override the scale's database name.")
    parser.add_argument("--reseed", action="store_true", help="Re-seed even when the counts already match.")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument(
        "--no-prepare", action="store_true", help="Use the database as it is (no migrate, data load or seeding)."
    )
    parser.add_argument("--prepare-only", action="store_true", help="Create, migrate and seed; measure nothing.")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--load-exclude", nargs="*", help="Leave pages whose name contains these out of the mix.")
    parser.add_argument("--label", default="", help="Suffix for the output files and the docs section.")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--only", nargs="*", help="Only pages whose name contains one of these words.")
    parser.add_argument("--write-docs", action="store_true", help="Replace this scale's tables in docs.")
    args = parser.parse_args()
    # A plain `kill` still runs the clean-up blocks that stop gunicorn and wrk.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    scale = SCALES[args.scale]
    database = args.database or scale["database"]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"== preparing {database} ({args.scale})", flush=True)
    prepared = prepare(database, scale, reseed=args.reseed, skip=args.no_prepare)
    print(f"   {prepared}", flush=True)
    if args.prepare_only:
        return

    from bench.bench_load import run_load
    from bench.bench_pages import markdown_table as pages_table
    from bench.bench_pages import resolve_placeholders, run_pages
    from bench.bench_services import markdown_table as jobs_table
    from bench.bench_services import run_services
    from bench.common import BENCH_ADMIN_USERNAME, bench_session_cookie
    from bench.targets import LOAD_P95_MS

    cookie = bench_session_cookie()
    admin_cookie = bench_session_cookie(username=BENCH_ADMIN_USERNAME, admin=True)
    report: dict = {
        "scale": args.scale,
        "database": database,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average_before": os.getloadavg(),
        **prepared,
    }
    with gunicorn(database) as base:
        print(f"== pages ({base})", flush=True)
        pages = [] if args.skip_pages else run_pages(base, cookie, admin_cookie, repeat=args.repeat, only=args.only)
        report["pages"] = [p.as_dict() for p in pages]
        load = None
        if not args.skip_load:
            paths = load_paths(resolve_placeholders(), exclude=args.load_exclude)
            print(f"== load: {args.users} users, {args.load_seconds} s, {len(set(paths))} pages in the mix", flush=True)
            load = run_load(base, cookie, paths, users=args.users, seconds=args.load_seconds)
            print(f"   {load}", flush=True)
            saturation = run_load(base, cookie, paths, users=args.users, seconds=30, think_ms=(0, 0))
            print(f"   saturation: {saturation}", flush=True)
            report["load"] = load
            report["saturation"] = saturation
            report["load_mix"] = sorted(set(paths))
    jobs = []
    if not args.skip_jobs:
        print("== jobs", flush=True)
        jobs = run_services()
    report["jobs"] = [{"name": j.name, "seconds": j.seconds, "queries": j.queries, "status": j.status,
                       "detail": j.detail, "verdict": j.verdict} for j in jobs]  # fmt: skip

    report["load_average_after"] = os.getloadavg()
    counts = prepared["counts"]
    load_avg = f"{report['load_average_before'][1]:.1f} / {report['load_average_after'][1]:.1f}"
    lines = [
        f"Measured {report['when']} at commit `{report['git']}` on {report['machine']}: "
        f"{counts['people']:,} synthetic people, {counts['organizations']:,} organizations, "
        f"{counts['interactions']:,} interactions (database `{database}`)."
        + (f" Seeding took {prepared['seed_seconds']:.0f} s." if prepared["seed_seconds"] else "")
        + f" Machine load average (5 min) before / after the run: {load_avg} (other work shares the 2 CPUs).",
    ]
    if pages:
        lines += [
            "",
            f"Pages and endpoints ({args.repeat} requests each after 2 warm-ups, one at a time, gunicorn 2 workers):",
            "",
            pages_table(pages),
        ]
    if load:
        verdict = "met" if load["errors"] == 0 and load["p95_ms"] < LOAD_P95_MS else "MISSED"
        sat = report["saturation"]
        lines += [
            "",
            "Load (wrk on loopback, weighted mix of the pages marked for it in `bench/targets.py`"
            + (f"; left out: pages named {', '.join(args.load_exclude)}" if args.load_exclude else "")
            + "). wrk counts requests that completed within the run; a request still waiting at the end is "
            "in neither column:",
            "",
            "| Run | Requests | Req/s | Errors | p50 ms | p95 ms | p99 ms | Target (0 errors, p95 < 300 ms) |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
            f"| {load['users']} users, {load['seconds']} s, 0.5–1.5 s think time | {load['requests']} "
            f"| {load['requests_per_s']:.1f} | {load['errors']} | {load['p50_ms']:.0f} | {load['p95_ms']:.0f} "
            f"| {load['p99_ms']:.0f} | {verdict} |",
            f"| {sat['users']} users, {sat['seconds']} s, no think time (saturation) | {sat['requests']} "
            f"| {sat['requests_per_s']:.1f} | {sat['errors']} | {sat['p50_ms']:.0f} | {sat['p95_ms']:.0f} "
            f"| {sat['p99_ms']:.0f} | capacity only |",
        ]
    if jobs:
        lines += ["", "Jobs (in-process, the owning app's service):", "", jobs_table(jobs)]
    body = "\n".join(lines)
    name = database + (f"-{args.label}" if args.label else "")
    (OUT_DIR / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
    (OUT_DIR / f"{name}.md").write_text(body + "\n")
    print(f"== written {OUT_DIR / (name + '.md')}")
    if args.write_docs:
        marker = args.scale + (f"-{args.label}" if args.label else "")
        DOCS.write_text(replace_section(DOCS.read_text() if DOCS.exists() else "", marker, body))
        print(f"== updated {DOCS}")


if __name__ == "__main__":
    main()
